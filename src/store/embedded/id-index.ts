/** @module Which cold day may hold an id: a sorted array of 32-bit id hashes per day (4 bytes per record in memory). */
export interface DayIds {
  attempts: Uint32Array;
  missed: Uint32Array;
}

/** The `ids` sidecar's value: each array base64-encoded. */
export interface StoredIds {
  a: string;
  m: string;
}

export const IDS_SIDECAR = 'ids';
export const IDS_VERSION = 1;

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
  return { attempts: sortedHashes(data.attempts), missed: sortedHashes(data.missed) };
}

export function encodeIds(ids: DayIds): StoredIds {
  return { a: Buffer.from(ids.attempts.buffer, ids.attempts.byteOffset, ids.attempts.byteLength).toString('base64'),
    m: Buffer.from(ids.missed.buffer, ids.missed.byteOffset, ids.missed.byteLength).toString('base64') };
}

export function decodeIds(v: StoredIds): DayIds {
  return { attempts: fromBase64(v.a), missed: fromBase64(v.m) };
}

/** Binary search: false means the day surely does not hold the id; true means it may. */
export function mayHold(sorted: Uint32Array, id: string): boolean {
  const h = hashId(id);
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

function fromBase64(s: string): Uint32Array {
  const buf = Buffer.from(s, 'base64');
  // Copy into an aligned buffer: a Buffer's slice of the shared pool may sit at any offset.
  const out = new Uint32Array(buf.length >>> 2);
  new Uint8Array(out.buffer).set(buf.subarray(0, out.length * 4));
  return out;
}
