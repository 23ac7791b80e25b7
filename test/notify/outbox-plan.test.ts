import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseQuietHours } from '../../src/domain/quiet-hours.ts';
import { afterAttempt, backoffMs, dueMessages, planBatches } from '../../src/notify/outbox-plan.ts';
import type { OutboxItem, OutboxMessage, Target } from '../../src/notify/types.ts';
import { BERLIN } from './fixtures.ts';

const ANNA: Target = { channel: 'email', address: 'Anna@Example.com', name: 'Anna' };
const HOOK: Target = { channel: 'webhook', address: 'https://tickets.example.com/hook', name: 'Tickets' };

function item(id: string, target: Target, extra: Partial<OutboxItem> = {}): OutboxItem {
  return {
    id, key: `${id}|${target.address}`, target, event: { kind: 'missed', key: id, at: '2026-10-25T00:00:00.000Z', teamId: 't', callId: id },
    createdAt: '2026-10-25T00:00:00.000Z', status: 'queued', messageId: null, reason: null,
    urgent: false, quiet: null, timeZone: BERLIN, windowMinutes: 10, ...extra,
  };
}

test('each target gets one message with everything queued for it', () => {
  const batches = planBatches([item('a', ANNA), item('b', HOOK), item('c', { ...ANNA, address: 'anna@example.com' })], new Map(), '2026-11-26T09:00:00Z');
  assert.deepEqual(batches.map((b) => [b.targetKey, b.itemIds]), [['email:anna@example.com', ['a', 'c']], ['webhook:https://tickets.example.com/hook', ['b']]]);
});

test('a target that got a message less than its window ago waits, then gets the rest in one message', () => {
  const last = new Map([['email:anna@example.com', '2026-11-26T09:00:00.000Z']]);
  const queued = [item('a', ANNA), item('b', ANNA)];
  assert.deepEqual(planBatches(queued, last, '2026-11-26T09:09:59.000Z'), []);
  assert.deepEqual(planBatches(queued, last, '2026-11-26T09:10:00.000Z').map((b) => b.itemIds), [['a', 'b']]);
});

test('quiet hours hold a message until they end in the recipient zone, on the morning the clocks went back', () => {
  const queued = [item('a', ANNA, { quiet: parseQuietHours('20:00-07:00') })];
  assert.deepEqual(planBatches(queued, new Map(), '2026-10-25T05:30:00.000Z'), [], '06:30 CET');
  assert.deepEqual(planBatches(queued, new Map(), '2026-10-25T05:00:00.000Z'), [], '06:00 CET, which would be 07:00 CEST');
  assert.equal(planBatches(queued, new Map(), '2026-10-25T06:00:00.000Z').length, 1, '07:00 CET');
});

test('a VIP item goes out at once, through quiet hours and the window, taking along what is not held', () => {
  const quiet = parseQuietHours('20:00-07:00');
  const last = new Map([['email:anna@example.com', '2026-10-25T05:29:00.000Z']]);
  const queued = [item('vip', ANNA, { urgent: true, quiet }), item('other', ANNA), item('held', ANNA, { quiet })];
  assert.deepEqual(planBatches(queued, last, '2026-10-25T05:30:00.000Z').map((b) => b.itemIds), [['vip', 'other']]);
});

test('failed deliveries back off 30 s, 1, 2, 4… minutes up to an hour, and give up after the last attempt', () => {
  assert.deepEqual([1, 2, 3, 4, 7, 8, 20].map(backoffMs), [30_000, 60_000, 120_000, 240_000, 1_920_000, 3_600_000, 3_600_000]);
  const m: OutboxMessage = {
    id: 'd1', target: HOOK, itemIds: ['a'], payload: { id: 'd1', type: 'ringback.notification', createdAt: '', recipient: { name: '' }, summary: '', text: '', items: [] },
    createdAt: '2026-11-26T09:00:00.000Z', status: 'pending', attempts: 0, nextAttemptAt: '2026-11-26T09:00:00.000Z', lastError: null, sentAt: null,
  };
  const retry = afterAttempt(m, { ok: false, permanent: false, error: 'HTTP 500' }, '2026-11-26T09:00:00.000Z');
  assert.deepEqual([retry.status, retry.attempts, retry.nextAttemptAt, retry.lastError], ['pending', 1, '2026-11-26T09:00:30.000Z', 'HTTP 500']);
  assert.deepEqual(dueMessages([retry], '2026-11-26T09:00:29.000Z'), []);
  assert.deepEqual(dueMessages([retry], '2026-11-26T09:00:30.000Z').map((x) => x.id), ['d1']);
  const sent = afterAttempt(retry, { ok: true }, '2026-11-26T09:00:30.000Z');
  assert.deepEqual([sent.status, sent.attempts, sent.sentAt, sent.lastError], ['sent', 2, '2026-11-26T09:00:30.000Z', null]);
  assert.equal(afterAttempt(m, { ok: false, permanent: true, error: 'HTTP 404' }, '2026-11-26T09:00:00.000Z').status, 'failed');
  assert.equal(afterAttempt({ ...m, attempts: 2 }, { ok: false, permanent: false, error: 'x' }, '2026-11-26T09:00:00.000Z', 3).status, 'failed');
});
