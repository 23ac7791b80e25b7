import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dueEscalation, recordEscalation, stepsTaken, type EscalationPolicy } from '../../src/domain/escalation.ts';
import type { MissedCall } from '../../src/domain/types.ts';
import { missed, team } from '../notify/fixtures.ts';

const POLICY: EscalationPolicy = { targetMinutes: 30, stepMinutes: 30 };
const office = team();

/** Climbs one step at `now` if one is due; returns the step taken (or null) and the call after it. */
function climb(m: MissedCall, now: string, policy = POLICY): [string | null, MissedCall] {
  const due = dueEscalation(m, office, policy, now);
  return due === null ? [null, m] : [due.step, recordEscalation(m, due, now, 'test')];
}

test('the target counts business hours only, across a weekend and the October DST change in Berlin', () => {
  // Friday 16:45 CEST: 15 business minutes left that day; Monday opens at 08:00 CET = 07:00Z (06:00Z before the change).
  const call = missed('2026-10-23T14:45:00.000Z');
  assert.equal(dueEscalation(call, office, POLICY, '2026-10-24T12:00:00.000Z'), null, 'Saturday: not overdue');
  assert.equal(dueEscalation(call, office, POLICY, '2026-10-26T06:15:00.000Z'), null, '07:15 CET: the office opened 15 min ago only');
  assert.equal(dueEscalation(call, office, POLICY, '2026-10-26T07:14:59.000Z'), null);
  assert.deepEqual(dueEscalation(call, office, POLICY, '2026-10-26T07:15:00.000Z'), { step: 'claimer', businessMinutes: 30, claimer: null });
});

test('the ladder climbs claimer, lead, manager, each step once and a step interval after the one before', () => {
  let call = missed('2026-10-23T14:45:00.000Z', { status: 'assigned', assignee: 'Anna', assignedAt: '2026-10-23T14:50:00.000Z' });
  const steps: (string | null)[] = [];
  for (const now of ['2026-10-26T07:15:00.000Z', '2026-10-26T07:15:00.000Z', '2026-10-26T07:44:00.000Z', '2026-10-26T07:45:00.000Z',
    '2026-10-26T08:14:00.000Z', '2026-10-26T08:15:00.000Z', '2026-10-26T12:00:00.000Z', '2026-10-27T12:00:00.000Z']) {
    const [step, next] = climb(call, now);
    steps.push(step);
    call = next;
  }
  assert.deepEqual(steps, ['claimer', null, null, 'lead', null, 'manager', null, null]);
  const history = call.history.filter((h) => h.action.startsWith('escalated'));
  assert.deepEqual(history.map((h) => [h.action, h.via, h.at]), [
    ['escalated: claimer', 'auto', '2026-10-26T07:15:00.000Z'],
    ['escalated: lead', 'auto', '2026-10-26T07:45:00.000Z'],
    ['escalated: manager', 'auto', '2026-10-26T08:15:00.000Z'],
  ]);
  assert.deepEqual([...stepsTaken(call).keys()], ['claimer', 'lead', 'manager']);
});

test('the first step names the claimer of an assigned call and nobody for an unclaimed one', () => {
  const claimed = missed('2026-11-23T08:00:00.000Z', { status: 'assigned', assignee: 'Anna' });
  assert.equal(dueEscalation(claimed, office, POLICY, '2026-11-23T09:00:00.000Z')?.claimer, 'Anna');
  assert.equal(dueEscalation(missed('2026-11-23T08:00:00.000Z'), office, POLICY, '2026-11-23T09:00:00.000Z')?.claimer, null);
});

test('after a long outage the ladder is climbed one step per interval, not all at once', () => {
  let call = missed('2026-11-23T08:00:00.000Z');
  const [first, after] = climb(call, '2026-11-24T15:00:00.000Z');
  call = after;
  assert.equal(first, 'claimer');
  assert.equal(climb(call, '2026-11-24T15:00:00.000Z')[0], null, 'the lead only 30 business minutes later');
  assert.equal(climb(call, '2026-11-24T15:30:00.000Z')[0], 'lead');
});

test('handled, unsettled or retracted calls never escalate', () => {
  const now = '2026-11-24T15:00:00.000Z';
  for (const status of ['returned', 'ignored', 'closed'] as const) {
    assert.equal(dueEscalation(missed('2026-11-23T08:00:00.000Z', { status }), office, POLICY, now), null, status);
  }
  const unsettled = missed('2026-11-23T08:00:00.000Z', { settlesAt: '2026-11-24T15:00:01.000Z' });
  assert.equal(dueEscalation(unsettled, office, POLICY, now), null, 'an answer may still retract it');
});

test('a night team open Sundays 00:00–06:00 gets the repeated hour of the DST change as real business time', () => {
  const night = team({ businessHours: { weekly: { 0: ['00:00-06:00'] }, holidays: [] } });
  // Sunday 00:30 CEST = Saturday 22:30Z. Four real hours later is 02:30Z, which is 03:30 CET on the wall clock.
  const call = missed('2026-10-24T22:30:00.000Z');
  const policy = { targetMinutes: 240, stepMinutes: 60 };
  assert.equal(dueEscalation(call, night, policy, '2026-10-25T02:29:00.000Z'), null);
  assert.equal(dueEscalation(call, night, policy, '2026-10-25T02:30:00.000Z')?.step, 'claimer');
});
