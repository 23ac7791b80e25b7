/**
 * @module Day file format 2 (`calls/<day>.json`): one record per line in history order, with a
 * trailer of byte offsets, so a read parses only the records it returns. Layout:
 *
 *   {"ringback":"calls-day","format":2}         header
 *   <attempt>…                                   attempts, newest first (firstRingAt, then id)
 *   <missed call>…                               missed calls, newest first (firstAt, then id)
 *   "<base64>"                                   per section, (id hash, byte offset) pairs sorted by hash
 *   {"attempts":{…},"missed":{…}}                the trailer: per section its byte range and the key
 *                                                and offset of every BLOCK_RECORDS-th record
 *   {"trailerAt":"000000012345678"}              fixed width: where the trailer line starts
 *
 * The file is still written whole (temp file, fsync, rename), so the offsets always describe the
 * bytes next to them: there is no separate index that a crash could leave behind.
 */
import type { CallAttempt, MissedCall } from '../../domain/types.ts';
import { hashId } from './day-index.ts';
import type { PartitionData } from './files.ts';

/** Grows when the layout changes (bench:scale keys its cached seed by it). */
export const DAY_FORMAT = 2;
export const DAY_HEADER = `{"ringback":"calls-day","format":${DAY_FORMAT}}\n`;
export const BLOCK_RECORDS = 128;

export type Kind = 'attempts' | 'missed';
export type RecordOf<K extends Kind> = K extends 'attempts' ? CallAttempt : MissedCall;

/** A record's place in history order: newest first by its filing instant, then by id. */
export interface Key {
  at: string;
  id: string;
}

export interface Section {
  /** Byte range of the section's lines. */
  start: number;
  end: number;
  count: number;
  /** [at, id, byte offset] of records 0, BLOCK_RECORDS, 2·BLOCK_RECORDS … */
  blocks: [string, string, number][];
  /** Byte range of the id line: a JSON string of base64 little-endian uint64 (hash << 32 | offset). */
  ids: [number, number];
}

export interface Trailer {
  attempts: Section;
  missed: Section;
}

export function keyOf(kind: Kind, r: CallAttempt | MissedCall): Key {
  return { at: kind === 'attempts' ? (r as CallAttempt).firstRingAt : (r as MissedCall).firstAt, id: r.id };
}

/** Negative when `a` comes first in history order (is newer). */
export function compareKeys(a: Key, b: Key): number {
  if (a.at !== b.at) return a.at > b.at ? -1 : 1;
  return a.id === b.id ? 0 : a.id > b.id ? -1 : 1;
}

/** Records stringified per turn of the event loop: a busy day holds tens of thousands. */
const RECORDS_PER_SLICE = 250;

/**
 * A record's line as the day's previous file holds it (`\n` included), when the record did not
 * change since that file was written: copied instead of stringified again (day-file-reuse.ts).
 */
export type PreviousLine = (kind: Kind, record: CallAttempt | MissedCall) => Buffer | undefined;

/** The file's bytes (records are sorted here; the arrays given are not changed). */
export async function encodeDay(data: PartitionData, previous?: PreviousLine): Promise<Buffer> {
  const out = new Chunks();
  out.text(DAY_HEADER);
  let offset = Buffer.byteLength(DAY_HEADER);
  const sections: Partial<Trailer> = {};
  const idLines: { kind: Kind; pairs: BigUint64Array }[] = [];
  for (const kind of ['attempts', 'missed'] as const) {
    const records = sortedRecords(kind, data[kind]);
    const blocks: [string, string, number][] = [];
    const pairs = new BigUint64Array(records.length);
    const start = offset;
    for (let i = 0; i < records.length; i++) {
      if (i > 0 && i % RECORDS_PER_SLICE === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      const r = records[i] as CallAttempt | MissedCall;
      if (i % BLOCK_RECORDS === 0) {
        const k = keyOf(kind, r);
        blocks.push([k.at, k.id, offset]);
      }
      pairs[i] = (BigInt(hashId(r.id)) << 32n) | BigInt(offset);
      const kept = previous?.(kind, r);
      if (kept !== undefined) {
        out.bytes(kept);
        offset += kept.length;
        continue;
      }
      const line = `${JSON.stringify(r)}\n`;
      out.text(line);
      offset += Buffer.byteLength(line);
    }
    sections[kind] = { start, end: offset, count: records.length, blocks, ids: [0, 0] };
    idLines.push({ kind, pairs: pairs.sort() });
  }
  const trailer = sections as Trailer;
  for (const { kind, pairs } of idLines) {
    const line = `${JSON.stringify(Buffer.from(pairs.buffer, pairs.byteOffset, pairs.byteLength).toString('base64'))}\n`;
    trailer[kind].ids = [offset, offset + Buffer.byteLength(line) - 1];
    out.text(line);
    offset += Buffer.byteLength(line);
  }
  out.text(`${JSON.stringify(trailer)}\n`);
  out.text(footer(offset));
  return out.done();
}

/** Lines and copied byte ranges in file order; runs of text become one Buffer each. */
class Chunks {
  readonly #parts: Buffer[] = [];
  #texts: string[] = [];

  text(s: string): void {
    this.#texts.push(s);
  }

  bytes(b: Buffer): void {
    this.#flush();
    this.#parts.push(b);
  }

  done(): Buffer {
    this.#flush();
    return Buffer.concat(this.#parts);
  }

  #flush(): void {
    if (this.#texts.length === 0) return;
    this.#parts.push(Buffer.from(this.#texts.join(''), 'utf8'));
    this.#texts = [];
  }
}

/** `{"trailerAt":"` + 15 digits + `"}\n` */
export const FOOTER_BYTES = footer(0).length;

export function footer(trailerAt: number): string {
  return `{"trailerAt":"${String(trailerAt).padStart(15, '0')}"}\n`;
}

/** Where the trailer starts, from the file's last FOOTER_BYTES bytes; null if they are not a footer. */
export function parseFooter(text: string): number | null {
  const m = /^\{"trailerAt":"(\d{15})"\}\n$/.exec(text);
  return m?.[1] === undefined ? null : Number(m[1]);
}

export function isTrailer(v: unknown): v is Trailer {
  const o = v as Partial<Trailer> | null;
  return typeof o === 'object' && o !== null && isSection(o.attempts) && isSection(o.missed);
}

function isSection(v: unknown): v is Section {
  const s = v as Partial<Section> | null;
  return typeof s === 'object' && s !== null && typeof s.start === 'number' && typeof s.end === 'number' &&
    typeof s.count === 'number' && Array.isArray(s.blocks) && Array.isArray(s.ids);
}

/** The id line's pairs (copied into an aligned buffer). */
export function decodeIdPairs(line: string): BigUint64Array {
  const buf = Buffer.from(JSON.parse(line) as string, 'base64');
  const out = new BigUint64Array(buf.length >>> 3);
  new Uint8Array(out.buffer).set(buf.subarray(0, out.length * 8));
  return out;
}

/** Byte offsets of the records whose id hashes like `id` (usually one; a collision gives more). */
export function offsetsOf(pairs: BigUint64Array, id: string): number[] {
  const h = BigInt(hashId(id));
  const lo = h << 32n;
  let a = 0;
  let b = pairs.length;
  while (a < b) {
    const mid = (a + b) >>> 1;
    if ((pairs[mid] ?? 0n) < lo) a = mid + 1;
    else b = mid;
  }
  const out: number[] = [];
  for (let i = a; i < pairs.length && ((pairs[i] ?? 0n) >> 32n) === h; i++) out.push(Number((pairs[i] ?? 0n) & 0xffffffffn));
  return out;
}

/**
 * The index of the first block that may hold a record after `bound` in history order (every
 * record before it is newer than or equal to the bound): where a page or a time range starts.
 */
export function startBlock(blocks: readonly [string, string, number][], bound: Key | undefined): number {
  if (bound === undefined) return 0;
  let a = 0;
  let b = blocks.length;
  // First block whose first key is after the bound; the block before it may hold later ones too.
  while (a < b) {
    const mid = (a + b) >>> 1;
    const [at, id] = blocks[mid] ?? ['', '', 0];
    if (compareKeys({ at, id }, bound) <= 0) a = mid + 1;
    else b = mid;
  }
  return Math.max(0, a - 1);
}

export function sortedRecords<K extends Kind>(kind: K, records: readonly RecordOf<K>[]): RecordOf<K>[] {
  return [...records].sort((a, b) => compareKeys(keyOf(kind, a), keyOf(kind, b)));
}
