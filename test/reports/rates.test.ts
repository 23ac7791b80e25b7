import assert from 'node:assert/strict';
import { test } from 'node:test';
import { summarise, type ReportTeam } from '../../src/domain/reports.ts';
import { localParts } from '../../src/domain/schedule.ts';
import type { CallAttempt, CallOutcome } from '../../src/domain/types.ts';

const ZONES: Record<string, ReportTeam> = { front: { timeZone: 'Europe/Berlin' }, sales: { timeZone: 'America/New_York' } };
const COUNTED: CallOutcome[] = ['answered', 'missed', 'answered-elsewhere', 'missed', 'abandoned-short', 'answered', 'missed'];

/** 300 attempts over two weeks for two teams in two zones; a few PBX calls name their extensions in `rang` only. */
function attempts(): CallAttempt[] {
  let seed = 11;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const out: CallAttempt[] = [];
  for (let i = 0; i < 300; i++) {
    const at = new Date(Date.parse('2026-11-02T00:00:00.000Z') + Math.floor(next() * 14 * 86_400_000)).toISOString();
    const team = next() < 0.6 ? 'front' : 'sales';
    const outcome = next() < 0.05 ? 'not-counted' : COUNTED[Math.floor(next() * COUNTED.length)] ?? 'answered';
    const exts = team === 'front' ? ['11', '12', '13'].filter(() => next() < 0.7) : ['21'];
    const pbx = next() < 0.3;
    out.push({
      id: `a${i}`, destination: team, caller: { raw: '+4930100', e164: '+4930100', key: `+49301${i % 25}` }, callerName: '', called: '',
      firstRingAt: at, lastEventAt: at, endedAt: at, ringSeconds: 20,
      endpoints: pbx ? {} : Object.fromEntries(exts.map((e) => [`mac${e}`, { extension: e, state: 'ringing' as const, at }])),
      ...(pbx ? { rang: exts } : {}),
      answeredBy: outcome === 'answered' ? exts[0] ?? null : null, outcome, rule: '', source: pbx ? 'pbx' : 'phones', pbxCallId: null,
      missedCallId: null, seen: [],
    });
  }
  return out;
}

test('missed rates per hour and weekday, per team and per extension, equal a recount of the raw attempts', () => {
  const raw = attempts();
  const r = summarise({ attempts: raw, missed: [], teamOf: (d) => ZONES[d] ?? { timeZone: 'UTC' }, period: { from: null, to: '2026-12-01T00:00:00.000Z' }, now: '2026-12-01T00:00:00.000Z' });
  const counted = raw.filter((a) => a.outcome !== 'not-counted' && a.outcome !== 'pending');
  const where = (a: CallAttempt) => localParts(a.firstRingAt, ZONES[a.destination]?.timeZone ?? 'UTC');
  // Rates are given to four decimals, like every rate of the report.
  const rateOf = (list: CallAttempt[]) => (list.length === 0 ? null : Math.round(list.filter((a) => a.outcome === 'missed').length / list.length * 10_000) / 10_000);

  for (let hour = 0; hour < 24; hour++) {
    const inHour = counted.filter((a) => Number(where(a).time.slice(0, 2)) === hour);
    assert.equal(r.byHour[hour]?.missedRate, rateOf(inHour), `all teams, ${hour}:00`);
  }
  for (const team of ['front', 'sales']) {
    const t = r.byTeam.find((x) => x.team === team);
    assert.ok(t !== undefined);
    const mine = counted.filter((a) => a.destination === team);
    assert.deepEqual([t.calls, t.missed], [mine.length, mine.filter((a) => a.outcome === 'missed').length]);
    for (let hour = 0; hour < 24; hour++) {
      const cell: { calls: number; missedRate: number | null } | undefined = t.byHour[hour];
      const inHour = mine.filter((a) => Number(where(a).time.slice(0, 2)) === hour);
      assert.deepEqual([cell?.calls, cell?.missedRate], [inHour.length, rateOf(inHour)], `${team} ${hour}:00`);
    }
    for (let day = 0; day < 7; day++) {
      const onDay = mine.filter((a) => where(a).weekday === day);
      assert.deepEqual([t.byWeekday[day]?.calls, t.byWeekday[day]?.missedRate], [onDay.length, rateOf(onDay)], `${team} weekday ${day}`);
    }
  }
  for (const ext of ['11', '12', '13', '21']) {
    const x = r.extensions.find((e) => e.extension === ext);
    assert.ok(x !== undefined, ext);
    const rang = counted.filter((a) => Object.values(a.endpoints).some((e) => e.extension === ext) || (a.rang ?? []).includes(ext));
    assert.equal(x.rang, rang.length, `${ext} counts PBX calls that name it too`);
    assert.equal(x.rates.calls, rang.length);
    for (let day = 0; day < 7; day++) {
      const onDay = rang.filter((a) => where(a).weekday === day);
      assert.deepEqual([x.rates.byWeekday[day]?.calls, x.rates.byWeekday[day]?.missedRate], [onDay.length, rateOf(onDay)], `${ext} weekday ${day}`);
    }
    for (let hour = 0; hour < 24; hour++) {
      const inHour = rang.filter((a) => Number(where(a).time.slice(0, 2)) === hour);
      assert.equal(x.rates.byHour[hour]?.missedRate, rateOf(inHour), `${ext} ${hour}:00`);
    }
  }
  assert.ok(r.byTeam.every((t) => t.byHour.reduce((n, h) => n + h.calls, 0) === t.calls), 'each team\'s hours add up to its calls');
});
