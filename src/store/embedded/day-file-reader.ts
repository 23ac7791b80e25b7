/** @module Reads of one open format-2 day file (day-file.ts): a range of blocks, records by id, or all of it. */
import type { FileHandle } from 'node:fs/promises';
import type { PartitionData } from './files.ts';
import { DAY_HEADER, decodeIdPairs, FOOTER_BYTES, isTrailer, type Key, type Kind, keyOf, compareKeys, offsetsOf, parseFooter,
  type RecordOf, startBlock, type Trailer } from './day-file.ts';

/** Whether the file starts with the format-2 header (else it is a format-1 `{attempts, missed}` file). */
export async function isFormat2(fh: FileHandle): Promise<boolean> {
  const head = Buffer.alloc(DAY_HEADER.length);
  const { bytesRead } = await fh.read(head, 0, head.length, 0);
  return bytesRead === head.length && head.toString('utf8') === DAY_HEADER;
}

export async function readTrailer(fh: FileHandle, size: number, file: string): Promise<Trailer> {
  const foot = await readRange(fh, size - FOOTER_BYTES, size);
  const at = parseFooter(foot.toString('utf8'));
  if (at === null || at >= size) throw broken(file, 'no trailer at its end (a torn or truncated file)');
  const text = (await readRange(fh, at, size - FOOTER_BYTES)).toString('utf8');
  let trailer: unknown;
  try {
    trailer = JSON.parse(text);
  } catch (err) {
    throw broken(file, `its trailer is not valid JSON (${String(err)})`);
  }
  if (!isTrailer(trailer)) throw broken(file, 'its trailer has the wrong shape');
  return trailer;
}

/** Records further apart than this are read separately (a run is read whole, the lines between included). */
const RUN_BYTES = 256 * 1024;

export class DayFileReader {
  readonly fh: FileHandle;
  readonly file: string;
  readonly trailer: Trailer;
  readonly #parsed: (records: number) => void;
  /** One read buffer, reused: each read is parsed into strings before the next (no GC churn of external memory). */
  #buf = Buffer.allocUnsafe(0);

  constructor(fh: FileHandle, file: string, trailer: Trailer, parsed: (records: number) => void) {
    this.fh = fh;
    this.file = file;
    this.trailer = trailer;
    this.#parsed = parsed;
  }

  /** The section's records in history order, from the first one after `bound` (the rest, if none). */
  async *scan<K extends Kind>(kind: K, bound?: Key): AsyncGenerator<RecordOf<K>> {
    const s = this.trailer[kind];
    for (let i = startBlock(s.blocks, bound); i < s.blocks.length; i++) {
      const from = s.blocks[i]?.[2] ?? s.end;
      const to = s.blocks[i + 1]?.[2] ?? s.end;
      for (const r of this.#parse<K>(await this.#read(from, to))) {
        if (bound !== undefined && compareKeys(keyOf(kind, r), bound) <= 0) continue;
        yield r;
      }
    }
  }

  /** The (hash, offset) pairs of a section, for byIds. */
  async idPairs(kind: Kind): Promise<BigUint64Array> {
    const [from, to] = this.trailer[kind].ids;
    return decodeIdPairs((await readRange(this.fh, from, to)).toString('utf8'));
  }

  /**
   * Those of `ids` the section holds. Their offsets are read in runs: the calls of a page of entries
   * lie close together in history order, so one read usually covers them all.
   */
  async byIds<K extends Kind>(kind: K, ids: readonly string[], pairs: BigUint64Array): Promise<Map<string, RecordOf<K>>> {
    const out = new Map<string, RecordOf<K>>();
    const s = this.trailer[kind];
    const wanted: { id: string; offset: number }[] = [];
    for (const id of ids) {
      for (const offset of offsetsOf(pairs, id)) if (offset >= s.start && offset < s.end) wanted.push({ id, offset });
    }
    wanted.sort((a, b) => a.offset - b.offset);
    for (let i = 0; i < wanted.length;) {
      const first = (wanted[i] as { offset: number }).offset;
      let j = i + 1;
      while (j < wanted.length && (wanted[j] as { offset: number }).offset - first < RUN_BYTES) j++;
      const last = (wanted[j - 1] as { offset: number }).offset;
      const buf = await this.#through(first, last, s.end);
      for (const w of wanted.slice(i, j)) {
        if (out.has(w.id)) continue;
        const at = w.offset - first;
        const nl = buf.indexOf(10, at);
        const [r] = this.#parse<K>(buf.subarray(at, nl < 0 ? buf.length : nl + 1));
        if (r === undefined) throw broken(this.file, `no record at byte ${w.offset}`);
        if (r.id === w.id) out.set(w.id, r);
      }
      i = j;
    }
    return out;
  }

  /** Every record, in history order. */
  async readAll(): Promise<PartitionData> {
    const attempts: RecordOf<'attempts'>[] = [];
    const missed: RecordOf<'missed'>[] = [];
    for await (const a of this.scan('attempts')) attempts.push(a);
    for await (const m of this.scan('missed')) missed.push(m);
    return { attempts, missed };
  }

  /** Bytes from `from` through the end of the line that starts at `last`. */
  async #through(from: number, last: number, end: number): Promise<Buffer> {
    for (let len = 4096; ; len *= 4) {
      const to = Math.min(end, last + len);
      const buf = await this.#read(from, to);
      if (buf.indexOf(10, last - from) >= 0 || to >= end) return buf;
    }
  }

  #read(from: number, to: number): Promise<Buffer> {
    if (this.#buf.length < to - from) this.#buf = Buffer.allocUnsafe(Math.max(to - from, 2 * this.#buf.length));
    return readRange(this.fh, from, to, this.#buf);
  }

  #parse<K extends Kind>(buf: Buffer): RecordOf<K>[] {
    const lines = buf.toString('utf8').split('\n');
    if (lines.at(-1) === '') lines.pop();
    const out: RecordOf<K>[] = [];
    try {
      for (const line of lines) out.push(JSON.parse(line) as RecordOf<K>);
    } catch (err) {
      throw broken(this.file, `a record line is not valid JSON (${String(err)})`);
    }
    this.#parsed(out.length);
    return out;
  }
}

/** Bytes [from, to) of the file, into `into` when it is large enough (the caller is done with it before the next read). */
async function readRange(fh: FileHandle, from: number, to: number, into?: Buffer): Promise<Buffer> {
  const len = Math.max(0, to - from);
  const buf = into !== undefined && into.length >= len ? into.subarray(0, len) : Buffer.allocUnsafe(len);
  let done = 0;
  while (done < buf.length) {
    const { bytesRead } = await fh.read(buf, done, buf.length - done, from + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done === buf.length ? buf : buf.subarray(0, done);
}

function broken(file: string, what: string): Error {
  return new Error(`[ringback] [store] ${file} is not a readable Ringback day file: ${what}; refusing to read it ` +
    'rather than answer without its data. Restore the file from a backup, or move it away to accept losing what it held.');
}
