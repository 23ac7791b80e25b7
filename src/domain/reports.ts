/**
 * @module Reports over stored CallAttempts and MissedCalls: pure, the period and `now` passed in.
 *
 * What is counted, so the numbers add up and can be checked against the raw records:
 * - A *call* is one CallAttempt (a ring group ringing ten phones is one call) whose outcome is
 *   settled and counted: answered, answered elsewhere, missed or abandoned-short. Attempts still
 *   ringing (`pending`) and those the policy does not count (internal, anonymous) are reported apart.
 *   So `attempts = calls + notCounted + pending` and `calls = answered + answeredElsewhere + missed +
 *   abandonedShort`; every breakdown of calls (hour, weekday, ring time) sums to `calls`.
 * - *Missed* counts calls (attempts); *entries* are the callback list's MissedCalls (repeat calls
 *   of one caller are one entry), filed by their first call.
 * - Hours and weekdays are local to each call's team; after-hours uses the team's business hours.
 */
import { rangExtensions } from './rang.ts';
import { rateTallies, type RateTable } from './reports-rates.ts';
import { businessMsBetween, isWithinBusinessHours, localParts, type BusinessHours } from './schedule.ts';
import { bucketLabel, bucketOf, quantiles, rate, RING_BUCKETS, type Quantiles } from './reports-stats.ts';
import type { CallAttempt, CallbackOutcome, MissedCall, MissedStatus } from './types.ts';

export interface ReportTeam {
  timeZone: string;
  businessHours?: BusinessHours | undefined;
}

export interface ReportInput {
  /** Attempts whose first ring lies in the period. */
  attempts: Iterable<CallAttempt>;
  /** Entries whose first call lies in the period. */
  missed: Iterable<MissedCall>;
  /** Zone and hours of a destination (team id, or `ext:<n>` for phones in no team). */
  teamOf: (destination: string) => ReportTeam;
  period: { from: string | null; to: string };
  now: string;
  /** How many repeat callers to list (default 10). */
  topCallers?: number;
}

export interface OutcomeCounts {
  calls: number;
  answered: number;
  answeredElsewhere: number;
  missed: number;
  abandonedShort: number;
}

export interface ReportSummary {
  period: { from: string | null; to: string };
  generatedAt: string;
  totals: OutcomeCounts & {
    attempts: number;
    notCounted: number;
    pending: number;
    /** missed / calls */
    missedRate: number | null;
    abandonedShortRate: number | null;
  };
  /** 24 rows, hour 0-23 local to each call's team; `missedRate` = missed / calls of that hour. */
  byHour: (OutcomeCounts & { hour: number; missedRate: number | null })[];
  /** 7 rows, 0 = Sunday … 6 = Saturday. */
  byWeekday: (OutcomeCounts & { weekday: number; name: string; missedRate: number | null })[];
  /** Per team (destination): calls, missed and the missed rate, in all and by hour and weekday. */
  byTeam: (RateTable & { team: string })[];
  afterHours: { calls: number; missed: number; callsShare: number | null; missedShare: number | null };
  ringDuration: {
    buckets: (OutcomeCounts & { from: number; to: number | null; label: string })[];
    /** Calls whose ring time is unknown (some PBX answers carry none). */
    unknown: OutcomeCounts;
    answeredSeconds: Quantiles;
    missedSeconds: Quantiles;
  };
  entries: {
    total: number;
    byStatus: Record<MissedStatus, number>;
    /** Entries grouping more than one call of the same caller. */
    withRepeats: number;
    /** How the returned ones were settled. */
    returnedOutcome: Record<CallbackOutcome, number>;
  };
  timeToCallback: {
    /** Entries with at least one callback (any outcome, from a phone, the API or dialled back). */
    calledBack: number;
    notCalledBack: number;
    /** From the entry's first call to its first callback. */
    seconds: Quantiles;
    /** The same, counting only the team's business hours (a call at 18:00 returned at 08:05 = 5 min). */
    businessSeconds: Quantiles;
  };
  callbacks: {
    total: number;
    byOutcome: Record<CallbackOutcome, number>;
    byPerson: ({ person: string; total: number } & Record<CallbackOutcome, number>)[];
  };
  repeatCallers: {
    /** Distinct known callers (anonymous ones cannot be told apart). */
    callers: number;
    /** Callers with two or more calls. */
    repeat: number;
    missedCallers: number;
    /** Missed callers who called again after their first missed call… */
    calledAgain: number;
    /** …and of those, the ones a later call of theirs was answered. */
    reachedLater: number;
    top: { callerKey: string; name: string; calls: number; missed: number; answered: number; lastAt: string }[];
  };
  /**
   * Per extension that rang: for finding a phone that never answers. `rates` counts the calls that
   * rang it (`calls`) and those of them nobody answered, by hour and weekday.
   */
  extensions: { extension: string; rang: number; answered: number; missed: number; missedShare: number | null; rates: RateTable }[];
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
const STATUSES: readonly MissedStatus[] = ['pending', 'assigned', 'returned', 'ignored', 'closed'];
const CALLBACK_OUTCOMES: readonly CallbackOutcome[] = ['reached', 'voicemail', 'no-answer', 'wrong-number', 'dialled'];

export function summarise(input: ReportInput): ReportSummary {
  const totals = { ...zero(), attempts: 0, notCounted: 0, pending: 0 };
  const byHour = Array.from({ length: 24 }, (_, hour) => ({ hour, ...zero() }));
  const byWeekday = Array.from({ length: 7 }, (_, weekday) => ({ weekday, name: WEEKDAYS[weekday] ?? '', ...zero() }));
  const after = { calls: 0, missed: 0 };
  const buckets = RING_BUCKETS.map((from, i) => ({ from, to: RING_BUCKETS[i + 1] === undefined ? null : (RING_BUCKETS[i + 1] ?? 0) - 1, label: bucketLabel(i), ...zero() }));
  const unknownRing = zero();
  const answeredRing: number[] = [];
  const missedRing: number[] = [];
  const callers = new Map<string, CallerTally>();
  const extensions = new Map<string, { rang: number; answered: number; missed: number }>();
  const teamRates = rateTallies();
  const extensionRates = rateTallies();

  for (const a of input.attempts) {
    totals.attempts += 1;
    if (a.outcome === 'pending') { totals.pending += 1; continue; }
    if (a.outcome === 'not-counted') { totals.notCounted += 1; continue; }
    const team = input.teamOf(a.destination);
    const local = localParts(a.firstRingAt, team.timeZone);
    count(totals, a.outcome);
    count(byHour[Number(local.time.slice(0, 2))] ?? zero(), a.outcome);
    count(byWeekday[local.weekday] ?? zero(), a.outcome);
    if (!isWithinBusinessHours(team.businessHours, team.timeZone, a.firstRingAt)) {
      after.calls += 1;
      if (a.outcome === 'missed') after.missed += 1;
    }
    if (a.ringSeconds === null) count(unknownRing, a.outcome);
    else {
      count(buckets[bucketOf(a.ringSeconds)] ?? zero(), a.outcome);
      if (a.outcome === 'answered' || a.outcome === 'answered-elsewhere') answeredRing.push(a.ringSeconds);
      if (a.outcome === 'missed') missedRing.push(a.ringSeconds);
    }
    if (a.caller.key !== '') tallyCaller(callers, a);
    tallyExtensions(extensions, a);
    const hour = Number(local.time.slice(0, 2));
    teamRates.of(a.destination).add(hour, local.weekday, a.outcome === 'missed');
    for (const ext of new Set(rangExtensions(a))) extensionRates.of(ext).add(hour, local.weekday, a.outcome === 'missed');
  }

  const entries = { total: 0, byStatus: record(STATUSES, 0), withRepeats: 0, returnedOutcome: record(CALLBACK_OUTCOMES, 0) };
  const callbacks = { total: 0, byOutcome: record(CALLBACK_OUTCOMES, 0) };
  const byPerson = new Map<string, { person: string; total: number } & Record<CallbackOutcome, number>>();
  const toCallback: number[] = [];
  const toCallbackBusiness: number[] = [];
  for (const m of input.missed) {
    entries.total += 1;
    entries.byStatus[m.status] += 1;
    if (m.attemptIds.length > 1) entries.withRepeats += 1;
    if (m.status === 'returned' && m.returned !== null) entries.returnedOutcome[m.returned.outcome] += 1;
    for (const c of m.callbacks) {
      callbacks.total += 1;
      callbacks.byOutcome[c.outcome] += 1;
      let p = byPerson.get(c.by);
      if (p === undefined) byPerson.set(c.by, (p = { person: c.by, total: 0, ...record(CALLBACK_OUTCOMES, 0) }));
      p.total += 1;
      p[c.outcome] += 1;
    }
    const first = m.callbacks.reduce<string | null>((min, c) => (min === null || c.at < min ? c.at : min), null);
    if (first !== null) {
      const team = input.teamOf(m.team);
      toCallback.push(Math.max(0, Math.round((Date.parse(first) - Date.parse(m.firstAt)) / 1000)));
      toCallbackBusiness.push(Math.round(businessMsBetween(team.businessHours, team.timeZone, m.firstAt, first) / 1000));
    }
  }

  const extRates = extensionRates.tables();
  const ext = [...extensions].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
    .map(([extension, e]) => ({ extension, ...e, missedShare: rate(e.missed, e.rang), rates: extRates.get(extension) ?? emptyRates() }));
  const byTeam = [...teamRates.tables()].map(([team, t]) => ({ team, ...t })).sort((a, b) => b.calls - a.calls || a.team.localeCompare(b.team));

  return {
    period: input.period,
    generatedAt: input.now,
    totals: { ...totals, missedRate: rate(totals.missed, totals.calls), abandonedShortRate: rate(totals.abandonedShort, totals.calls) },
    byHour: byHour.map((h) => ({ ...h, missedRate: rate(h.missed, h.calls) })),
    byWeekday: byWeekday.map((d) => ({ ...d, missedRate: rate(d.missed, d.calls) })),
    byTeam,
    afterHours: { ...after, callsShare: rate(after.calls, totals.calls), missedShare: rate(after.missed, totals.missed) },
    ringDuration: { buckets, unknown: unknownRing, answeredSeconds: quantiles(answeredRing), missedSeconds: quantiles(missedRing) },
    entries,
    timeToCallback: {
      calledBack: toCallback.length, notCalledBack: entries.total - toCallback.length,
      seconds: quantiles(toCallback), businessSeconds: quantiles(toCallbackBusiness),
    },
    callbacks: { ...callbacks, byPerson: [...byPerson.values()].sort((a, b) => b.total - a.total || a.person.localeCompare(b.person)) },
    repeatCallers: repeatCallers(callers, input.topCallers ?? 10),
    extensions: ext,
  };
}

// --- Internal helpers ---

function emptyRates(): RateTable {
  return rateTallies().of('').table();
}

function zero(): OutcomeCounts {
  return { calls: 0, answered: 0, answeredElsewhere: 0, missed: 0, abandonedShort: 0 };
}

function count(c: OutcomeCounts, outcome: CallAttempt['outcome']): void {
  c.calls += 1;
  if (outcome === 'answered') c.answered += 1;
  else if (outcome === 'answered-elsewhere') c.answeredElsewhere += 1;
  else if (outcome === 'missed') c.missed += 1;
  else if (outcome === 'abandoned-short') c.abandonedShort += 1;
}

function record<K extends string, V>(keys: readonly K[], value: V): Record<K, V> {
  return Object.fromEntries(keys.map((k) => [k, value])) as Record<K, V>;
}

interface CallerTally {
  name: string;
  /** [firstRingAt, outcome] of each call */
  calls: [string, CallAttempt['outcome']][];
}

function tallyCaller(callers: Map<string, CallerTally>, a: CallAttempt): void {
  let t = callers.get(a.caller.key);
  if (t === undefined) callers.set(a.caller.key, (t = { name: '', calls: [] }));
  if (t.name === '' && a.callerName !== '') t.name = a.callerName;
  t.calls.push([a.firstRingAt, a.outcome]);
}

function repeatCallers(callers: Map<string, CallerTally>, top: number): ReportSummary['repeatCallers'] {
  const out = { callers: callers.size, repeat: 0, missedCallers: 0, calledAgain: 0, reachedLater: 0 };
  const rows: ReportSummary['repeatCallers']['top'] = [];
  for (const [callerKey, t] of callers) {
    t.calls.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
    const missed = t.calls.filter(([, o]) => o === 'missed').length;
    const answered = t.calls.filter(([, o]) => o === 'answered' || o === 'answered-elsewhere').length;
    if (t.calls.length > 1) {
      out.repeat += 1;
      rows.push({ callerKey, name: t.name, calls: t.calls.length, missed, answered, lastAt: t.calls.at(-1)?.[0] ?? '' });
    }
    const firstMiss = t.calls.findIndex(([, o]) => o === 'missed');
    if (firstMiss < 0) continue;
    out.missedCallers += 1;
    const later = t.calls.slice(firstMiss + 1);
    if (later.length > 0) out.calledAgain += 1;
    if (later.some(([, o]) => o === 'answered' || o === 'answered-elsewhere')) out.reachedLater += 1;
  }
  rows.sort((a, b) => b.calls - a.calls || b.missed - a.missed || (a.lastAt < b.lastAt ? 1 : -1));
  return { ...out, top: rows.slice(0, top) };
}

function tallyExtensions(extensions: Map<string, { rang: number; answered: number; missed: number }>, a: CallAttempt): void {
  const rang = new Set(rangExtensions(a));
  for (const ext of rang) {
    let e = extensions.get(ext);
    if (e === undefined) extensions.set(ext, (e = { rang: 0, answered: 0, missed: 0 }));
    e.rang += 1;
    if (a.answeredBy === ext) e.answered += 1;
    if (a.outcome === 'missed') e.missed += 1;
  }
}
