/**
 * @module A report merged from per-day aggregates (report-days.ts): equal to `summarise` over the
 * same records (test/reports/report-merge.test.ts checks it on random data), at the cost of the
 * aggregates' size instead of every call's.
 */
import { CallerMerge } from './report-callers.ts';
import { dayStart, HOUR_MS, type CallHour, type EntryHour, type ReportDay } from './report-days.ts';
import { histogramAdd, RING_BUCKETS } from './reports-stats.ts';
import { addCounts, CALLBACK_OUTCOMES, emptyTally, finishReport, personRow, STATUSES, type ReportTally } from './reports-tally.ts';
import type { ReportSummary } from './reports-types.ts';

export interface ReportPart {
  day: ReportDay;
  /** UTC hours `[fromHour, toHour)` of the day to count; all when absent. */
  fromHour?: number;
  toHour?: number;
}

export interface MergeOptions {
  period: ReportSummary['period'];
  now: string;
  /** Destinations (team ids, `ext:<n>`) to count; null = all. */
  destinations: ReadonlySet<string> | null;
  /** How many repeat callers to list (default 10). */
  topCallers?: number;
}

/** Adds aggregates one at a time (a month's days need not all be in memory at once). */
export interface ReportMerger {
  add(part: ReportPart): void;
  finish(): ReportSummary;
}

export function mergeReport(parts: Iterable<ReportPart>, opts: MergeOptions): ReportSummary {
  const m = reportMerger(opts);
  for (const part of parts) m.add(part);
  return m.finish();
}

export function reportMerger(opts: MergeOptions): ReportMerger {
  const t = emptyTally();
  const callers = new CallerMerge();
  return {
    add({ day, fromHour = 0, toHour = Infinity }) {
      const start = dayStart(day.day);
      for (const d of day.dests) {
        if (opts.destinations !== null && !opts.destinations.has(d.dest)) continue;
        for (const h of d.calls) {
          if (h.h < fromHour || h.h >= toHour) continue;
          addCalls(t, d.dest, h);
          callers.add(h.callers, start + h.h * HOUR_MS);
        }
        for (const e of d.entries) if (e.h >= fromHour && e.h < toHour) addEntries(t, e);
      }
    },
    finish: () => finishReport(t, opts.period, opts.now, callers.result(opts.topCallers ?? 10)),
  };
}

// --- Internal helpers ---

function addCalls(t: ReportTally, dest: string, h: CallHour): void {
  t.totals.attempts += h.attempts;
  t.totals.pending += h.pending;
  t.totals.notCounted += h.notCounted;
  t.after.calls += h.afterCalls;
  t.after.missed += h.afterMissed;
  for (const cell of h.local) {
    const slot = cell[0] ?? 0;
    const hour = Math.floor(slot / 7);
    const weekday = slot % 7;
    addCounts(t.totals, cell, 1);
    const byHour = t.byHour[hour];
    const byWeekday = t.byWeekday[weekday];
    if (byHour !== undefined) addCounts(byHour, cell, 1);
    if (byWeekday !== undefined) addCounts(byWeekday, cell, 1);
    t.teamRates.of(dest).addCounts(hour, weekday, cell[1] ?? 0, cell[4] ?? 0);
  }
  for (const cell of h.ring) {
    const bucket = cell[0] ?? 0;
    const into = bucket === RING_BUCKETS.length ? t.unknownRing : t.buckets[bucket];
    if (into !== undefined) addCounts(into, cell, 1);
  }
  for (const [value, n] of h.answeredRing) if (value !== undefined) histogramAdd(t.answeredRing, value, n ?? 0);
  for (const [value, n] of h.missedRing) if (value !== undefined) histogramAdd(t.missedRing, value, n ?? 0);
  for (const [ext, rang, answered, missed, slots] of h.ext) {
    let e = t.extensions.get(ext);
    if (e === undefined) t.extensions.set(ext, (e = { rang: 0, answered: 0, missed: 0 }));
    e.rang += rang;
    e.answered += answered;
    e.missed += missed;
    const rates = t.extensionRates.of(ext);
    for (const [slot = 0, calls = 0, m = 0] of slots) rates.addCounts(Math.floor(slot / 7), slot % 7, calls, m);
  }
}

function addEntries(t: ReportTally, e: EntryHour): void {
  t.entries.total += e.total;
  STATUSES.forEach((s, i) => (t.entries.byStatus[s] += e.byStatus[i] ?? 0));
  t.entries.withRepeats += e.withRepeats;
  t.callbacks.total += e.callbacks;
  CALLBACK_OUTCOMES.forEach((o, i) => {
    t.entries.returnedOutcome[o] += e.returnedOutcome[i] ?? 0;
    t.callbacks.byOutcome[o] += e.byOutcome[i] ?? 0;
  });
  for (const [person, total, outcomes] of e.byPerson) {
    const p = personRow(t, person);
    p.total += total;
    CALLBACK_OUTCOMES.forEach((o, i) => (p[o] += outcomes[i] ?? 0));
  }
  for (const [value, n] of e.toCallback) if (value !== undefined) histogramAdd(t.toCallback, value, n ?? 0);
  for (const [value, n] of e.business) if (value !== undefined) histogramAdd(t.toCallbackBusiness, value, n ?? 0);
}
