/**
 * @module The report's running tallies and how they become a ReportSummary. Shared by `summarise`
 * (one record at a time) and `mergeReport` (per-day aggregates), so both produce the same shape,
 * the same key order in JSON and the same rounding: only how the tallies are filled differs.
 */
import { rateTallies, type RateTable } from './reports-rates.ts';
import { bucketLabel, histogramQuantiles, rate, RING_BUCKETS, type Histogram } from './reports-stats.ts';
import type { OutcomeCounts, ReportSummary } from './reports-types.ts';
import type { CallAttempt, CallbackOutcome, MissedCall, MissedStatus } from './types.ts';

export const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
export const STATUSES: readonly MissedStatus[] = ['pending', 'assigned', 'returned', 'ignored', 'closed'];
export const CALLBACK_OUTCOMES: readonly CallbackOutcome[] = ['reached', 'voicemail', 'no-answer', 'wrong-number', 'dialled'];

type PersonRow = ReportSummary['callbacks']['byPerson'][number];

export interface ReportTally {
  totals: OutcomeCounts & { attempts: number; notCounted: number; pending: number };
  /** 24 local hours, 7 weekdays. */
  byHour: OutcomeCounts[];
  byWeekday: OutcomeCounts[];
  after: { calls: number; missed: number };
  /** One per RING_BUCKETS bucket. */
  buckets: OutcomeCounts[];
  unknownRing: OutcomeCounts;
  answeredRing: Histogram;
  missedRing: Histogram;
  extensions: Map<string, { rang: number; answered: number; missed: number }>;
  teamRates: ReturnType<typeof rateTallies>;
  extensionRates: ReturnType<typeof rateTallies>;
  entries: ReportSummary['entries'];
  callbacks: { total: number; byOutcome: Record<CallbackOutcome, number> };
  byPerson: Map<string, PersonRow>;
  toCallback: Histogram;
  toCallbackBusiness: Histogram;
}

export function emptyTally(): ReportTally {
  return {
    totals: { ...zero(), attempts: 0, notCounted: 0, pending: 0 },
    byHour: Array.from({ length: 24 }, zero),
    byWeekday: Array.from({ length: 7 }, zero),
    after: { calls: 0, missed: 0 },
    buckets: RING_BUCKETS.map(zero),
    unknownRing: zero(),
    answeredRing: new Map(),
    missedRing: new Map(),
    extensions: new Map(),
    teamRates: rateTallies(),
    extensionRates: rateTallies(),
    entries: { total: 0, byStatus: record(STATUSES, 0), withRepeats: 0, returnedOutcome: record(CALLBACK_OUTCOMES, 0) },
    callbacks: { total: 0, byOutcome: record(CALLBACK_OUTCOMES, 0) },
    byPerson: new Map(),
    toCallback: new Map(),
    toCallbackBusiness: new Map(),
  };
}

export function zero(): OutcomeCounts {
  return { calls: 0, answered: 0, answeredElsewhere: 0, missed: 0, abandonedShort: 0 };
}

/** One settled call of `outcome`. */
export function count(c: OutcomeCounts, outcome: CallAttempt['outcome']): void {
  c.calls += 1;
  if (outcome === 'answered') c.answered += 1;
  else if (outcome === 'answered-elsewhere') c.answeredElsewhere += 1;
  else if (outcome === 'missed') c.missed += 1;
  else if (outcome === 'abandoned-short') c.abandonedShort += 1;
}

/** Counts `[calls, answered, answeredElsewhere, missed, abandonedShort]` read from an aggregate. */
export function addCounts(c: OutcomeCounts, n: readonly number[], from = 0): void {
  c.calls += n[from] ?? 0;
  c.answered += n[from + 1] ?? 0;
  c.answeredElsewhere += n[from + 2] ?? 0;
  c.missed += n[from + 3] ?? 0;
  c.abandonedShort += n[from + 4] ?? 0;
}

/** A callback person's row, created on first use. */
export function personRow(t: ReportTally, person: string): PersonRow {
  let p = t.byPerson.get(person);
  if (p === undefined) t.byPerson.set(person, (p = { person, total: 0, ...record(CALLBACK_OUTCOMES, 0) }));
  return p;
}

/**
 * Seconds from an entry's first call to its first callback, in all and in business hours only;
 * null when it was never called back.
 */
export function callbackSeconds(m: MissedCall, businessMs: (from: string, to: string) => number): { seconds: number; business: number } | null {
  const first = m.callbacks.reduce<string | null>((min, c) => (min === null || c.at < min ? c.at : min), null);
  if (first === null) return null;
  return {
    seconds: Math.max(0, Math.round((Date.parse(first) - Date.parse(m.firstAt)) / 1000)),
    business: Math.round(businessMs(m.firstAt, first) / 1000),
  };
}

/** The order of the repeat callers' list: most calls, then most missed, newest last call, then the key (a total order). */
export function compareTop(a: ReportSummary['repeatCallers']['top'][number], b: ReportSummary['repeatCallers']['top'][number]): number {
  return b.calls - a.calls || b.missed - a.missed || (a.lastAt < b.lastAt ? 1 : a.lastAt > b.lastAt ? -1 : codeUnits(a.callerKey, b.callerKey));
}

export function finishReport(t: ReportTally, period: ReportSummary['period'], now: string, repeatCallers: ReportSummary['repeatCallers']): ReportSummary {
  const extRates = t.extensionRates.tables();
  // The code-unit order breaks ties of the collation ("01" and "1"), so the order never depends on the records' order.
  const ext = [...t.extensions].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }) || codeUnits(a, b))
    .map(([extension, e]) => ({ extension, ...e, missedShare: rate(e.missed, e.rang), rates: extRates.get(extension) ?? emptyRates() }));
  const byTeam = [...t.teamRates.tables()].map(([team, r]) => ({ team, ...r }))
    .sort((a, b) => b.calls - a.calls || a.team.localeCompare(b.team) || codeUnits(a.team, b.team));
  const seconds = histogramQuantiles(t.toCallback);
  const { totals, after } = t;
  return {
    period,
    generatedAt: now,
    totals: { ...totals, missedRate: rate(totals.missed, totals.calls), abandonedShortRate: rate(totals.abandonedShort, totals.calls) },
    byHour: t.byHour.map((h, hour) => ({ hour, ...h, missedRate: rate(h.missed, h.calls) })),
    byWeekday: t.byWeekday.map((d, weekday) => ({ weekday, name: WEEKDAYS[weekday] ?? '', ...d, missedRate: rate(d.missed, d.calls) })),
    byTeam,
    afterHours: { ...after, callsShare: rate(after.calls, totals.calls), missedShare: rate(after.missed, totals.missed) },
    ringDuration: {
      buckets: RING_BUCKETS.map((from, i) => ({
        from, to: RING_BUCKETS[i + 1] === undefined ? null : (RING_BUCKETS[i + 1] ?? 0) - 1, label: bucketLabel(i), ...(t.buckets[i] ?? zero()),
      })),
      unknown: t.unknownRing,
      answeredSeconds: histogramQuantiles(t.answeredRing),
      missedSeconds: histogramQuantiles(t.missedRing),
    },
    entries: t.entries,
    timeToCallback: {
      calledBack: seconds.count, notCalledBack: t.entries.total - seconds.count,
      seconds, businessSeconds: histogramQuantiles(t.toCallbackBusiness),
    },
    callbacks: { ...t.callbacks, byPerson: [...t.byPerson.values()].sort((a, b) => b.total - a.total || a.person.localeCompare(b.person) || codeUnits(a.person, b.person)) },
    repeatCallers,
    extensions: ext,
  };
}

export function record<K extends string, V>(keys: readonly K[], value: V): Record<K, V> {
  return Object.fromEntries(keys.map((k) => [k, value])) as Record<K, V>;
}

function codeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function emptyRates(): RateTable {
  return rateTallies().of('').table();
}
