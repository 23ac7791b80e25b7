import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deriveReportDay, type ReportDay } from '../../src/domain/report-days.ts';
import { mergeReport, type ReportPart } from '../../src/domain/report-merge.ts';
import { planReport } from '../../src/domain/report-plan.ts';
import { summarise, type ReportTeam } from '../../src/domain/reports.ts';
import type { BusinessHours } from '../../src/domain/schedule.ts';
import type { CallAttempt, CallbackOutcome, CallOutcome, MissedCall, MissedStatus } from '../../src/domain/types.ts';
import { rng, seedFrom, type Random } from '../support/random.ts';

const OFFICE: BusinessHours = { weekly: { 1: ['08:00-17:00'], 2: ['08:00-12:00', '13:00-17:00'], 3: ['08:00-17:00'], 4: ['08:00-17:00'], 5: ['08:00-15:30'] }, holidays: ['2026-10-26', '2026-03-30'] };
const NIGHTS: BusinessHours = { weekly: { 0: ['22:00-06:00'], 3: ['22:00-06:00', '09:00-10:00'], 6: ['00:00-24:00'] }, holidays: ['2026-11-01'] };
/** Whole-hour zones with DST, two half-hour ones (one with DST), a 45-minute one, UTC; `ext:` and unknown ids get the default. */
const ZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Adelaide', 'Asia/Kathmandu', 'UTC'];
const DESTINATIONS = ['berlin', 'ny', 'kolkata', 'adelaide', 'kathmandu', 'utc', 'ext:41', 'gone'];
/** Days around DST changes: Berlin and New York in spring and autumn, Adelaide's spring. */
const STARTS = ['2026-03-06', '2026-03-27', '2026-10-02', '2026-10-23', '2026-10-30'];
const OUTCOMES: CallOutcome[] = ['answered', 'answered', 'missed', 'missed', 'answered-elsewhere', 'abandoned-short', 'not-counted', 'pending'];
const STATUS: MissedStatus[] = ['pending', 'assigned', 'returned', 'ignored', 'closed'];
const CALLBACK: CallbackOutcome[] = ['reached', 'voicemail', 'no-answer', 'wrong-number', 'dialled'];
const PEOPLE = ['Anna', 'Ben', 'anna', '__proto__', 'Ärger', 'A\u0308rger'];
const DEFAULT_ZONE = 'Europe/Vienna';

interface World {
  teams: Record<string, ReportTeam>;
  attempts: CallAttempt[];
  missed: MissedCall[];
  period: { from: string | null; to: string };
  destinations: Set<string> | null;
}

function world(r: Random): World {
  const teams: Record<string, ReportTeam> = {};
  DESTINATIONS.slice(0, 6).forEach((d, i) => {
    const hours = r.pick([undefined, OFFICE, NIGHTS]);
    teams[d] = hours === undefined ? { timeZone: ZONES[i] ?? 'UTC' } : { timeZone: ZONES[i] ?? 'UTC', businessHours: hours };
  });
  const start = Date.parse(`${r.pick(STARTS)}T00:00:00.000Z`);
  const span = (2 + r.int(4)) * 86_400_000;
  const callers = Array.from({ length: 3 + r.int(20) }, (_, i) => `+4930${1000 + i}`);
  // A few shared instants, so one caller's calls meet in the same millisecond (ties).
  const shared = Array.from({ length: 4 }, () => start + r.int(span));
  const at = () => new Date(r.next() < 0.1 ? r.pick(shared) : start + r.int(span)).toISOString();
  const ids = new Set<string>();
  const id = (p: string) => { let x; do x = `${p}${r.int(1_000_000).toString(36)}`; while (ids.has(x)); ids.add(x); return x; };
  const attempts: CallAttempt[] = [];
  for (let i = 0, n = r.int(250); i < n; i++) {
    const first = at();
    const outcome = r.pick(OUTCOMES);
    const key = r.next() < 0.15 ? '' : r.pick(callers);
    const exts = ['11', '12', '01', '1', '100'].filter(() => r.next() < 0.4);
    const pbx = r.next() < 0.3;
    attempts.push({
      id: id('a'), destination: r.pick(DESTINATIONS), caller: { raw: key, e164: key === '' ? null : key, key }, callerName: r.next() < 0.5 ? '' : `Name ${r.int(5)}`,
      called: '', firstRingAt: first, lastEventAt: first, endedAt: first, ringSeconds: r.next() < 0.2 ? null : r.int(90),
      endpoints: pbx ? {} : Object.fromEntries(exts.map((e) => [`mac${e}`, { extension: e, state: 'ringing' as const, at: first }])),
      ...(pbx ? { rang: exts } : {}),
      answeredBy: outcome === 'answered' ? (exts[0] ?? '') : outcome === 'answered-elsewhere' ? 'elsewhere' : null,
      outcome, rule: '', source: pbx ? 'pbx' : 'phones', pbxCallId: null, missedCallId: null, seen: [],
    });
  }
  const missed: MissedCall[] = [];
  for (let i = 0, n = r.int(80); i < n; i++) {
    const firstAt = at();
    const status = r.pick(STATUS);
    const callbacks = Array.from({ length: r.pick([0, 0, 1, 1, 2, 3]) }, () => ({
      at: new Date(Date.parse(firstAt) + r.int(3 * 86_400_000) - (r.next() < 0.05 ? 60_000 : 0)).toISOString(),
      by: r.pick(PEOPLE), via: 'api' as const, outcome: r.pick(CALLBACK),
    }));
    const key = r.pick(callers);
    missed.push({
      id: id('m'), caller: { raw: key, e164: key, key }, callerName: '', team: r.pick(DESTINATIONS), extension: '11', firstAt, lastAt: firstAt,
      attemptTimes: [firstAt], attemptIds: Array.from({ length: 1 + r.int(3) }, () => 'x'), ringSeconds: 20, afterHours: false, status,
      assignee: null, assignedAt: null, returned: status === 'returned' && r.next() < 0.8 ? { at: firstAt, by: 'Anna', via: 'api', outcome: r.pick(CALLBACK) } : null,
      callbacks, rule: '', history: [], settlesAt: firstAt,
    });
  }
  // Periods: everything, whole hours (local midnights of whole-hour zones), and any millisecond.
  const instant = (ms: number) => new Date(ms).toISOString();
  const hourly = (ms: number) => Math.round(ms / 3_600_000) * 3_600_000;
  const a = start - 86_400_000 + r.int(span + 2 * 86_400_000);
  const b = a + 1 + r.int(r.next() < 0.2 ? 7_200_000 : span);
  const kind = r.int(4);
  const period = kind === 0 ? { from: null, to: instant(start + span + r.int(86_400_000)) }
    : kind === 1 ? { from: instant(hourly(a)), to: instant(hourly(a) + 3_600_000 * (1 + r.int(96))) }
      : { from: instant(a), to: instant(b) };
  const destinations = r.next() < 0.6 ? null : new Set(DESTINATIONS.filter(() => r.next() < 0.5));
  return { teams, attempts, missed, period, destinations };
}

const teamOf = (w: World) => (d: string): ReportTeam => w.teams[d] ?? { timeZone: DEFAULT_ZONE };
const dayOf = (iso: string) => iso.slice(0, 10);
const inPeriod = (w: World, at: string, dest: string) =>
  (w.period.from === null || at >= w.period.from) && at < w.period.to && (w.destinations === null || w.destinations.has(dest));

function shuffled<T>(r: Random, xs: readonly T[]): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = r.int(i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** What the store and the service do: a stored aggregate per day (through JSON), records for the edge hours. */
function merged(w: World): ReturnType<typeof mergeReport> {
  const days = [...new Set([...w.attempts.map((a) => dayOf(a.firstRingAt)), ...w.missed.map((m) => dayOf(m.firstAt))])].sort();
  const stored = new Map<string, ReportDay>(days.map((day) => [day, JSON.parse(JSON.stringify(deriveReportDay(day,
    w.attempts.filter((a) => dayOf(a.firstRingAt) === day), w.missed.filter((m) => dayOf(m.firstAt) === day), teamOf(w)))) as ReportDay]));
  const plan = planReport(w.period, days);
  const parts: ReportPart[] = plan.days.map(({ day, fromHour, toHour }) => ({ day: stored.get(day) as ReportDay, fromHour, toHour }));
  for (const edge of plan.edges) {
    const inEdge = (at: string) => at >= edge.from && at < edge.to;
    parts.push({ day: deriveReportDay(dayOf(edge.from), w.attempts.filter((a) => inEdge(a.firstRingAt)), w.missed.filter((m) => inEdge(m.firstAt)), teamOf(w)) });
  }
  return mergeReport(parts, { period: w.period, now: '2027-01-01T00:00:00.000Z', destinations: w.destinations });
}

test('a report merged from per-day aggregates equals summarise over the same records, for any period and team filter', () => {
  const seed = seedFrom(20261201);
  const r = rng(seed);
  for (let run = 0; run < 200; run++) {
    const w = world(r);
    const expected = summarise({
      attempts: shuffled(r, w.attempts.filter((a) => inPeriod(w, a.firstRingAt, a.destination))),
      missed: shuffled(r, w.missed.filter((m) => inPeriod(w, m.firstAt, m.team))),
      teamOf: teamOf(w), period: w.period, now: '2027-01-01T00:00:00.000Z',
    });
    const got = merged(w);
    assert.deepEqual(got, expected, `seed ${seed}, run ${run}, period ${JSON.stringify(w.period)}`);
    assert.equal(JSON.stringify(got), JSON.stringify(expected), `the same JSON, key order included (seed ${seed}, run ${run})`);
  }
});

test('summarise gives the same report whatever order the records come in', () => {
  const r = rng(seedFrom(7));
  for (let run = 0; run < 50; run++) {
    const w = world(r);
    const input = (a: CallAttempt[], m: MissedCall[]) => summarise({ attempts: a, missed: m, teamOf: teamOf(w), period: w.period, now: w.period.to });
    assert.deepEqual(input(shuffled(r, w.attempts), shuffled(r, w.missed)), input(w.attempts, w.missed));
  }
});
