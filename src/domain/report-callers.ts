/**
 * @module Repeat callers from per-day aggregates. A day keeps one row per counted call of a known
 * caller; merging keeps, per caller, what `summarise` derives from the caller's whole call list:
 * counts, the first missed call, the last call, the last answered call and the newest name. Each
 * is a sum, a minimum or a maximum over calls, so merging days (in any order) is exact.
 *
 * A call's place in time is `(first ring ms, rank)`: rank orders one caller's calls within the same
 * millisecond the way `summarise` does (descending id), computed over the day the row belongs to.
 * It is packed into one number, `ms * 1024 + rank`, exact below 2^53 (until the year 2248).
 */
import type { ReportSummary } from './reports-types.ts';
import { compareTop } from './reports-tally.ts';
import type { CallAttempt } from './types.ts';

/**
 * `[callerKey, ms into the hour, kind, name?, rank?]`, kind 0 = abandoned short, 1 = missed,
 * 2 = answered (here or elsewhere). Name and rank are left out when empty / 0 (most calls).
 */
export type CallerRow = [string, number, number] | [string, number, number, string] | [string, number, number, string, number];

const RANKS = 1024;

export function callerRow(a: CallAttempt, msInHour: number, rank: number): CallerRow {
  const kind = a.outcome === 'missed' ? 1 : a.outcome === 'answered' || a.outcome === 'answered-elsewhere' ? 2 : 0;
  if (rank > 0) return [a.caller.key, msInHour, kind, a.callerName, Math.min(rank, RANKS - 1)];
  return a.callerName === '' ? [a.caller.key, msInHour, kind] : [a.caller.key, msInHour, kind, a.callerName];
}

/** Ranks of calls of one caller in one millisecond (descending id: 0, 1, …); calls alone in theirs are absent (0). */
export function callRanks(attempts: readonly CallAttempt[]): Map<CallAttempt, number> {
  const byInstant = new Map<string, CallAttempt | CallAttempt[]>();
  for (const a of attempts) {
    if (a.caller.key === '' || a.outcome === 'pending' || a.outcome === 'not-counted') continue;
    const key = `${a.caller.key}\u0000${Date.parse(a.firstRingAt)}`;
    const seen = byInstant.get(key);
    if (seen === undefined) byInstant.set(key, a);
    else if (Array.isArray(seen)) seen.push(a);
    else byInstant.set(key, [seen, a]);
  }
  const ranks = new Map<CallAttempt, number>();
  for (const group of byInstant.values()) {
    if (!Array.isArray(group)) continue;
    group.sort((x, y) => (x.id > y.id ? -1 : x.id < y.id ? 1 : 0)).forEach((a, i) => ranks.set(a, i));
  }
  return ranks;
}

/**
 * Per-caller tallies in parallel arrays (a month can hold a million callers: no object each).
 * `add` a day's rows with the epoch ms their hour starts at; `result` gives the report's section.
 */
export class CallerMerge {
  #index = new Map<string, number>();
  #size = 0;
  #calls = new Int32Array(1024);
  #missed = new Int32Array(1024);
  #answered = new Int32Array(1024);
  /** Order numbers (ms * 1024 + rank): last call, first missed (Infinity: none), last answered (-1: none), newest name (-1: none). */
  #last = new Float64Array(1024);
  #firstMiss = new Float64Array(1024);
  #lastAnswered = new Float64Array(1024);
  #nameAt = new Float64Array(1024);
  #names: string[] = [];

  add(rows: readonly CallerRow[], hourStartMs: number): void {
    for (const row of rows) {
      const [key, ms, kind] = row;
      const at = hourStartMs + ms;
      const rank = row[4] ?? 0;
      const order = at * RANKS + rank;
      let i = this.#index.get(key);
      if (i === undefined) {
        i = this.#grow();
        this.#index.set(key, i);
      }
      this.#calls[i] = (this.#calls[i] ?? 0) + 1;
      if (order > (this.#last[i] ?? -1)) this.#last[i] = order;
      if (kind === 1) {
        this.#missed[i] = (this.#missed[i] ?? 0) + 1;
        if (order < (this.#firstMiss[i] ?? Infinity)) this.#firstMiss[i] = order;
      } else if (kind === 2) {
        this.#answered[i] = (this.#answered[i] ?? 0) + 1;
        if (order > (this.#lastAnswered[i] ?? -1)) this.#lastAnswered[i] = order;
      }
      const name = row[3];
      // The newest name: latest ms, and within one ms the highest id, which has the lowest rank.
      const nameAt = at * RANKS + (RANKS - 1 - rank);
      if (name !== undefined && name !== '' && nameAt > (this.#nameAt[i] ?? -1)) {
        this.#nameAt[i] = nameAt;
        this.#names[i] = name;
      }
    }
  }

  result(top: number): ReportSummary['repeatCallers'] {
    const out = { callers: this.#size, repeat: 0, missedCallers: 0, calledAgain: 0, reachedLater: 0 };
    const rows: ReportSummary['repeatCallers']['top'] = [];
    for (const [callerKey, i] of this.#index) {
      const calls = this.#calls[i] ?? 0;
      const last = this.#last[i] ?? 0;
      if (calls > 1) {
        out.repeat += 1;
        rows.push({
          callerKey, name: this.#names[i] ?? '', calls, missed: this.#missed[i] ?? 0, answered: this.#answered[i] ?? 0,
          lastAt: new Date(Math.floor(last / RANKS)).toISOString(),
        });
      }
      const firstMiss = this.#firstMiss[i] ?? Infinity;
      if (firstMiss === Infinity) continue;
      out.missedCallers += 1;
      if (last > firstMiss) out.calledAgain += 1;
      if ((this.#lastAnswered[i] ?? -1) > firstMiss) out.reachedLater += 1;
    }
    rows.sort(compareTop);
    return { ...out, top: rows.slice(0, top) };
  }

  #grow(): number {
    const i = this.#size++;
    if (i >= this.#calls.length) {
      const n = this.#calls.length * 2;
      const ints = (a: Int32Array) => { const b = new Int32Array(n); b.set(a); return b; };
      const floats = (a: Float64Array) => { const b = new Float64Array(n); b.set(a); return b; };
      this.#calls = ints(this.#calls);
      this.#missed = ints(this.#missed);
      this.#answered = ints(this.#answered);
      this.#last = floats(this.#last);
      this.#firstMiss = floats(this.#firstMiss);
      this.#lastAnswered = floats(this.#lastAnswered);
      this.#nameAt = floats(this.#nameAt);
    }
    this.#last[i] = -1;
    this.#firstMiss[i] = Infinity;
    this.#lastAnswered[i] = -1;
    this.#nameAt[i] = -1;
    return i;
  }
}
