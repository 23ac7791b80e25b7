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
import { businessMsBetween, isWithinBusinessHours, localParts } from './schedule.ts';
import { bucketOf, histogramAdd } from './reports-stats.ts';
import { callbackSeconds, compareTop, count, emptyTally, finishReport, personRow, zero, type ReportTally } from './reports-tally.ts';
import type { ReportInput, ReportSummary } from './reports-types.ts';
import type { CallAttempt } from './types.ts';

export type { OutcomeCounts, ReportInput, ReportSummary, ReportTeam } from './reports-types.ts';

/**
 * The report of the given records. The result does not depend on the records' order (ties are
 * broken by ids and keys), so a report merged from per-day aggregates (report-merge.ts) can equal it.
 */
export function summarise(input: ReportInput): ReportSummary {
  const t = emptyTally();
  const callers = new Map<string, CallerCall[]>();

  for (const a of input.attempts) {
    t.totals.attempts += 1;
    if (a.outcome === 'pending') { t.totals.pending += 1; continue; }
    if (a.outcome === 'not-counted') { t.totals.notCounted += 1; continue; }
    const team = input.teamOf(a.destination);
    const local = localParts(a.firstRingAt, team.timeZone);
    const hour = Number(local.time.slice(0, 2));
    count(t.totals, a.outcome);
    count(t.byHour[hour] ?? zero(), a.outcome);
    count(t.byWeekday[local.weekday] ?? zero(), a.outcome);
    if (!isWithinBusinessHours(team.businessHours, team.timeZone, a.firstRingAt)) {
      t.after.calls += 1;
      if (a.outcome === 'missed') t.after.missed += 1;
    }
    if (a.ringSeconds === null) count(t.unknownRing, a.outcome);
    else {
      count(t.buckets[bucketOf(a.ringSeconds)] ?? zero(), a.outcome);
      if (a.outcome === 'answered' || a.outcome === 'answered-elsewhere') histogramAdd(t.answeredRing, a.ringSeconds);
      if (a.outcome === 'missed') histogramAdd(t.missedRing, a.ringSeconds);
    }
    if (a.caller.key !== '') tallyCaller(callers, a);
    tallyExtensions(t, a);
    t.teamRates.of(a.destination).add(hour, local.weekday, a.outcome === 'missed');
    for (const ext of new Set(rangExtensions(a))) t.extensionRates.of(ext).add(hour, local.weekday, a.outcome === 'missed');
  }

  for (const m of input.missed) {
    t.entries.total += 1;
    t.entries.byStatus[m.status] += 1;
    if (m.attemptIds.length > 1) t.entries.withRepeats += 1;
    if (m.status === 'returned' && m.returned !== null) t.entries.returnedOutcome[m.returned.outcome] += 1;
    for (const c of m.callbacks) {
      t.callbacks.total += 1;
      t.callbacks.byOutcome[c.outcome] += 1;
      const p = personRow(t, c.by);
      p.total += 1;
      p[c.outcome] += 1;
    }
    const s = callbackSeconds(m, (from, to) => {
      const team = input.teamOf(m.team);
      return businessMsBetween(team.businessHours, team.timeZone, from, to);
    });
    if (s !== null) {
      histogramAdd(t.toCallback, s.seconds);
      histogramAdd(t.toCallbackBusiness, s.business);
    }
  }

  return finishReport(t, input.period, input.now, repeatCallers(callers, input.topCallers ?? 10));
}

// --- Internal helpers ---

interface CallerCall {
  at: string;
  id: string;
  outcome: CallAttempt['outcome'];
  name: string;
}

function tallyCaller(callers: Map<string, CallerCall[]>, a: CallAttempt): void {
  let calls = callers.get(a.caller.key);
  if (calls === undefined) callers.set(a.caller.key, (calls = []));
  calls.push({ at: a.firstRingAt, id: a.id, outcome: a.outcome, name: a.callerName });
}

/**
 * A caller's calls in time order; calls in the same millisecond in descending id order (the order
 * the store lists them newest first, which is what this report did before it was order-free).
 */
function inCallOrder(x: CallerCall, y: CallerCall): number {
  if (x.at !== y.at) return x.at < y.at ? -1 : 1;
  return x.id > y.id ? -1 : x.id < y.id ? 1 : 0;
}

function repeatCallers(callers: Map<string, CallerCall[]>, top: number): ReportSummary['repeatCallers'] {
  const out = { callers: callers.size, repeat: 0, missedCallers: 0, calledAgain: 0, reachedLater: 0 };
  const rows: ReportSummary['repeatCallers']['top'] = [];
  for (const [callerKey, calls] of callers) {
    calls.sort(inCallOrder);
    const missed = calls.filter((c) => c.outcome === 'missed').length;
    const answered = calls.filter((c) => c.outcome === 'answered' || c.outcome === 'answered-elsewhere').length;
    if (calls.length > 1) {
      out.repeat += 1;
      rows.push({ callerKey, name: newestName(calls), calls: calls.length, missed, answered, lastAt: calls.at(-1)?.at ?? '' });
    }
    const firstMiss = calls.findIndex((c) => c.outcome === 'missed');
    if (firstMiss < 0) continue;
    out.missedCallers += 1;
    const later = calls.slice(firstMiss + 1);
    if (later.length > 0) out.calledAgain += 1;
    if (later.some((c) => c.outcome === 'answered' || c.outcome === 'answered-elsewhere')) out.reachedLater += 1;
  }
  rows.sort(compareTop);
  return { ...out, top: rows.slice(0, top) };
}

/** The name of the caller's newest call that carried one (latest first ring, then highest id). */
function newestName(calls: readonly CallerCall[]): string {
  let best: CallerCall | undefined;
  for (const c of calls) {
    if (c.name === '') continue;
    if (best === undefined || c.at > best.at || (c.at === best.at && c.id > best.id)) best = c;
  }
  return best?.name ?? '';
}

function tallyExtensions(t: ReportTally, a: CallAttempt): void {
  for (const ext of new Set(rangExtensions(a))) {
    let e = t.extensions.get(ext);
    if (e === undefined) t.extensions.set(ext, (e = { rang: 0, answered: 0, missed: 0 }));
    e.rang += 1;
    if (a.answeredBy === ext) e.answered += 1;
    if (a.outcome === 'missed') e.missed += 1;
  }
}
