/**
 * @module A day's index, `index/<day>.json`, written with its day file: the day's open entries (a
 * start reads these instead of the cold day files) and which ids it may hold, as sorted 32-bit id
 * hashes (4 bytes per record in memory: history finds an old entry by id reading one day).
 */
import type { MissedCall } from '../../domain/types.ts';
import { isOpen } from '../memory-index.ts';
/** Sorted hashes, and a bit filter over them that rules most ids out with one lookup. */
export interface IdHashes {
  sorted: Uint32Array;
  bits: Uint32Array;
}

export interface DayIds {
  attempts: IdHashes;
  missed: IdHashes;
}

/**
 * Filter bits per id hash: at 4, about a fifth of the ids a day does not hold still reach the binary
 * search (which answers exactly). The filter is kept for every cold day, so it is sized by the day:
 * a fixed 2^20 bits was 256 kB a day whatever it held, 7.7 MB at 30 days and 77 MB at 300.
 */
const BITS_PER_ID = 4;
const MIN_FILTER_BITS = 1 << 10;
const MAX_FILTER_BITS = 1 << 20;

/** A power of two (the mask is its bits - 1) of about BITS_PER_ID bits per hash. */
export function filterBits(count: number): number {
  let bits = MIN_FILTER_BITS;
  while (bits < count * BITS_PER_ID && bits < MAX_FILTER_BITS) bits *= 2;
  return bits;
}

function hashes(sorted: Uint32Array): IdHashes {
  const size = filterBits(sorted.length);
  const bits = new Uint32Array(size >>> 5);
  for (const h of sorted) {
    const b = h & (size - 1);
    bits[b >>> 5] = (bits[b >>> 5] ?? 0) | (1 << (b & 31));
  }
  return { sorted, bits };
}

/** The sidecar's value: each hash array base64-encoded, and the open missed calls. */
export interface StoredIndex {
  a: string;
  m: string;
  open: MissedCall[];
}

export const INDEX_SIDECAR = 'index';
export const INDEX_VERSION = 1;

/** FNV-1a over the UTF-16 code units: cheap and well spread for UUIDs. */
export function hashId(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function buildIds(data: { attempts: readonly { id: string }[]; missed: readonly { id: string }[] }): DayIds {
  return { attempts: hashes(sortedHashes(data.attempts)), missed: hashes(sortedHashes(data.missed)) };
}

export function buildIndex(data: { attempts: readonly { id: string }[]; missed: readonly MissedCall[] }): StoredIndex {
  const ids = buildIds(data);
  return { a: base64(ids.attempts.sorted), m: base64(ids.missed.sorted), open: data.missed.filter((m) => isOpen(m.status)) };
}

/** Whether a parsed sidecar value has the shape written (it is read from disk). */
export function isStoredIndex(v: unknown): v is StoredIndex {
  const o = v as Partial<StoredIndex> | null;
  return typeof o === 'object' && o !== null && typeof o.a === 'string' && typeof o.m === 'string' && Array.isArray(o.open);
}

export function decodeIds(v: StoredIndex): DayIds {
  return { attempts: hashes(fromBase64(v.a)), missed: hashes(fromBase64(v.m)) };
}

/** Binary search: false means the day surely does not hold the id; true means it may. */
export function mayHold(ids: IdHashes, id: string): boolean {
  return mayHoldHash(ids, hashId(id));
}

export function mayHoldHash(ids: IdHashes, h: number): boolean {
  const b = h & (ids.bits.length * 32 - 1);
  if (((ids.bits[b >>> 5] ?? 0) & (1 << (b & 31))) === 0) return false;
  const sorted = ids.sorted;
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] ?? 0) < h) lo = mid + 1;
    else hi = mid;
  }
  return sorted[lo] === h;
}

function sortedHashes(records: readonly { id: string }[]): Uint32Array {
  const out = new Uint32Array(records.length);
  for (let i = 0; i < records.length; i++) out[i] = hashId((records[i] as { id: string }).id);
  return out.sort();
}

function base64(a: Uint32Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

function fromBase64(s: string): Uint32Array {
  const buf = Buffer.from(s, 'base64');
  // Copy into an aligned buffer: a Buffer's slice of the shared pool may sit at any offset.
  const out = new Uint32Array(buf.length >>> 2);
  new Uint8Array(out.buffer).set(buf.subarray(0, out.length * 4));
  return out;
}
