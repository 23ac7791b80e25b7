import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dueDigests, groupByCaller } from '../../src/domain/digest.ts';
import { isWithinBusinessHours } from '../../src/domain/schedule.ts';
import { scanTeam } from '../../src/notify/call-events.ts';
import { noVip } from '../../src/notify/vip.ts';
import { BERLIN, missed, OFFICE, settings, team } from '../notify/fixtures.ts';

const office = team();
const DORA = '+4930111';
const EMIL = '+4930222';

/** The weekend of the October change: Friday evening (CEST), Saturday (CEST), Sunday (CET). */
function weekendCalls() {
  return [
    missed('2026-10-23T16:00:00.000Z', { afterHours: true, callerName: 'Dora' }, DORA), // Fri 18:00 CEST
    missed('2026-10-24T10:00:00.000Z', { afterHours: true }, EMIL), // Sat 12:00 CEST
    missed('2026-10-25T09:00:00.000Z', { afterHours: true, attemptIds: ['x1', 'x2'] }, DORA), // Sun 10:00 CET
  ];
}

test('calls of a closed weekend are after hours in the team zone, before and after the clocks go back', () => {
  for (const m of weekendCalls()) assert.equal(isWithinBusinessHours(OFFICE, BERLIN, m.firstAt), false, m.firstAt);
  assert.equal(isWithinBusinessHours(OFFICE, BERLIN, '2026-10-26T06:30:00.000Z'), false, 'Monday 07:30 CET');
  assert.equal(isWithinBusinessHours(OFFICE, BERLIN, '2026-10-26T07:00:00.000Z'), true, 'Monday 08:00 CET');
});

test('the morning digest is due at the opening in the team zone, 08:00 CET after the change, with every call of the closed hours', () => {
  const calls = weekendCalls();
  assert.deepEqual(dueDigests(office, calls, '2026-10-26T06:00:00.000Z'), [], '08:00 CEST would have been 06:00Z');
  assert.deepEqual(dueDigests(office, calls, '2026-10-26T06:59:59.000Z'), []);
  const [digest, ...more] = dueDigests(office, calls, '2026-10-26T07:00:00.000Z');
  assert.deepEqual(more, []);
  assert.equal(digest?.opening, '2026-10-26T07:00:00.000Z');
  assert.deepEqual(digest?.calls.map((m) => m.firstAt), calls.map((m) => m.firstAt));
});

test('a digest groups the calls by caller, earliest caller first, and counts every attempt', () => {
  const groups = groupByCaller(weekendCalls());
  assert.deepEqual(groups.map((g) => [g.number, g.name, g.calls.length, g.attempts, g.firstAt, g.lastAt]), [
    [DORA, 'Dora', 2, 3, '2026-10-23T16:00:00.000Z', '2026-10-25T09:00:00.000Z'],
    [EMIL, '', 1, 1, '2026-10-24T10:00:00.000Z', '2026-10-24T10:00:00.000Z'],
  ]);
});

test('handled and unsettled calls stay out of the digest, and a digest long past its opening is not sent any more', () => {
  const [a, b, c] = weekendCalls();
  const calls = [{ ...a!, status: 'returned' as const }, b!, { ...c!, settlesAt: '2026-10-26T07:00:01.000Z' }];
  assert.deepEqual(dueDigests(office, calls, '2026-10-26T07:00:00.000Z')[0]?.calls.map((m) => m.caller.key), [EMIL]);
  assert.deepEqual(dueDigests(office, weekendCalls(), '2026-10-26T19:00:01.000Z'), [], 'twelve hours after the opening');
});

test('a team scan announces settled business-hours misses, leaves after-hours ones to the digest, and sends VIPs at once', () => {
  const monday = '2026-10-26T09:00:00.000Z';
  const open = [
    missed('2026-10-26T08:00:00.000Z', {}, '+4930333'), // in hours, settled
    missed('2026-10-26T08:59:00.000Z', {}, '+4930444'), // in hours, settles at 09:00:30
    missed('2026-10-26T08:10:00.000Z', { status: 'assigned', assignee: 'Anna' }, '+4930555'), // claimed: has an owner
    ...weekendCalls(),
  ];
  const patient = settings({ targetMinutes: 600 }); // no escalation in this picture
  const scan = scanTeam(office, patient, open, monday, noVip);
  assert.deepEqual(scan.routed.map((r) => [r.event.kind, r.rules.urgent, r.recipients.map((p) => p.name)]), [
    ['missed', false, ['Reception inbox']],
    ['morning-digest', false, ['Reception inbox']],
  ]);
  const saturday = '2026-10-24T10:05:00.000Z';
  const vip = scanTeam(office, patient, open.filter((m) => m.firstAt < saturday), saturday, (key) => key === EMIL);
  assert.deepEqual(vip.routed.map((r) => [r.event.kind, r.rules.urgent, r.event.key]),
    [['missed', true, `missed:${open[4]!.id}`]], "the VIP's Saturday call goes out at once, the others wait for Monday");
});

test('a team scan records due escalation steps in the calls and routes each to its rung', () => {
  const call = missed('2026-10-26T07:00:00.000Z', { status: 'assigned', assignee: 'anna' });
  const scan = scanTeam(office, settings(), [call], '2026-10-26T07:30:00.000Z', noVip);
  assert.equal(scan.calls[0]?.history.at(-1)?.action, 'escalated: claimer');
  assert.match(scan.calls[0]?.history.at(-1)?.note ?? '', /30 business minutes without a callback \(target 30\); notified Anna/);
  const escalation = scan.routed.find((r) => r.event.kind === 'escalation');
  assert.deepEqual(escalation?.recipients.map((r) => r.email), ['anna@example.com'], 'the claimer herself, matched by name');
  const noLead = scanTeam(office, settings({ lead: null }), [scan.calls[0]!], '2026-10-26T08:00:00.000Z', noVip);
  assert.match(noLead.calls[0]?.history.at(-1)?.note ?? '', /no lead to notify is configured/);
  assert.deepEqual(noLead.routed.find((r) => r.event.kind === 'escalation')?.recipients, []);
});
