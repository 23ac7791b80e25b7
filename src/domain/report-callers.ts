/**
 * @module Repeat callers from per-day aggregates. A day keeps one row per counted call of a known
 * caller; merging finds, per caller, what `summarise` derives from the caller's whole call list:
 * counts, the first missed call, the last call, the last answered call and the newest name. Each
 * is a sum, a minimum or a maximum over calls, so merging days (in any order) is exact.
 *
 * A call's place in time is `(first ring ms, rank)`: rank orders one caller's calls within the same
 * millisecond the way `summarise` does (descending id), computed over the records derived together.
 * It is packed into one number, `ms * 1024 + rank`, exact below 2^53 (until the year 2248).
 *
 * Built for a month of a million distinct callers: keys and names are stored as one text per hour
 * (parsing a few long strings is far cheaper than a million short ones), and merging groups rows
 * by sorting numbers (a hash of the key and the row) instead of a Map with a million keys; rows
 * whose hashes collide are told apart by their keys, so the result stays exact.
 */
import type { ReportSummary } from './reports-types.ts';
import { compareTop } from './reports-tally.ts';
import type { CallAttempt } from './types.ts';

/** The calls of known callers in one hour of one destination, row by row. */
export interface CallerColumns {
  /** Each row's caller key, escaped (see `escapeLine`), followed by a newline. */
  keys: string;
  /** Per row: ms into the hour * 4 + kind (0 abandoned short, 1 missed, 2 answered here or elsewhere). */
  at: number[];
  /** Each row's caller name, escaped, followed by a newline ('' for none). */
  names: string;
  /** `[row, rank]` of the rows that share their millisecond with another call of the same caller. */
  ranks: number[][];
}

const RANKS = 1024;

export function callerColumns(calls: readonly { a: CallAttempt; msInHour: number; rank: number }[]): CallerColumns {
  const out: CallerColumns = { keys: '', at: [], names: '', ranks: [] };
  const keys: string[] = [];
  const names: string[] = [];
  calls.forEach(({ a, msInHour, rank }, row) => {
    keys.push(escapeLine(a.caller.key));
    names.push(escapeLine(a.callerName));
    out.at.push(msInHour * 4 + (a.outcome === 'missed' ? 1 : a.outcome === 'answered' || a.outcome === 'answered-elsewhere' ? 2 : 0));
    if (rank > 0) out.ranks.push([row, Math.min(rank, RANKS - 1)]);
  });
  out.keys = keys.length === 0 ? '' : `${keys.join('\n')}\n`;
  out.names = names.length === 0 ? '' : `${names.join('\n')}\n`;
  return out;
}

/** Ranks of calls of one caller in one millisecond (descending id: 0, 1, …); calls alone in theirs are absent (0). */
export function callRanks(attempts: readonly CallAttempt[]): Map<CallAttempt, number> {
  // By caller first (most call once a day), then by millisecond among one caller's calls.
  const byCaller = new Map<string, CallAttempt | CallAttempt[]>();
  for (const a of attempts) {
    if (a.caller.key === '' || a.outcome === 'pending' || a.outcome === 'not-counted') continue;
    const seen = byCaller.get(a.caller.key);
    if (seen === undefined) byCaller.set(a.caller.key, a);
    else if (Array.isArray(seen)) seen.push(a);
    else byCaller.set(a.caller.key, [seen, a]);
  }
  const ranks = new Map<CallAttempt, number>();
  for (const calls of byCaller.values()) {
    if (!Array.isArray(calls)) continue;
    const byMs = new Map<number, CallAttempt[]>();
    for (const a of calls) {
      const ms = Date.parse(a.firstRingAt);
      const same = byMs.get(ms);
      if (same === undefined) byMs.set(ms, [a]);
      else same.push(a);
    }
    for (const group of byMs.values()) {
      if (group.length > 1) group.sort((x, y) => (x.id > y.id ? -1 : x.id < y.id ? 1 : 0)).forEach((a, i) => ranks.set(a, i));
    }
  }
  return ranks;
}

/** Keys and names are stored one per line: a backslash and a newline inside one are escaped. */
export function escapeLine(s: string): string {
  return s.includes('\\') || s.includes('\n') ? s.replaceAll('\\', '\\\\').replaceAll('\n', '\\n') : s;
}

function unescapeLine(s: string): string {
  return s.includes('\\') ? s.replace(/\\(\\|n)/g, (_, c: string) => (c === 'n' ? '\n' : '\\')) : s;
}

interface Bucket {
  keys: string;
  names: string;
  nameLines?: string[];
}

/** Collects rows (`add` per hour), then `result` gives the report's repeat-caller section. */
export class CallerMerge {
  readonly #buckets: Bucket[] = [];
  #n = 0;
  #hash = new Uint32Array(4096);
  #order = new Float64Array(4096);
  #kind = new Uint8Array(4096);
  #bucket = new Uint32Array(4096);
  /** Offset of the row's key in its bucket's `keys`, and the row's number in the bucket. */
  #keyAt = new Uint32Array(4096);
  #row = new Uint32Array(4096);

  add(c: CallerColumns, hourStartMs: number): void {
    const rows = c.at.length;
    if (rows === 0) return;
    const b = this.#buckets.push({ keys: c.keys, names: c.names }) - 1;
    this.#reserve(this.#n + rows);
    const rank = new Map<number, number>();
    for (const [row = 0, r = 0] of c.ranks) rank.set(row, r);
    const keys = c.keys;
    let pos = 0;
    for (let row = 0; row < rows; row++) {
      const i = this.#n++;
      // FNV-1a over the key's characters, up to its newline.
      let h = 0x811c9dc5;
      const start = pos;
      for (let ch = keys.charCodeAt(pos); ch !== 10 && pos < keys.length; ch = keys.charCodeAt(++pos)) h = Math.imul(h ^ ch, 0x01000193);
      pos++;
      const at = c.at[row] ?? 0;
      this.#hash[i] = h >>> 0;
      this.#order[i] = (hourStartMs + Math.floor(at / 4)) * RANKS + (rank.get(row) ?? 0);
      this.#kind[i] = at % 4;
      this.#bucket[i] = b;
      this.#keyAt[i] = start;
      this.#row[i] = row;
    }
  }

  result(top: number): ReportSummary['repeatCallers'] {
    const n = this.#n;
    const out = { callers: 0, repeat: 0, missedCallers: 0, calledAgain: 0, reachedLater: 0 };
    // Sort (hash, row) packed in one double: the row takes `bits` bits, the hash what is left of 53.
    const bits = Math.max(22, Math.ceil(Math.log2(n + 1)));
    const shift = Math.max(0, 32 - (53 - bits));
    const scale = 2 ** bits;
    const packed = new Float64Array(n);
    for (let i = 0; i < n; i++) packed[i] = ((this.#hash[i] ?? 0) >>> shift) * scale + i;
    packed.sort();
    const candidates: (ReportSummary['repeatCallers']['top'][number] & { rows: number[] })[] = [];
    for (let g = 0; g < n;) {
      const high = Math.floor((packed[g] ?? 0) / scale);
      let end = g + 1;
      while (end < n && Math.floor((packed[end] ?? 0) / scale) === high) end++;
      if (end - g === 1) {
        out.callers += 1;
        if (this.#kind[(packed[g] ?? 0) % scale] === 1) out.missedCallers += 1;
      } else {
        for (const [callerKey, rows] of this.#byKey(packed.subarray(g, end), scale)) {
          out.callers += 1;
          const c = this.#caller(rows, out);
          if (c !== null) candidates.push({ callerKey, name: '', ...c, rows });
        }
      }
      g = end;
    }
    candidates.sort(compareTop);
    return {
      ...out,
      top: candidates.slice(0, top).map(({ rows, ...row }) => ({ ...row, name: this.#newestName(rows) })),
    };
  }

  /** One caller's rows: counts into `out`; the top-list row when it called more than once. */
  #caller(rows: readonly number[], out: { repeat: number; missedCallers: number; calledAgain: number; reachedLater: number }) {
    let missed = 0;
    let answered = 0;
    let last = -1;
    let firstMiss = Infinity;
    let lastAnswered = -1;
    for (const i of rows) {
      const order = this.#order[i] ?? 0;
      const kind = this.#kind[i];
      if (order > last) last = order;
      if (kind === 1) {
        missed += 1;
        if (order < firstMiss) firstMiss = order;
      } else if (kind === 2) {
        answered += 1;
        if (order > lastAnswered) lastAnswered = order;
      }
    }
    if (firstMiss !== Infinity) {
      out.missedCallers += 1;
      if (last > firstMiss) out.calledAgain += 1;
      if (lastAnswered > firstMiss) out.reachedLater += 1;
    }
    if (rows.length < 2) return null;
    out.repeat += 1;
    return { calls: rows.length, missed, answered, lastAt: new Date(Math.floor(last / RANKS)).toISOString() };
  }

  /** Rows of one hash told apart by their keys (almost always one key). */
  #byKey(group: Float64Array, scale: number): Map<string, number[]> {
    const byKey = new Map<string, number[]>();
    for (const p of group) {
      const i = p % scale;
      const key = this.#keyOf(i);
      const rows = byKey.get(key);
      if (rows === undefined) byKey.set(key, [i]);
      else rows.push(i);
    }
    return byKey;
  }

  #keyOf(i: number): string {
    const keys = this.#buckets[this.#bucket[i] ?? 0]?.keys ?? '';
    const start = this.#keyAt[i] ?? 0;
    return unescapeLine(keys.slice(start, keys.indexOf('\n', start)));
  }

  /** The name of the newest call that carried one: latest ms, and within one ms the highest id (lowest rank). */
  #newestName(rows: readonly number[]): string {
    let best = '';
    let bestAt = -1;
    for (const i of rows) {
      const b = this.#buckets[this.#bucket[i] ?? 0];
      if (b === undefined) continue;
      b.nameLines ??= b.names.split('\n');
      const name = b.nameLines[this.#row[i] ?? 0] ?? '';
      const order = this.#order[i] ?? 0;
      const at = Math.floor(order / RANKS) * RANKS + (RANKS - 1 - (order % RANKS));
      if (name !== '' && at > bestAt) {
        bestAt = at;
        best = name;
      }
    }
    return unescapeLine(best);
  }

  #reserve(size: number): void {
    if (size <= this.#hash.length) return;
    let n = this.#hash.length;
    while (n < size) n *= 2;
    const grow = <A extends Uint32Array | Float64Array | Uint8Array>(a: A, make: (n: number) => A): A => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.#hash = grow(this.#hash, (k) => new Uint32Array(k));
    this.#order = grow(this.#order, (k) => new Float64Array(k));
    this.#kind = grow(this.#kind, (k) => new Uint8Array(k));
    this.#bucket = grow(this.#bucket, (k) => new Uint32Array(k));
    this.#keyAt = grow(this.#keyAt, (k) => new Uint32Array(k));
    this.#row = grow(this.#row, (k) => new Uint32Array(k));
  }
}
