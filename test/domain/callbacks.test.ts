import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applyAction, type ActionRequest } from '../../src/domain/callbacks.ts';
import { newMissedCall } from '../../src/domain/missed-entry.ts';
import type { CallAttempt, MissedCall } from '../../src/domain/types.ts';
import { at } from './harness.ts';

function entry(): MissedCall {
  const attempt: CallAttempt = {
    id: 'a1', destination: 'reception', caller: { raw: '+49301234', e164: '+49301234', key: '+49301234' }, callerName: 'Dora',
    called: '', firstRingAt: at(0), lastEventAt: at(20), endedAt: at(20), ringSeconds: 20, endpoints: {}, answeredBy: null,
    outcome: 'missed', rule: 'no one answered', source: 'phones', pbxCallId: null, missedCallId: null, seen: [],
  };
  return newMissedCall(attempt, 'm1', false, at(110));
}

function act(m: MissedCall, action: ActionRequest['action'], extra: Partial<ActionRequest> = {}) {
  const r = applyAction(m, { action, actor: 'Anna', via: 'phone', at: at(100), ...extra });
  if (!r.ok) throw new Error(r.message);
  return r;
}

describe('callback workflow', () => {
  test('claiming makes the call assigned to the claimer, with a history entry', () => {
    const r = act(entry(), 'assign');
    assert.equal(r.call.status, 'assigned');
    assert.equal(r.call.assignee, 'Anna');
    assert.deepEqual(r.call.history.at(-1), { at: at(100), actor: 'Anna', action: 'claimed', via: 'phone' });
  });

  test('pressing Mine twice changes nothing the second time', () => {
    const once = act(entry(), 'assign');
    const twice = act(once.call, 'assign');
    assert.equal(twice.changed, false);
    assert.equal(twice.call, once.call);
  });

  test('a reached callback returns the call and records who and how', () => {
    const r = act(act(entry(), 'assign').call, 'return', { outcome: 'reached' });
    assert.equal(r.call.status, 'returned');
    assert.deepEqual(r.call.returned, { at: at(100), by: 'Anna', via: 'phone', outcome: 'reached' });
  });

  test('a voicemail left counts as returned', () => {
    assert.equal(act(entry(), 'return', { outcome: 'voicemail' }).call.status, 'returned');
  });

  test('no answer keeps the call open and counts the attempt', () => {
    const r = act(act(entry(), 'assign').call, 'return', { outcome: 'no-answer' });
    assert.equal(r.call.status, 'assigned');
    assert.equal(r.call.callbacks.length, 1);
    assert.equal(r.call.returned, null);
  });

  test('a wrong number closes the call', () => {
    assert.equal(act(entry(), 'return', { outcome: 'wrong-number' }).call.status, 'closed');
  });

  test('ignored and closed calls can be reopened; assigning a returned call needs a reopen first', () => {
    const returned = act(entry(), 'return').call;
    const refused = applyAction(returned, { action: 'assign', actor: 'Ben', via: 'api', at: at(200) });
    assert.equal(refused.ok, false);
    const reopened = act(returned, 'reopen');
    assert.equal(reopened.call.status, 'pending');
    assert.equal(reopened.call.returned, null);
    assert.equal(act(act(entry(), 'ignore').call, 'reopen').call.status, 'pending');
  });

  test('a note needs text and goes into the history', () => {
    assert.equal(applyAction(entry(), { action: 'note', actor: 'A', via: 'api', at: at(1), note: '  ' }).ok, false);
    assert.equal(act(entry(), 'note', { note: 'customer wants a quote' }).call.history.at(-1)?.note, 'customer wants a quote');
  });
});
