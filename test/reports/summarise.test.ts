import assert from 'node:assert/strict';
import { test } from 'node:test';
import { summarise, type ReportTeam } from '../../src/domain/reports.ts';
import { nearestRank, quantiles } from '../../src/domain/reports-stats.ts';
import type { CallAttempt, CallOutcome, MissedCall } from '../../src/domain/types.ts';

const BERLIN: ReportTeam = { timeZone: 'Europe/Berlin', businessHours: { weekly: { 1: ['08:00-17:00'], 2: ['08:00-17:00'], 3: ['08:00-17:00'], 4: ['08:00-17:00'], 5: ['08:00-17:00'] }, holidays: [] } };
const OUTCOMES: CallOutcome[] = ['answered', 'answered', 'missed', 'abandoned-short', 'answered-elsewhere', 'not-counted', 'pending'];
const START = Date.parse('2026-11-02T00:00:00.000Z'); // a Monday; Berlin is UTC+1 in November

/**
 * 140 attempts, one every 90 minutes from Monday 00:00 UTC: outcome i % 7, caller i % 10, ring time
 * i % 40 s, extensions 11 and 12 ringing, 11 answering. Known by construction: 20 of each outcome slot.
 */
function generated(): { attempts: CallAttempt[]; missed: MissedCall[] } {
  const attempts: CallAttempt[] = [];
  for (let i = 0; i < 140; i++) {
    const at = new Date(START + i * 90 * 60_000).toISOString();
    const outcome = OUTCOMES[i % 7] ?? 'answered';
    attempts.push({
      id: `a${String(i).padStart(3, '0')}`, destination: 'team', caller: { raw: `+49301000${i % 10}`, e164: `+49301000${i % 10}`, key: `+49301000${i % 10}` },
      callerName: `Caller ${i % 10}`, called: '', firstRingAt: at, lastEventAt: at, endedAt: at, ringSeconds: i % 40,
      endpoints: { aa: { extension: '11', state: 'ringing', at }, bb: { extension: '12', state: 'ringing', at } },
      answeredBy: outcome === 'answered' ? '11' : outcome === 'answered-elsewhere' ? 'elsewhere' : null,
      outcome, rule: '', source: 'phones', pbxCallId: null, missedCallId: null, seen: [],
    });
  }
  const missed: MissedCall[] = [];
  for (let i = 0; i < 10; i++) {
    const firstAt = new Date(START + i * 3_600_000 * 24).toISOString(); // Monday … 00:00 UTC = 01:00 Berlin, closed
    const cb = (minutes: number, by: string, outcome: 'reached' | 'no-answer' | 'voicemail') =>
      ({ at: new Date(Date.parse(firstAt) + minutes * 60_000).toISOString(), by, via: 'api' as const, outcome });
    const callbacks = i < 6 ? [cb(60 * (i + 1), i % 2 === 0 ? 'Anna' : 'Ben', i === 5 ? 'no-answer' : 'reached')] : [];
    missed.push({
      id: `m${i}`, caller: { raw: '', e164: null, key: `+49302000${i}` }, callerName: '', team: 'team', extension: '11', firstAt, lastAt: firstAt,
      attemptTimes: [firstAt], attemptIds: i < 3 ? [`x${i}`, `y${i}`] : [`x${i}`], ringSeconds: 20, afterHours: true,
      status: i < 5 ? 'returned' : i < 8 ? 'pending' : 'ignored', assignee: null, assignedAt: null,
      returned: i < 5 ? cb(60 * (i + 1), 'x', 'reached') : null, callbacks, rule: '', history: [], settlesAt: firstAt,
    });
  }
  return { attempts, missed };
}

test('report totals equal the known counts of generated data and a recount of the raw records', () => {
  const { attempts, missed } = generated();
  const r = summarise({ attempts, missed, teamOf: () => BERLIN, period: { from: null, to: '2026-12-01T00:00:00.000Z' }, now: '2026-12-01T00:00:00.000Z' });
  // Known by construction: 140 attempts, 20 per outcome slot (answered has two slots).
  assert.deepEqual(
    [r.totals.attempts, r.totals.calls, r.totals.answered, r.totals.answeredElsewhere, r.totals.missed, r.totals.abandonedShort, r.totals.notCounted, r.totals.pending],
    [140, 100, 40, 20, 20, 20, 20, 20]);
  assert.equal(r.totals.missedRate, 0.2);
  assert.equal(r.totals.abandonedShortRate, 0.2);
  // The same from the raw records, counted independently.
  const counted = attempts.filter((a) => !['pending', 'not-counted'].includes(a.outcome));
  assert.equal(r.totals.calls, counted.length);
  assert.equal(r.totals.missed, attempts.filter((a) => a.outcome === 'missed').length);
  // Every breakdown of calls adds up to the calls.
  const sum = (rows: { calls: number; missed: number }[]) => rows.reduce((s, x) => [s[0]! + x.calls, s[1]! + x.missed], [0, 0]);
  assert.deepEqual(sum(r.byHour), [100, 20]);
  assert.deepEqual(sum(r.byWeekday), [100, 20]);
  assert.deepEqual(sum([...r.ringDuration.buckets, r.ringDuration.unknown]), [100, 20]);
  // Hour of day in Berlin: recount from the raw records with the local hour (UTC + 1).
  for (const row of r.byHour) {
    const expected = counted.filter((a) => (new Date(a.firstRingAt).getUTCHours() + 1) % 24 === row.hour).length;
    assert.equal(row.calls, expected, `hour ${row.hour}`);
  }
  // After hours: Monday-Friday 08:00-17:00 Berlin is open.
  const open = (iso: string) => { const d = new Date(Date.parse(iso) + 3_600_000); const h = d.getUTCHours(); return d.getUTCDay() >= 1 && d.getUTCDay() <= 5 && h >= 8 && h < 17; };
  assert.equal(r.afterHours.calls, counted.filter((a) => !open(a.firstRingAt)).length);
  assert.equal(r.afterHours.missed, counted.filter((a) => a.outcome === 'missed' && !open(a.firstRingAt)).length);
  // Ring buckets: 0-4 s holds ring times 0..4 of the counted calls.
  assert.equal(r.ringDuration.buckets[0]?.calls, counted.filter((a) => (a.ringSeconds ?? 0) < 5).length);
  // Extensions: both rang on every call, 11 answered the answered ones.
  assert.deepEqual(r.extensions.map((e) => [e.extension, e.rang, e.answered, e.missed, e.missedShare]), [['11', 100, 40, 20, 0.2], ['12', 100, 0, 20, 0.2]]);
  // Repeat callers: 10 callers, each with 10 counted calls.
  assert.equal(r.repeatCallers.callers, 10);
  assert.equal(r.repeatCallers.repeat, 10);
  assert.equal(r.repeatCallers.missedCallers, attempts.filter((a) => a.outcome === 'missed').map((a) => a.caller.key).filter((k, i, all) => all.indexOf(k) === i).length);
  assert.equal(r.repeatCallers.top.length, 10);
});

test('callback report: statuses, outcomes, per person, and time to callback (median and p90)', () => {
  const { missed } = generated();
  const r = summarise({ attempts: [], missed, teamOf: () => BERLIN, period: { from: null, to: '2026-12-01T00:00:00.000Z' }, now: '2026-12-01T00:00:00.000Z' });
  assert.equal(r.entries.total, 10);
  assert.deepEqual(r.entries.byStatus, { pending: 3, assigned: 0, returned: 5, ignored: 2, closed: 0 });
  assert.equal(r.entries.withRepeats, 3);
  assert.equal(r.entries.returnedOutcome.reached, 5);
  assert.deepEqual([r.callbacks.total, r.callbacks.byOutcome.reached, r.callbacks.byOutcome['no-answer']], [6, 5, 1]);
  assert.deepEqual(r.callbacks.byPerson.map((p) => [p.person, p.total, p.reached, p['no-answer']]), [['Anna', 3, 3, 0], ['Ben', 3, 2, 1]]);
  // Callbacks after 1…6 hours: median (nearest rank of 6) = 3 h, p90 = 6 h.
  assert.deepEqual([r.timeToCallback.calledBack, r.timeToCallback.notCalledBack], [6, 4]);
  assert.equal(r.timeToCallback.seconds.median, 3 * 3600);
  assert.equal(r.timeToCallback.seconds.p90, 6 * 3600);
  // Calls at 01:00 Berlin, called back by 07:00 at the latest: all before opening, so no business time passed.
  assert.equal(r.timeToCallback.businessSeconds.p90, 0);
});

test('quantiles use the nearest rank, and an empty set has none', () => {
  assert.deepEqual(quantiles([]), { count: 0, median: null, p90: null });
  assert.deepEqual(quantiles([5, 1, 3]), { count: 3, median: 3, p90: 5 });
  assert.equal(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9), 9);
});
