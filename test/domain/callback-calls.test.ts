/** Calling a caller back: dialling is not reaching; only a connected call returns the entry. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { callingBackNow } from '../../src/domain/callback-calls.ts';
import { applyAction } from '../../src/domain/callbacks.ts';
import { createCallTracker } from '../../src/pbx/asterisk/call-tracker.ts';
import { createAmiParser } from '../../src/pbx/asterisk/framing.ts';
import type { MissedCall, PbxCall } from '../../src/domain/types.ts';
import { outboundCall, toWire } from '../pbx/ami-sequences.ts';
import { at, Log, phone, T0, team } from './harness.ts';

const CALLER = '+49301234567';
const reception = team('reception', ['11', '12']);
const a = phone('805ec0000011', '11', ['reception'], 'Anna');
const b = phone('805ec0000012', '12', ['reception'], 'Ben');

function missed(): Log {
  const log = new Log([reception]);
  for (const p of [a, b]) log.feed(p, 'ringing', 0, CALLER);
  for (const p of [a, b]) log.feed(p, 'missed', 20, CALLER);
  assert.equal(log.openMissed().length, 1);
  return log;
}

function entry(log: Log): MissedCall {
  const [m] = [...log.missed.values()];
  assert.ok(m !== undefined);
  return m;
}

describe('a team phone calling the caller back', () => {
  test('dialling shows who is calling and keeps the entry open; a repeated dial event changes nothing', () => {
    const log = missed();
    log.feed(a, 'outgoing', 300, '030 1234567');
    const once = entry(log);
    assert.equal(once.status, 'pending');
    assert.deepEqual(once.callingBack, { by: 'Anna', at: at(300), phone: a.mac });
    assert.deepEqual(once.callbacks, []);
    assert.equal(once.history.at(-1)?.action, 'calling back');
    log.feed(a, 'outgoing', 301, '030 1234567');
    assert.deepEqual(entry(log), once, 'Poly reports one dial three times');
  });

  test('a callback that ends without connecting is a no-answer try and the entry stays open', () => {
    const log = missed();
    log.feed(a, 'outgoing', 300, CALLER);
    log.feed(a, 'ended', 330, CALLER);
    const m = entry(log);
    assert.equal(m.status, 'pending');
    assert.equal(m.callingBack, null);
    assert.deepEqual(m.callbacks, [{ at: at(330), by: 'Anna', via: 'auto', outcome: 'no-answer' }]);
    assert.equal(m.history.at(-1)?.action, 'callback: no-answer');
    assert.equal(m.returned, null);
  });

  test('an end that names no number ends only the callback of the phone that made it', () => {
    const log = missed();
    log.feed(a, 'outgoing', 300, CALLER);
    log.feed(b, 'ended', 310, '');
    assert.equal(entry(log).callingBack?.by, 'Anna', "another phone's hang-up is not Anna's call");
    log.feed(a, 'ended', 330, '');
    assert.equal(entry(log).callbacks.length, 1);
    assert.equal(entry(log).status, 'pending');
  });

  test('a callback that connects returns the entry as reached, after earlier tries', () => {
    const log = missed();
    log.feed(a, 'outgoing', 300, CALLER);
    log.feed(a, 'ended', 330, CALLER);
    log.feed(b, 'outgoing', 900, CALLER);
    assert.equal(entry(log).callingBack?.by, 'Ben');
    log.feed(b, 'connected', 910, CALLER);
    log.feed(b, 'ended', 1000, CALLER);
    const m = entry(log);
    assert.equal(m.status, 'returned');
    assert.deepEqual(m.returned, { at: at(910), by: 'Ben', via: 'auto', outcome: 'reached' });
    assert.deepEqual(m.callbacks.map((c) => `${c.by}:${c.outcome}`), ['Anna:no-answer', 'Ben:reached']);
    assert.equal(m.callingBack, null);
  });

  test('a callback whose end event was lost stops saying "calling back" after ten minutes', () => {
    const log = missed();
    log.feed(a, 'outgoing', 300, CALLER);
    assert.deepEqual(callingBackNow(entry(log), at(300 + 599)), { by: 'Anna', at: at(300) });
    assert.equal(callingBackNow(entry(log), at(300 + 601)), null);
    log.feed(a, 'outgoing', 300 + 700, CALLER);
    assert.deepEqual(callingBackNow(entry(log), at(300 + 701)), { by: 'Anna', at: at(1000) }, 'dialling again starts a new attempt');
  });
});

describe("the phone's Returned → No answer agrees with the automatic record", () => {
  test('no answer told after the phone already counted the try is still one try', () => {
    const log = missed();
    log.feed(a, 'outgoing', 300, CALLER);
    log.feed(a, 'ended', 330, CALLER);
    const r = applyAction(entry(log), { action: 'return', outcome: 'no-answer', actor: 'Anna', via: 'phone', at: at(340) });
    assert.ok(r.ok);
    assert.equal(r.changed, false);
    assert.equal(r.call.callbacks.length, 1);
  });

  test('the caller told "no answer" after a call that connected (a mailbox answered): the entry reopens, one try', () => {
    const log = missed();
    log.feed(a, 'outgoing', 300, CALLER);
    log.feed(a, 'connected', 310, CALLER);
    assert.equal(entry(log).status, 'returned');
    const r = applyAction(entry(log), { action: 'return', outcome: 'no-answer', actor: 'Anna', via: 'phone', at: at(340) });
    assert.ok(r.ok && r.changed);
    assert.equal(r.call.status, 'pending');
    assert.equal(r.call.returned, null);
    assert.deepEqual(r.call.callbacks, [{ at: at(340), by: 'Anna', via: 'phone', outcome: 'no-answer' }]);
    assert.match(r.call.history.at(-1)?.note ?? '', /corrects the automatic "reached"/);
    const vm = applyAction(entry(log), { action: 'return', outcome: 'voicemail', actor: 'Anna', via: 'phone', at: at(340) });
    assert.ok(vm.ok);
    assert.deepEqual([vm.call.status, vm.call.returned?.outcome, vm.call.callbacks.length], ['returned', 'voicemail', 1]);
  });

  test('someone else, or much later, records a callback of their own', () => {
    const log = missed();
    log.feed(a, 'outgoing', 300, CALLER);
    log.feed(a, 'ended', 330, CALLER);
    const ben = applyAction(entry(log), { action: 'return', outcome: 'no-answer', actor: 'Ben', via: 'phone', at: at(340) });
    assert.ok(ben.ok);
    assert.equal(ben.call.callbacks.length, 2);
    const later = applyAction(entry(log), { action: 'return', outcome: 'no-answer', actor: 'Anna', via: 'phone', at: at(330 + 3600) });
    assert.ok(later.ok);
    assert.equal(later.call.callbacks.length, 2);
  });
});

describe('a PBX reporting the callback', () => {
  const cisco = team('desk', ['14']);

  function pbxMissed(): Log {
    const log = new Log([cisco]);
    log.feedPbx({ pbxCallId: 'ami:1', caller: CALLER, rang: ['14'] }, 0, 25);
    assert.equal(log.openMissed().length, 1);
    return log;
  }

  /** The AMI events of an outbound call, through the real tracker, into the log. */
  function amiOutbound(log: Log, linkedid: string, answered: boolean, second: number): void {
    const frames = createAmiParser().push(Buffer.from(toWire(outboundCall({ linkedid, ext: '14', number: '0301234567', answered }), '\r\n')));
    const calls: PbxCall[] = [];
    const tracker = createCallTracker();
    frames.forEach((f, i) => { if (f.type === 'message') calls.push(...tracker.handle(f.message, T0 + (second + i) * 1000)); });
    assert.equal(calls.length, 1);
    const [call] = calls;
    assert.ok(call !== undefined);
    log.feedPbx({ ...call }, (Date.parse(call.startedAt) - T0) / 1000, (Date.parse(call.endedAt) - T0) / 1000);
  }

  test('an AMI outbound call that nobody answered is a no-answer try; a bridged one returns the entry', () => {
    const log = pbxMissed();
    amiOutbound(log, '1800000000.40', false, 300);
    let m = entry(log);
    assert.equal(m.status, 'pending');
    assert.deepEqual(m.callbacks.map((c) => c.outcome), ['no-answer']);
    amiOutbound(log, '1800000000.41', true, 900);
    m = entry(log);
    assert.equal(m.status, 'returned');
    assert.deepEqual(m.callbacks.map((c) => c.outcome), ['no-answer', 'reached']);
  });

  test('a try the phone already counted is not counted again when the PBX reports the same call', () => {
    const desk = phone('805ec0000014', '14', ['desk'], 'Dora');
    const log = pbxMissed();
    log.feed(desk, 'outgoing', 300, CALLER);
    log.feed(desk, 'ended', 330, CALLER);
    log.feedPbx({ pbxCallId: 'ami:2', caller: '14', called: '0301234567', direction: 'outbound', answeredBy: null }, 300, 331);
    assert.equal(entry(log).callbacks.length, 1);
    // The PBX saw the bridge the phone did not report: the PBX's word wins.
    log.feedPbx({ pbxCallId: 'ami:3', caller: '14', called: '0301234567', direction: 'outbound', answeredBy: '0301234567' }, 600, 700);
    assert.equal(entry(log).status, 'returned');
    assert.equal(entry(log).returned?.by, 'extension 14');
  });
});
