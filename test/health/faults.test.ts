import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extensionFaults, teamAllMissedFaults } from '../../src/domain/faults.ts';
import { reconcileIncidents, type Condition } from '../../src/domain/incidents.ts';
import { phoneStatus, settlingUntil } from '../../src/domain/offline.ts';
import type { CallAttempt } from '../../src/domain/types.ts';
import { attempt, HOUR, iso, team } from '../notify/fixtures.ts';

const NOW = '2026-11-26T12:00:00.000Z'; // Thursday 13:00 in Berlin
const now = Date.parse(NOW);
const seen = (at: string) => ({ lastSeen: { at, ip: '10.0.0.11', via: 'event' as const } });
const RULE = { thresholdMs: HOUR, startedAt: '2026-11-26T06:00:00.000Z' };

test('a phone silent longer than the threshold is offline since its last sign of life; one never seen is only listed', () => {
  assert.deepEqual(phoneStatus(seen('2026-11-26T11:00:00.000Z'), RULE, NOW), { state: 'online', lastSeenAt: '2026-11-26T11:00:00.000Z', offlineSince: null });
  assert.deepEqual(phoneStatus(seen('2026-11-26T10:59:59.000Z'), RULE, NOW),
    { state: 'offline', lastSeenAt: '2026-11-26T10:59:59.000Z', offlineSince: '2026-11-26T10:59:59.000Z' });
  assert.equal(phoneStatus({ lastSeen: null }, RULE, NOW).state, 'never-seen');
});

test('right after a restart silent phones are settling until the threshold has passed since the start', () => {
  const restarted = { thresholdMs: HOUR, startedAt: '2026-11-26T11:30:00.000Z' };
  assert.equal(phoneStatus(seen('2026-11-26T08:00:00.000Z'), restarted, NOW).state, 'settling');
  assert.equal(settlingUntil(restarted, NOW), '2026-11-26T12:30:00.000Z');
  assert.equal(phoneStatus(seen('2026-11-26T08:00:00.000Z'), restarted, '2026-11-26T12:30:01.000Z').state, 'offline');
  assert.equal(settlingUntil(restarted, '2026-11-26T12:30:01.000Z'), null);
});

/** `count` attempts spread over the hour before `endMs`, `missed` of them missed, ringing `extensions`. */
function spread(endMs: number, spanMs: number, count: number, missed: number, extensions: string[], destination = 'reception'): CallAttempt[] {
  return Array.from({ length: count }, (_, i) => attempt(iso(endMs - spanMs + ((i + 0.5) * spanMs) / count), i < missed ? 'missed' : 'answered', extensions, destination));
}

test('an extension whose missed share jumps against its own week is flagged; one that always misses as often is not', () => {
  const week = 7 * 24 * HOUR;
  const attempts = [
    ...spread(now - HOUR, week, 20, 2, ['12']), // 10 % missed in the week before
    ...spread(now, HOUR, 5, 5, ['12']), // every call of the last hour
    ...spread(now - HOUR, week, 20, 12, ['13']), // 60 % all week…
    ...spread(now, HOUR, 5, 3, ['13']), // …and 60 % now: its normal
    ...spread(now, HOUR, 5, 5, ['14']), // no baseline: not judged
  ];
  assert.deepEqual(extensionFaults(attempts, NOW), [{
    rule: 'extension-missed-share', subject: '12', since: '2026-11-26T11:00:00.000Z', calls: 5, missed: 5, share: 1,
    baselineShare: 0.1, baselineCalls: 20,
  }]);
});

test('a team that missed every call of the last business hour is flagged; after hours, or with one answer, it is not', () => {
  const office = team();
  const all = spread(now, HOUR, 3, 3, ['11']);
  assert.deepEqual(teamAllMissedFaults(all, [office], NOW).map((f) => [f.rule, f.subject, f.calls]), [['team-all-missed', 'reception', 3]]);
  assert.deepEqual(teamAllMissedFaults([...all, ...spread(now, HOUR, 1, 0, ['11'])], [office], NOW), [], 'one answered');
  assert.deepEqual(teamAllMissedFaults(spread(now, HOUR, 2, 2, ['11']), [office], NOW), [], 'too few calls to tell');
  const evening = Date.parse('2026-11-26T20:00:00.000Z'); // 21:00 in Berlin: closed
  assert.deepEqual(teamAllMissedFaults(spread(evening, HOUR, 5, 5, ['11']), [office], iso(evening)), []);
});

test('an incident opens once per episode, stays open while seen or undecided, and a new outage is a new incident', () => {
  const offline = (episode: string): Condition => ({ kind: 'phone-offline', subject: 'mac1', episode, since: episode, details: {} });
  const first = reconcileIncidents([], [offline('t1')], 'n1');
  assert.equal(first.opened.length, 1);
  const open = first.opened;
  assert.deepEqual(reconcileIncidents(open, [offline('t1')], 'n2'), { opened: [], closed: [], updated: [] });
  assert.deepEqual(reconcileIncidents(open, [], 'n3', new Set(['mac1'])), { opened: [], closed: [], updated: [] }, 'settling: undecided');
  const back = reconcileIncidents(open, [], 'n4');
  assert.deepEqual(back.closed.map((i) => [i.id, i.closedAt]), [[open[0]?.id, 'n4']]);
  const again = reconcileIncidents([...back.closed], [offline('t5')], 'n5');
  assert.equal(again.opened.length, 1);
  assert.notEqual(again.opened[0]?.id, open[0]?.id);
});
