/** @module The append-only journal: group commit of change lines into numbered segment files. */
import { open, truncate, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { errorText, fsyncDir, isNotFound } from './durable-file.ts';
import type { Log } from './journal-replay.ts';
import { StoreUnavailableError } from '../unavailable.ts';

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
  /** Runs when the lines are durable, in append order, just before the promise resolves. */
  durable: () => void;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** Free space a recovery probe must be able to write and fsync before appends resume. */
const PROBE_BYTES = 256 * 1024;
/** Recovery retries: quick at first, then every few seconds while the disk stays full. */
const RETRY_MS = [100, 250, 500, 1000, 2000];
/** What a client is told to wait (Retry-After) while the journal cannot write. */
export const RETRY_AFTER_SECONDS = 5;

/**
 * One writer loop per store. `append` queues newline-terminated lines; the loop takes everything
 * queued, writes it with one `write`, one `fdatasync`, then resolves the whole batch. Whatever is
 * appended while that is in flight forms the next batch, so under load the cost of an fsync is shared
 * by every commit that arrived meanwhile.
 *
 * A failed write or fsync (ENOSPC, EIO…) rejects that batch and every later one still pending, with
 * StoreUnavailableError: they were never acknowledged, and later batches may build on earlier ones.
 * Then, without a restart, the journal recovers by itself: it cuts the segment back to the end of the
 * last acknowledged batch (bytes written but never acknowledged would otherwise come back at the next
 * replay), proves the disk takes a probe file again, and resumes. Until then appends are refused at
 * once, so nothing waits on a full disk.
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
  #failure: StoreUnavailableError | null = null;
  /** Grows at every failure: work of an older generation must no longer acknowledge anything. */
  #generation = 0;
  /** Bytes of the open segment that are acknowledged (durable); the rest may be cut at a failure. */
  #goodSize = 0;
  /** Bytes written to the open segment, acknowledged or not. */
  #written = 0;
  #retry: NodeJS.Timeout | null = null;
  #closed = false;
  readonly #log: Log;

  constructor(dir: string, seq: number, log: Log = () => undefined) {
    this.dir = dir;
    this.#seq = seq;
    this.#log = log;
  }

  /** Grows at every failure (each one discards what was pending). */
  get generation(): number {
    return this.#generation;
  }

  /** The segment new appends go to. */
  get seq(): number {
    return this.#seq;
  }

  /** Set while the journal cannot write (until it has recovered). */
  get failure(): StoreUnavailableError | null {
    return this.#failure;
  }

  /**
   * Queues lines (each ending in '\n'); resolves once they are fdatasync'd. `durable` runs at that
   * moment, in append order, before any later batch is acknowledged.
   */
  append(text: string, records: number, durable: () => void = () => undefined): Promise<void> {
    if (this.#failure !== null) return Promise.reject(this.#failure);
    const done = new Promise<void>((resolve, reject) => {
      this.#queue.push({ seq: this.#seq, text, durable, resolve, reject });
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
    this.#closed = true;
    if (this.#retry !== null) clearTimeout(this.#retry);
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
    const generation = this.#generation;
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
        this.#written += buf.length; // counted before the write: a partial write is cut back too
        const end = this.#written;
        await writeAll(fh, buf);
        const synced = fh.datasync();
        const done = Promise.all([previous, synced]).then(() => {
          if (generation !== this.#generation) return; // failed meanwhile: already rejected
          this.stats.batches += 1;
          this.stats.bytes += buf.length;
          this.#goodSize = end;
          for (const p of batch) {
            unacked.splice(unacked.indexOf(p), 1);
            p.durable();
            p.resolve();
          }
        });
        done.catch(() => undefined); // observed below or by the next round
        await previous;
        previous = done;
      }
    } catch (err) {
      this.#fail(err, unacked);
      // A sync still in flight must settle before the segment is cut back.
      await previous.catch(() => undefined);
      this.#scheduleRecovery(0);
    } finally {
      this.#running = false;
    }
  }

  #fail(err: unknown, batch: Pending[]): void {
    this.#generation += 1;
    const code = (err as NodeJS.ErrnoException | null)?.code;
    this.#failure = new StoreUnavailableError(
      `[ringback] [store] cannot write the journal in ${this.dir} (${code ?? errorText(err)}); ` +
      'changes are refused until the disk takes writes again', RETRY_AFTER_SECONDS, { cause: err });
    this.#log('store: journal write failed; refusing changes until the disk takes writes again',
      { dir: this.dir, error: errorText(err), refused: batch.length + this.#queue.length });
    const rest = this.#queue;
    this.#queue = [];
    for (const p of [...batch, ...rest]) p.reject(this.#failure);
    this.#tail = Promise.resolve();
  }

  #scheduleRecovery(attempt: number): void {
    if (this.#closed) return;
    const delay = RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)] ?? 1000;
    this.#retry = setTimeout(() => {
      this.#retry = null;
      this.#recover().then(() => {
        this.#failure = null;
        this.#log('store: journal writable again; accepting changes', { dir: this.dir });
      }, () => this.#scheduleRecovery(attempt + 1));
    }, delay);
    this.#retry.unref(); // a full disk must not keep a stopping process alive
  }

  /**
   * Cuts the open segment back to its acknowledged bytes, then proves the disk takes a write. The
   * segment is reopened afterwards: after a failed fsync the old handle's state cannot be trusted.
   */
  async #recover(): Promise<void> {
    const fh = this.#fh;
    if (fh !== null) {
      this.#fh = null;
      await fh.close().catch(() => undefined);
      const file = join(this.dir, segmentName(this.#fhSeq));
      await truncate(file, this.#goodSize).catch((err: unknown) => {
        if (!isNotFound(err)) throw err; // a snapshot deleted it meanwhile: nothing to cut
      });
      const cut = await open(file, 'r+').catch((err: unknown) => (isNotFound(err) ? null : Promise.reject(err)));
      if (cut !== null) {
        try {
          await cut.datasync();
        } finally {
          await cut.close();
        }
      }
    }
    const probe = join(this.dir, '.probe');
    try {
      const p = await open(probe, 'w');
      try {
        await p.writeFile(Buffer.alloc(PROBE_BYTES));
        await p.datasync();
      } finally {
        await p.close();
      }
    } finally {
      await unlink(probe).catch(() => undefined);
    }
  }

  async #handleFor(seq: number): Promise<FileHandle> {
    if (this.#fh !== null && this.#fhSeq === seq) return this.#fh;
    const old = this.#fh;
    this.#fh = null;
    await old?.close();
    const fh = await open(join(this.dir, segmentName(seq)), 'a');
    let size: number;
    // The new file's directory entry must be durable before its first batch is acknowledged.
    try {
      size = (await fh.stat()).size;
      await fsyncDir(this.dir);
    } catch (err) {
      await fh.close();
      throw err;
    }
    this.#fh = fh;
    this.#fhSeq = seq;
    this.#goodSize = size;
    this.#written = size;
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
