import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyAction } from '../../src/domain/callbacks.ts';
import { isWaiting, listOrder } from '../../src/domain/callback-schedule.ts';
import { dueEscalation, recordEscalation } from '../../src/domain/escalation.ts';
import { overdueOf } from '../../src/domain/overdue.ts';
import type { MissedCall } from '../../src/domain/types.ts';
import { missed, team } from '../notify/fixtures.ts';

const office = team();
const POLICY = { targetMinutes: 30, stepMinutes: 30 };

function schedule(m: MissedCall, at: string, now: string): MissedCall {
  const r = applyAction(m, { action: 'schedule', actor: 'Anna', via: 'api', at: now, scheduleAt: at });
  assert.ok(r.ok, JSON.stringify(r));
  return r.call;
}

test('a scheduled callback is kept in the entry with who set it, and in its history', () => {
  const m = schedule(missed('2026-11-26T08:00:00.000Z'), '2026-11-26T14:00:00+01:00', '2026-11-26T08:05:00.000Z');
  assert.deepEqual(m.scheduled, { at: '2026-11-26T13:00:00.000Z', by: 'Anna' });
  assert.equal(m.history.at(-1)?.action, 'scheduled: 2026-11-26T13:00:00.000Z');
  const again = applyAction(m, { action: 'schedule', actor: 'Anna', via: 'api', at: '2026-11-26T08:06:00.000Z', scheduleAt: '2026-11-26T13:00:00Z' });
  assert.ok(again.ok && !again.changed, 'the same time again changes nothing');
});

test('a schedule must be a future time within a month, on an open call; the message names the field', () => {
  const m = missed('2026-11-26T08:00:00.000Z');
  const now = '2026-11-26T09:00:00.000Z';
  for (const [at, message] of [[undefined, /^at: expected the time/], ['14:00', /^at: expected a date and time/], ['2026-11-26T08:59:00Z', /^at: expected a time in the future/],
    ['2027-01-26T08:00:00Z', /^at: expected a time within 31 days/]] as const) {
    const r = applyAction(m, { action: 'schedule', actor: 'Anna', via: 'api', at: now, ...(at === undefined ? {} : { scheduleAt: at }) });
    assert.ok(!r.ok && r.code === 'invalid' && message.test(r.message), `${at}: ${JSON.stringify(r)}`);
  }
  const closed = applyAction({ ...m, status: 'closed' }, { action: 'schedule', actor: 'Anna', via: 'api', at: now, scheduleAt: '2026-11-26T13:00:00Z' });
  assert.ok(!closed.ok && closed.code === 'conflict');
});

test('the list puts a waiting callback last, then on top from its time on, decided by now', () => {
  const older = missed('2026-11-26T08:00:00.000Z', { id: 'older' });
  const newer = missed('2026-11-26T08:30:00.000Z', { id: 'newer' });
  const later = schedule(missed('2026-11-26T08:45:00.000Z', { id: 'later' }), '2026-11-26T13:00:00Z', '2026-11-26T08:50:00.000Z');
  const ids = (now: string) => listOrder([older, newer, later], now).map((m) => m.id);
  assert.deepEqual(ids('2026-11-26T12:59:59.999Z'), ['newer', 'older', 'later']);
  assert.deepEqual(ids('2026-11-26T13:00:00.000Z'), ['later', 'newer', 'older']);
  assert.equal(isWaiting(later, '2026-11-26T12:59:59.999Z'), true);
  assert.equal(isWaiting(later, '2026-11-26T13:00:00.000Z'), false);
});

test('settling or reopening a call clears its schedule', () => {
  const later = schedule(missed('2026-11-26T08:00:00.000Z'), '2026-11-26T13:00:00Z', '2026-11-26T08:05:00.000Z');
  for (const action of ['return', 'ignore', 'close'] as const) {
    const r = applyAction(later, { action, actor: 'Ben', via: 'api', at: '2026-11-26T09:00:00.000Z' });
    assert.ok(r.ok && r.call.scheduled === null, action);
  }
  const kept = applyAction(later, { action: 'assign', actor: 'Ben', via: 'api', at: '2026-11-26T09:00:00.000Z' });
  assert.ok(kept.ok && kept.call.scheduled?.at === '2026-11-26T13:00:00.000Z', 'claiming keeps the time asked for');
});

test('a call waiting for its scheduled time is neither overdue nor escalated; the target counts from that time', () => {
  // Thursday 09:00 Berlin; the caller asked for 14:00 (13:00Z).
  const later = schedule(missed('2026-11-26T08:00:00.000Z'), '2026-11-26T13:00:00Z', '2026-11-26T08:01:00.000Z');
  assert.equal(overdueOf(later, office, POLICY, '2026-11-26T12:00:00.000Z'), null);
  assert.equal(dueEscalation(later, office, POLICY, '2026-11-26T12:00:00.000Z'), null);
  assert.equal(dueEscalation(later, office, POLICY, '2026-11-26T13:29:00.000Z'), null, 'within the target after its time');
  assert.equal(dueEscalation(later, office, POLICY, '2026-11-26T13:30:00.000Z')?.step, 'claimer');
  assert.deepEqual(overdueOf(later, office, POLICY, '2026-11-26T13:45:00.000Z'), { targetMinutes: 30, minutesOver: 15, escalated: null });
});

test('overdue: past the target in business minutes, or escalated, with how long', () => {
  const m = missed('2026-11-26T08:00:00.000Z');
  assert.equal(overdueOf(m, office, POLICY, '2026-11-26T08:29:00.000Z'), null);
  assert.deepEqual(overdueOf(m, office, POLICY, '2026-11-26T08:55:00.000Z'), { targetMinutes: 30, minutesOver: 25, escalated: null });
  const due = dueEscalation(m, office, POLICY, '2026-11-26T09:00:00.000Z');
  assert.ok(due !== null);
  const escalated = recordEscalation(m, due, '2026-11-26T09:00:00.000Z', 'test');
  assert.equal(overdueOf(escalated, office, { targetMinutes: 600 }, '2026-11-26T09:05:00.000Z')?.escalated, 'claimer', 'escalated counts even under a longer target');
  assert.equal(overdueOf({ ...m, status: 'returned' }, office, POLICY, '2026-11-26T12:00:00.000Z'), null);
});
