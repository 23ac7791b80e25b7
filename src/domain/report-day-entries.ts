/** @module A report day's tallies of entries (MissedCalls) and their callbacks, per UTC hour of the first call. */
import { callbackSeconds, CALLBACK_OUTCOMES, STATUSES } from './reports-tally.ts';
import type { ReportTeam } from './reports-types.ts';
import { businessMsBetween } from './schedule.ts';
import type { MissedCall } from './types.ts';

export interface EntryHour {
  h: number;
  total: number;
  /** Per STATUSES. */
  byStatus: number[];
  withRepeats: number;
  /** Per CALLBACK_OUTCOMES, of the returned entries. */
  returnedOutcome: number[];
  callbacks: number;
  byOutcome: number[];
  /** `[person, total, [per CALLBACK_OUTCOMES]]`. */
  byPerson: [string, number, number[]][];
  /** `[seconds, how many]` from first call to first callback, in all and in business hours. */
  toCallback: number[][];
  business: number[][];
}

export interface EntryBuild {
  hour: EntryHour;
  byPerson: Map<string, [string, number, number[]]>;
  toCallback: Map<number, number>;
  business: Map<number, number>;
}

export function newEntryHour(h: number): EntryBuild {
  const none = () => CALLBACK_OUTCOMES.map(() => 0);
  return {
    hour: { h, total: 0, byStatus: STATUSES.map(() => 0), withRepeats: 0, returnedOutcome: none(), callbacks: 0, byOutcome: none(), byPerson: [], toCallback: [], business: [] },
    byPerson: new Map(), toCallback: new Map(), business: new Map(),
  };
}

export function addEntry(b: EntryBuild, m: MissedCall, team: ReportTeam): void {
  const e = b.hour;
  e.total += 1;
  inc(e.byStatus, STATUSES.indexOf(m.status));
  if (m.attemptIds.length > 1) e.withRepeats += 1;
  if (m.status === 'returned' && m.returned !== null) inc(e.returnedOutcome, CALLBACK_OUTCOMES.indexOf(m.returned.outcome));
  for (const c of m.callbacks) {
    e.callbacks += 1;
    const o = CALLBACK_OUTCOMES.indexOf(c.outcome);
    inc(e.byOutcome, o);
    let p = b.byPerson.get(c.by);
    if (p === undefined) b.byPerson.set(c.by, (p = [c.by, 0, CALLBACK_OUTCOMES.map(() => 0)]));
    p[1] += 1;
    inc(p[2], o);
  }
  const s = callbackSeconds(m, (from, to) => businessMsBetween(team.businessHours, team.timeZone, from, to));
  if (s !== null) {
    bump(b.toCallback, s.seconds);
    bump(b.business, s.business);
  }
}

export function finishEntries(b: EntryBuild): EntryHour {
  const pairs = (m: Map<number, number>) => [...m].sort((x, y) => x[0] - y[0]);
  return { ...b.hour, byPerson: [...b.byPerson.values()], toCallback: pairs(b.toCallback), business: pairs(b.business) };
}

function inc(xs: number[], i: number): void {
  if (i >= 0) xs[i] = (xs[i] ?? 0) + 1;
}

function bump(m: Map<number, number>, value: number): void {
  m.set(value, (m.get(value) ?? 0) + 1);
}
