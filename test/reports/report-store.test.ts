import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { summarise, type ReportSummary, type ReportTeam } from '../../src/domain/reports.ts';
import type { CallAttempt, CallOutcome, MissedCall, Team } from '../../src/domain/types.ts';
import { buildReport, reportDayDerivation, type ReportRequest } from '../../src/services/reports.ts';
import { openStore, type DurableStore } from '../../src/store/embedded/open-store.ts';
import type { Store } from '../../src/store/types.ts';
import { rng, seedFrom } from '../support/random.ts';

const DEFAULT_ZONE = 'Europe/Vienna';
const DAY = 86_400_000;
const FIRST = Date.parse('2026-09-20T00:00:00.000Z');
const DAYS = 45;
const OFFICE = { weekly: { 1: ['08:00-17:00'], 2: ['08:00-17:00'], 3: ['08:00-17:00'], 4: ['08:00-17:00'], 5: ['08:00-13:30'] }, holidays: ['2026-10-26'] };
const team = (id: string, timeZone: string, businessHours?: Team['businessHours']): Team =>
  ({ id, name: id, extensions: [], numbers: [], timeZone, ...(businessHours === undefined ? {} : { businessHours }), createdAt: '2026-09-01T00:00:00.000Z' });
const OUTCOMES: CallOutcome[] = ['answered', 'answered', 'missed', 'missed', 'answered-elsewhere', 'abandoned-short', 'not-counted', 'pending'];

/** 45 days of calls to three teams (one in a half-hour zone) and a phone in no team, with repeat callers across days and callbacks. */
function records(seed: number): { attempts: CallAttempt[]; missed: MissedCall[] } {
  const r = rng(seed);
  const attempts: CallAttempt[] = [];
  const missed: MissedCall[] = [];
  for (let i = 0; i < 2000; i++) {
    const at = new Date(FIRST + r.int(DAYS * DAY)).toISOString();
    const outcome = r.pick(OUTCOMES);
    const key = r.next() < 0.1 ? '' : `+4930${100 + r.int(300)}`;
    const destination = r.pick(['berlin', 'berlin', 'kolkata', 'ny', 'ext:41']);
    attempts.push({
      id: `a${i}`, destination, caller: { raw: key, e164: key === '' ? null : key, key }, callerName: r.next() < 0.5 ? '' : `Name ${r.int(9)}`, called: '',
      firstRingAt: at, lastEventAt: at, endedAt: at, ringSeconds: r.next() < 0.1 ? null : r.int(80),
      endpoints: { [`mac${i % 3}`]: { extension: String(11 + (i % 3)), state: 'ringing', at } },
      answeredBy: outcome === 'answered' ? String(11 + (i % 3)) : outcome === 'answered-elsewhere' ? 'elsewhere' : null,
      outcome, rule: '', source: 'phones', pbxCallId: null, missedCallId: null, seen: [],
    });
  }
  for (let i = 0; i < 600; i++) {
    const firstAt = new Date(FIRST + r.int(DAYS * DAY)).toISOString();
    const called = r.next() < 0.6;
    const cb = { at: new Date(Date.parse(firstAt) + r.int(2 * DAY)).toISOString(), by: r.pick(['Anna', 'Ben']), via: 'api' as const, outcome: r.pick(['reached', 'no-answer'] as const) };
    missed.push({
      id: `m${i}`, caller: { raw: '', e164: null, key: `+4930${100 + r.int(300)}` }, callerName: '', team: r.pick(['berlin', 'kolkata', 'ny', 'ext:41']), extension: '11',
      firstAt, lastAt: firstAt, attemptTimes: [firstAt], attemptIds: r.next() < 0.3 ? ['x', 'y'] : ['x'], ringSeconds: 20, afterHours: false,
      status: called ? 'returned' : 'pending', assignee: null, assignedAt: null, returned: called ? cb : null, callbacks: called ? [cb] : [],
      rule: '', history: [], settlesAt: firstAt,
    });
  }
  return { attempts, missed };
}

/** The report as it was computed before aggregates: summarise over every record of the period. */
async function fromEveryRecord(store: Store, r: ReportRequest): Promise<ReportSummary> {
  const range = { ...(r.from === null ? {} : { from: r.from }), to: r.to };
  const attempts: CallAttempt[] = [];
  const missed: MissedCall[] = [];
  for (const destination of r.teams === null ? [undefined] : new Set(r.teams)) {
    for await (const a of store.history.attemptsIn(destination === undefined ? range : { ...range, destination })) attempts.push(a);
    for await (const m of store.history.missedCalls(destination === undefined ? range : { ...range, team: destination })) missed.push(m);
  }
  const teamOf = (d: string): ReportTeam => {
    const t = store.team(d);
    return t === undefined ? { timeZone: DEFAULT_ZONE } : { timeZone: t.timeZone, businessHours: t.businessHours };
  };
  return summarise({ attempts, missed, teamOf, period: { from: r.from, to: r.to }, now: r.now });
}

/**
 * The store, counting the call records its history hands out; with `kept`, its per-day values are
 * those given (an engine that wrote them before a team changed: values follow records, not teams).
 */
function watched(store: Store, kept?: ReadonlyMap<string, unknown>): { store: Store; records: () => number } {
  let n = 0;
  const count = async function* <T>(it: AsyncIterable<T>): AsyncGenerator<T> {
    for await (const x of it) {
      n += 1;
      yield x;
    }
  };
  const keptValues = async function* (days: readonly string[]) {
    for (const day of days) if (kept?.has(day) === true) yield { day, value: kept.get(day) };
  };
  const history = new Proxy(store.history, {
    get(target, prop) {
      if (prop === 'attemptsIn') return (q: Parameters<Store['history']['attemptsIn']>[0]) => count(target.attemptsIn(q));
      if (prop === 'missedCalls') return (q: Parameters<Store['history']['missedCalls']>[0]) => count(target.missedCalls(q));
      if (prop === 'derived' && kept !== undefined) return (_name: string, days: readonly string[]) => keptValues(days);
      const v: unknown = Reflect.get(target, prop, target);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  const wrapped = new Proxy(store, {
    get(target, prop) {
      if (prop === 'history') return history;
      const v: unknown = Reflect.get(target, prop, target);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  return { store: wrapped, records: () => n };
}

describe('reports merged from per-day aggregates in a real store', () => {
  let dir: string;
  let store: DurableStore;
  const data = records(seedFrom(4242));
  const now = '2026-11-04T09:41:07.123Z';
  const request = (over: Partial<ReportRequest> = {}): ReportRequest => ({
    teams: null, from: new Date(Date.parse(now) - 30 * DAY).toISOString(), to: now, now, defaultTimeZone: DEFAULT_ZONE, ...over,
  });
  const requests = () => [
    request(),
    request({ teams: ['berlin', 'ext:41'] }),
    request({ from: '2026-10-01T22:00:00.000Z', to: '2026-10-31T23:00:00.000Z' }),
    request({ from: null }),
    request({ from: '2026-10-12T10:15:00.000Z', to: '2026-10-12T10:45:00.000Z', teams: ['kolkata'] }),
  ];
  const assertSameAsEveryRecord = async (when: string) => {
    for (const r of requests()) assert.deepEqual(await buildReport(store, r), await fromEveryRecord(store, r), `${when}: ${JSON.stringify(r)}`);
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ringback-report-'));
    store = await openStore({ dir, derivations: [reportDayDerivation(DEFAULT_ZONE)] });
    await store.commit([
      { t: 'team', v: team('berlin', 'Europe/Berlin', OFFICE) }, { t: 'team', v: team('kolkata', 'Asia/Kolkata', OFFICE) }, { t: 'team', v: team('ny', 'America/New_York') },
    ]);
    await store.commit([...data.attempts.map((v) => ({ t: 'attempt' as const, v })), ...data.missed.map((v) => ({ t: 'missed' as const, v }))]);
    await store.flush();
  });
  after(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('a month of reports equals summarise over every record: whole hours, edge minutes, a team filter, all time', async () => {
    const r = await buildReport(store, request());
    assert.ok(r.totals.attempts > 1000 && r.repeatCallers.repeat > 0 && r.timeToCallback.calledBack > 0, 'the data is not trivial');
    await assertSameAsEveryRecord('as stored');
  });

  test('a period on whole UTC hours reads no call record; one from 09:41:07 reads only its two edge hours', async () => {
    const c = watched(store);
    await buildReport(c.store, request({ from: '2026-10-01T22:00:00.000Z', to: '2026-10-31T23:00:00.000Z' }));
    assert.equal(c.records(), 0);
    await buildReport(c.store, request());
    const inEdges = [...data.attempts.map((a) => a.firstRingAt), ...data.missed.map((m) => m.firstAt)]
      .filter((at) => at.slice(0, 13) === now.slice(0, 13) || at.slice(0, 13) === new Date(Date.parse(now) - 30 * DAY).toISOString().slice(0, 13)).length;
    assert.ok(c.records() <= inEdges, `${c.records()} records read, ${inEdges} in the edge hours`);
  });

  test('a late change to an old entry and an old call shows in the report', async () => {
    const old = data.missed.find((m) => m.firstAt < '2026-10-10' && m.firstAt > '2026-10-06' && m.status === 'pending' && m.team === 'berlin');
    const call = data.attempts.find((a) => a.firstRingAt < '2026-10-10' && a.firstRingAt > '2026-10-06' && a.outcome === 'missed');
    assert.ok(old !== undefined && call !== undefined);
    const before = await buildReport(store, request());
    const at = '2026-11-03T08:00:00.000Z';
    await store.commit([
      { t: 'missed', v: { ...old, status: 'returned', returned: { at, by: 'Cem', via: 'api', outcome: 'reached' }, callbacks: [{ at, by: 'Cem', via: 'api', outcome: 'reached' }] } },
      { t: 'attempt', v: { ...call, outcome: 'answered', answeredBy: '11' } },
    ]);
    const after = await buildReport(store, request());
    assert.equal(after.entries.byStatus.returned, before.entries.byStatus.returned + 1);
    assert.equal(after.totals.missed, before.totals.missed - 1);
    assert.ok(after.callbacks.byPerson.some((p) => p.person === 'Cem'));
    await assertSameAsEveryRecord('after a late change');
  });

  test("after a team's time zone and hours change, its days are counted in the new zone, read again from their records", async () => {
    const r = request({ teams: ['berlin'] });
    const before = await buildReport(store, r);
    const kept = new Map<string, unknown>();
    for await (const { day, value } of store.history.derived('report-day', await store.history.days())) kept.set(day, value);
    await store.commit([{ t: 'team', v: team('berlin', 'America/Los_Angeles', { weekly: { 6: ['10:00-14:00'] }, holidays: [] }) }]);
    const old = watched(store, kept);
    const after = await buildReport(old.store, r);
    assert.notDeepEqual(after.byHour, before.byHour, 'the hours moved with the zone');
    assert.deepEqual(after, await fromEveryRecord(store, r));
    assert.ok(old.records() > 500, 'the days were read from their records');
    const untouched = request({ teams: ['kolkata', 'ny'], from: '2026-10-01T22:00:00.000Z', to: '2026-10-31T23:00:00.000Z' });
    const others = watched(store, kept);
    assert.deepEqual(await buildReport(others.store, untouched), await fromEveryRecord(store, untouched));
    assert.equal(others.records(), 0, 'teams that did not change still come from the aggregates');
    await assertSameAsEveryRecord('after a zone change');
  });

  test('after retention dropped the oldest days, the report counts what is left', async () => {
    const dropped = await store.dropDaysBefore('2026-10-15');
    assert.ok(dropped.length > 0);
    const r = await buildReport(store, request({ from: null }));
    assert.ok(r.totals.attempts < data.attempts.length);
    await assertSameAsEveryRecord('after retention');
  });
});
