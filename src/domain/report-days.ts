/**
 * @module One UTC day's report aggregate: what `summarise` counts, tallied per destination and per
 * UTC hour so that any period made of whole UTC hours (local midnights of whole-hour zones) is
 * answered by merging aggregates (report-merge.ts) instead of reading every record.
 *
 * Exact by construction: counts are sums, quantiles keep every value's count (histograms), and
 * repeat callers keep one row per call (report-callers.ts), all of which merge without loss.
 * Local hours, weekdays, after-hours and business seconds depend on each destination's zone and
 * business hours: the aggregate records both (`zone`, `hours`), and a reader recomputes a day whose
 * assumption no longer matches the team (the store keeps a day's value true to its records, not
 * to the configuration).
 *
 * Plain JSON (the store writes it next to the day's file): arrays of numbers, no Maps, and no
 * object keyed by user text (a person called `__proto__` stays a string in an array).
 */
import { callerColumns, callRanks, type CallerColumns } from './report-callers.ts';
import { addEntry, finishEntries, newEntryHour, type EntryBuild, type EntryHour } from './report-day-entries.ts';
import { rangExtensions } from './rang.ts';
import { bucketOf, RING_BUCKETS } from './reports-stats.ts';
import type { ReportTeam } from './reports-types.ts';
import { isWithinBusinessHours, localParts } from './schedule.ts';
import type { CallAttempt, MissedCall } from './types.ts';

export type { EntryHour } from './report-day-entries.ts';

/** Bump when the shape or meaning of a ReportDay changes: stored ones are then recomputed. */
export const REPORT_DAY_VERSION = 1;

export interface ReportDay {
  /** The UTC day, `YYYY-MM-DD`. */
  day: string;
  dests: ReportDest[];
}

export interface ReportDest {
  /** Team id, or `ext:<n>`: attempts' destination, entries' team. */
  dest: string;
  /** What local hours, weekdays and business time were computed with (see `assumption`). */
  zone: string;
  hours: string;
  /** Attempts by the UTC hour of their first ring, ascending, hours without any absent. */
  calls: CallHour[];
  /** Entries (MissedCalls) by the UTC hour of their first call. */
  entries: EntryHour[];
}

/** `[calls, answered, answeredElsewhere, missed, abandonedShort]`, the order of OutcomeCounts. */
export type Counts = number[];

export interface CallHour {
  /** UTC hour of the day, 0-23. */
  h: number;
  attempts: number;
  pending: number;
  notCounted: number;
  afterCalls: number;
  afterMissed: number;
  /** Counted calls per local slot: `[slot, ...Counts]`, slot = local hour * 7 + weekday. */
  local: number[][];
  /** `[bucket, ...Counts]`, bucket = index in RING_BUCKETS, or RING_BUCKETS.length for an unknown ring time. */
  ring: number[][];
  /** `[seconds, how many]` of answered (here or elsewhere) and of missed calls. */
  answeredRing: number[][];
  missedRing: number[][];
  /** Per extension that rang: `[extension, rang, answered, missed, [slot, calls, missed][]]`. */
  ext: ExtRow[];
  /** One row per counted call of a known caller. */
  callers: CallerColumns;
}

export type ExtRow = [string, number, number, number, number[][]];

/** What a destination's aggregate depends on: its zone and a fingerprint of its business hours. */
export function assumption(team: ReportTeam): { zone: string; hours: string } {
  const h = team.businessHours;
  if (h === undefined) return { zone: team.timeZone, hours: '' };
  const weekly = [0, 1, 2, 3, 4, 5, 6].map((d) => h.weekly[d] ?? null);
  return { zone: team.timeZone, hours: JSON.stringify({ weekly, holidays: h.holidays }) };
}

/** True when the destination's aggregate was computed with the team's current zone and hours. */
export function stillHolds(d: Pick<ReportDest, 'zone' | 'hours'>, team: ReportTeam): boolean {
  const now = assumption(team);
  return now.zone === d.zone && now.hours === d.hours;
}

export const HOUR_MS = 3_600_000;

/** Midnight UTC of a `YYYY-MM-DD` day, epoch ms. */
export function dayStart(day: string): number {
  return Date.parse(`${day}T00:00:00.000Z`);
}

/**
 * The aggregate of one day's records: attempts filed by `firstRingAt`, entries by `firstAt`.
 * Given records of a part of the day only (an edge hour of a period), it is the aggregate of that part.
 */
export function deriveReportDay(day: string, attempts: readonly CallAttempt[], missed: readonly MissedCall[], teamOf: (destination: string) => ReportTeam): ReportDay {
  const start = dayStart(day);
  const dests = new Map<string, { dest: ReportDest; calls: Map<number, HourBuild>; entries: Map<number, EntryBuild>; team: ReportTeam; where: Where }>();
  const destOf = (id: string) => {
    let d = dests.get(id);
    if (d === undefined) {
      const team = teamOf(id);
      d = { dest: { dest: id, ...assumption(team), calls: [], entries: [] }, calls: new Map(), entries: new Map(), team, where: whereIn(team) };
      dests.set(id, d);
    }
    return d;
  };
  const ranks = callRanks(attempts);
  for (const a of attempts) {
    const d = destOf(a.destination);
    const at = Date.parse(a.firstRingAt);
    const ms = at - start;
    const h = Math.floor(ms / HOUR_MS);
    let hour = d.calls.get(h);
    if (hour === undefined) d.calls.set(h, (hour = newHour(h)));
    addAttempt(hour, a, () => d.where(a.firstRingAt, at), ms - h * HOUR_MS, ranks.get(a) ?? 0);
  }
  for (const m of missed) {
    const d = destOf(m.team);
    const h = Math.floor((Date.parse(m.firstAt) - start) / HOUR_MS);
    let hour = d.entries.get(h);
    if (hour === undefined) d.entries.set(h, (hour = newEntryHour(h)));
    addEntry(hour, m, d.team);
  }
  const out: ReportDay = { day, dests: [] };
  for (const d of [...dests.values()].sort((x, y) => (x.dest.dest < y.dest.dest ? -1 : 1))) {
    d.dest.calls = [...d.calls.values()].sort((x, y) => x.h - y.h).map(finishHour);
    d.dest.entries = [...d.entries.values()].map(finishEntries).sort((x, y) => x.h - y.h);
    out.dests.push(d.dest);
  }
  return out;
}

// --- Internal helpers ---

/** Local slot (hour * 7 + weekday) of an instant and whether it is outside business hours. */
type Where = (iso: string, ms: number) => { slot: number; after: boolean };

/**
 * The same answers as localParts and isWithinBusinessHours, asked once per UTC minute instead of
 * once per call (a busy day has 30,000 calls and 1,440 minutes). A minute is cached only when its
 * first and last millisecond fall in the same local minute, so the answer holds for all of it.
 */
function whereIn(team: ReportTeam): Where {
  const byMinute = new Map<number, { slot: number; after: boolean; key: string }>();
  const exact = (iso: string) => {
    const local = localParts(iso, team.timeZone);
    return { slot: Number(local.time.slice(0, 2)) * 7 + local.weekday, after: !isWithinBusinessHours(team.businessHours, team.timeZone, iso), key: `${local.date} ${local.time}` };
  };
  return (iso, ms) => {
    const minute = Math.floor(ms / 60_000);
    let w = byMinute.get(minute);
    if (w === undefined) {
      const first = exact(new Date(minute * 60_000).toISOString());
      const last = exact(new Date(minute * 60_000 + 59_999).toISOString());
      if (first.key !== last.key || first.after !== last.after) return exact(iso);
      byMinute.set(minute, (w = first));
    }
    return w;
  };
}

interface HourBuild {
  h: number;
  attempts: number;
  pending: number;
  notCounted: number;
  afterCalls: number;
  afterMissed: number;
  local: Map<number, Counts>;
  ring: Map<number, Counts>;
  answeredRing: Map<number, number>;
  missedRing: Map<number, number>;
  ext: Map<string, { rang: number; answered: number; missed: number; slots: Map<number, [number, number]> }>;
  callers: { a: CallAttempt; msInHour: number; rank: number }[];
}

function newHour(h: number): HourBuild {
  return {
    h, attempts: 0, pending: 0, notCounted: 0, afterCalls: 0, afterMissed: 0, local: new Map(), ring: new Map(),
    answeredRing: new Map(), missedRing: new Map(), ext: new Map(), callers: [],
  };
}

const OUTCOME_INDEX: Partial<Record<CallAttempt['outcome'], number>> = { answered: 1, 'answered-elsewhere': 2, missed: 3, 'abandoned-short': 4 };

function countInto<K>(m: Map<K, Counts>, key: K, outcome: CallAttempt['outcome']): void {
  let c = m.get(key);
  if (c === undefined) m.set(key, (c = [0, 0, 0, 0, 0]));
  c[0] = (c[0] ?? 0) + 1;
  const i = OUTCOME_INDEX[outcome];
  if (i !== undefined) c[i] = (c[i] ?? 0) + 1;
}

function addAttempt(hour: HourBuild, a: CallAttempt, where: () => { slot: number; after: boolean }, msInHour: number, rank: number): void {
  hour.attempts += 1;
  if (a.outcome === 'pending') { hour.pending += 1; return; }
  if (a.outcome === 'not-counted') { hour.notCounted += 1; return; }
  const { slot, after } = where();
  const missed = a.outcome === 'missed';
  countInto(hour.local, slot, a.outcome);
  if (after) {
    hour.afterCalls += 1;
    if (missed) hour.afterMissed += 1;
  }
  if (a.ringSeconds === null) countInto(hour.ring, RING_BUCKETS.length, a.outcome);
  else {
    countInto(hour.ring, bucketOf(a.ringSeconds), a.outcome);
    if (a.outcome === 'answered' || a.outcome === 'answered-elsewhere') bump(hour.answeredRing, a.ringSeconds);
    if (missed) bump(hour.missedRing, a.ringSeconds);
  }
  if (a.caller.key !== '') hour.callers.push({ a, msInHour, rank });
  for (const ext of new Set(rangExtensions(a))) {
    let e = hour.ext.get(ext);
    if (e === undefined) hour.ext.set(ext, (e = { rang: 0, answered: 0, missed: 0, slots: new Map() }));
    e.rang += 1;
    if (a.answeredBy === ext) e.answered += 1;
    if (missed) e.missed += 1;
    const s = e.slots.get(slot) ?? [0, 0];
    s[0] += 1;
    if (missed) s[1] += 1;
    e.slots.set(slot, s);
  }
}

function bump(m: Map<number, number>, value: number): void {
  m.set(value, (m.get(value) ?? 0) + 1);
}

function finishHour(b: HourBuild): CallHour {
  const pairs = (m: Map<number, number>) => [...m].sort((x, y) => x[0] - y[0]);
  return {
    h: b.h, attempts: b.attempts, pending: b.pending, notCounted: b.notCounted, afterCalls: b.afterCalls, afterMissed: b.afterMissed,
    local: [...b.local].sort((x, y) => x[0] - y[0]).map(([slot, c]) => [slot, ...c]),
    ring: [...b.ring].sort((x, y) => x[0] - y[0]).map(([bucket, c]) => [bucket, ...c]),
    answeredRing: pairs(b.answeredRing),
    missedRing: pairs(b.missedRing),
    ext: [...b.ext].map(([ext, e]): ExtRow => [ext, e.rang, e.answered, e.missed, [...e.slots].map(([slot, [calls, missed]]) => [slot, calls, missed])]),
    callers: callerColumns(b.callers),
  };
}
