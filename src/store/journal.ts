/** @module The append-only journal: group commit of change lines into numbered segment files. */
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDir } from './durable-file.ts';

/** `<seq>.ndjson`, zero-padded so a directory listing sorts in write order. */
export function segmentName(seq: number): string {
  return `${String(seq).padStart(12, '0')}.ndjson`;
}

/** Counters for tests and health output: how much group commit actually groups. */
export interface JournalStats {
  /** write+fdatasync rounds, one per batch */
  batches: number;
  /** change lines written */
  records: number;
  bytes: number;
}

interface Pending {
  seq: number;
  text: string;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * One writer loop per store. `append` queues newline-terminated lines; the loop takes everything
 * queued, writes it with one `write`, one `fdatasync`, then resolves the whole batch. Whatever is
 * appended while that is in flight forms the next batch, so under load the cost of an fsync is shared
 * by every commit that arrived meanwhile. After a failed write or fsync the journal refuses further
 * appends: what the kernel holds after a failed fsync cannot be trusted, so the process should restart
 * and replay what is really on disk.
 */
export class Journal {
  readonly dir: string;
  readonly stats: JournalStats = { batches: 0, records: 0, bytes: 0 };
  #seq: number;
  #queue: Pending[] = [];
  #running = false;
  #fh: FileHandle | null = null;
  #fhSeq = 0;
  /** Settles when the last appended batch does; rejects if the journal failed. */
  #tail: Promise<void> = Promise.resolve();
  #failure: Error | null = null;

  constructor(dir: string, seq: number) {
    this.dir = dir;
    this.#seq = seq;
  }

  /** The segment new appends go to. */
  get seq(): number {
    return this.#seq;
  }

  get failure(): Error | null {
    return this.#failure;
  }

  /** Queues lines (each ending in '\n'); resolves once they are fdatasync'd. */
  append(text: string, records: number): Promise<void> {
    if (this.#failure !== null) return Promise.reject(this.#failure);
    const done = new Promise<void>((resolve, reject) => {
      this.#queue.push({ seq: this.#seq, text, resolve, reject });
    });
    this.stats.records += records;
    this.#tail = done;
    if (!this.#running) {
      this.#running = true;
      // Start on a microtask, so commits issued in the same synchronous run share the first batch.
      queueMicrotask(() => void this.#run());
    }
    return done;
  }

  /** Resolves when everything appended so far is durable. */
  drained(): Promise<void> {
    return this.#failure !== null ? Promise.reject(this.#failure) : this.#tail;
  }

  /**
   * Switches appends to a new segment at once and returns it, with a promise that settles when every
   * line of the older segments is durable (a snapshot deletes those segments only after that).
   */
  rotate(): { seq: number; drained: Promise<void> } {
    this.#seq += 1;
    const drained = this.drained().then(() => this.#closeIdleOlder());
    drained.catch(() => undefined); // the snapshot awaits it later; avoid an unhandled rejection meanwhile
    return { seq: this.#seq, drained };
  }

  /** Waits for queued lines, then closes the segment file. */
  async close(): Promise<void> {
    await this.#tail.catch(() => undefined);
    const fh = this.#fh;
    this.#fh = null;
    await fh?.close();
  }

  /**
   * Batches overlap by one: batch N+1 is written while batch N's fdatasync is still running, and its
   * own fdatasync starts at once (it covers N's bytes too). A batch is acknowledged only when its own
   * sync and every earlier one are done, so acknowledgements keep their order. At most two syncs are
   * in flight; the event loop never waits idle for one sync before queuing the next batch.
   */
  async #run(): Promise<void> {
    let previous: Promise<void> = Promise.resolve();
    const unacked: Pending[] = [];
    try {
      for (;;) {
        if (this.#queue.length === 0) {
          await previous;
          // Appends made while that sync ran found the loop still running: take them too.
          if (this.#queue.length === 0) break;
        }
        const seq = this.#queue[0]?.seq ?? this.#seq;
        let n = 0;
        while (n < this.#queue.length && this.#queue[n]?.seq === seq) n++;
        const batch = this.#queue.splice(0, n);
        unacked.push(...batch);
        // A new segment: the old file's syncs must finish before its handle is closed.
        if (this.#fh === null || this.#fhSeq !== seq) await previous;
        const fh = await this.#handleFor(seq);
        const buf = Buffer.from(batch.map((p) => p.text).join(''), 'utf8');
        await writeAll(fh, buf);
        const synced = fh.datasync();
        const done = Promise.all([previous, synced]).then(() => {
          this.stats.batches += 1;
          this.stats.bytes += buf.length;
          for (const p of batch) {
            unacked.splice(unacked.indexOf(p), 1);
            p.resolve();
          }
        });
        done.catch(() => undefined); // observed below or by the next round
        await previous;
        previous = done;
      }
    } catch (err) {
      this.#fail(err, unacked);
    } finally {
      this.#running = false;
    }
  }

  #fail(err: unknown, batch: Pending[]): void {
    this.#failure = new Error(`[ringback] [store] journal write failed in ${this.dir}; the store stopped ` +
      'accepting changes (restart to replay what is on disk)', { cause: err });
    const rest = this.#queue;
    this.#queue = [];
    for (const p of [...batch, ...rest]) p.reject(this.#failure);
  }

  async #handleFor(seq: number): Promise<FileHandle> {
    if (this.#fh !== null && this.#fhSeq === seq) return this.#fh;
    const old = this.#fh;
    this.#fh = null;
    await old?.close();
    const fh = await open(join(this.dir, segmentName(seq)), 'a');
    // The new file's directory entry must be durable before its first batch is acknowledged.
    try {
      await fsyncDir(this.dir);
    } catch (err) {
      await fh.close();
      throw err;
    }
    this.#fh = fh;
    this.#fhSeq = seq;
    return fh;
  }

  async #closeIdleOlder(): Promise<void> {
    if (this.#running || this.#fh === null || this.#fhSeq >= this.#seq) return;
    const fh = this.#fh;
    this.#fh = null;
    await fh.close();
  }
}

async function writeAll(fh: FileHandle, buf: Buffer): Promise<void> {
  let off = 0;
  while (off < buf.length) {
    const { bytesWritten } = await fh.write(buf, off, buf.length - off);
    off += bytesWritten;
  }
}
