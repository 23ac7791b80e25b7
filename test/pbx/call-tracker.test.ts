import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCallTracker, type CallTracker } from '../../src/pbx/asterisk/call-tracker.ts';
import { createAmiParser, type AmiMessage } from '../../src/pbx/asterisk/framing.ts';
import { parseChannelName } from '../../src/pbx/asterisk/channel-name.ts';
import type { PbxCall } from '../../src/domain/types.ts';
import {
  block, chanFields, markerCall, outboundCall, queueAbandonCall, readCapture, ringGroupCall, toWire,
} from './ami-sequences.ts';

const T0 = Date.parse('2026-11-26T09:15:00.000Z');

function events(text: string): AmiMessage[] {
  return createAmiParser().push(Buffer.from(toWire(text, '\r\n'))).flatMap((f) => (f.type === 'message' ? [f.message] : []));
}

/** Feed events one second apart; returns what was emitted and after which event index. */
function feed(tracker: CallTracker, text: string, start = T0): { calls: PbxCall[]; at: number[] } {
  const calls: PbxCall[] = [];
  const at: number[] = [];
  events(text).forEach((e, i) => {
    for (const c of tracker.handle(e, start + i * 1000)) {
      calls.push(c);
      at.push(i);
    }
  });
  return { calls, at };
}

test('the unanswered hunt-group capture becomes exactly one missed call listing the six extensions that rang', () => {
  const text = readCapture('ami-unanswered-huntgroup.raw');
  const { calls, at } = feed(createCallTracker(), text);
  assert.equal(calls.length, 1);
  assert.equal(at[0], events(text).length - 1, 'emitted on the last Hangup, not before');
  assert.deepEqual({ ...calls[0], startedAt: undefined, endedAt: undefined }, {
    pbxCallId: 'ami:1770888635.49', caller: '1986', callerName: 'Martin', called: '666',
    startedAt: undefined, endedAt: undefined,
    rang: ['11', '12', '21', '41', '42', '51'], answeredBy: null, abandonedInQueue: false, direction: 'internal',
  });
  assert.equal(calls[0]?.startedAt, new Date(T0).toISOString());
  assert.equal(calls[0]?.endedAt, new Date(T0 + (events(text).length - 1) * 1000).toISOString());
});

test('the cancel capture (caller hung up while it rang) is a missed call to 21', () => {
  const { calls } = feed(createCallTracker(), readCapture('ami-unanswered-cancel.raw'));
  assert.equal(calls.length, 1);
  assert.deepEqual({ ...calls[0], startedAt: '', endedAt: '' }, {
    pbxCallId: 'ami:1770888559.46', caller: '1986', callerName: 'Martin', called: '21', startedAt: '', endedAt: '',
    rang: ['21'], answeredBy: null, abandonedInQueue: false, direction: 'internal',
  });
});

test('the answered internal capture is answered by 1986', () => {
  const { calls } = feed(createCallTracker(), readCapture('ami-answered-internal.raw'));
  assert.equal(calls.length, 1);
  assert.deepEqual({ ...calls[0], startedAt: '', endedAt: '' }, {
    pbxCallId: 'ami:1770888534.43', caller: '21', callerName: 'Kitchen', called: '1986', startedAt: '', endedAt: '',
    rang: ['1986'], answeredBy: '1986', abandonedInQueue: false, direction: 'internal',
  });
});

test('a three-member ring group answered by one member is answered by that member', () => {
  const { calls } = feed(createCallTracker(), ringGroupCall({
    linkedid: '1800000000.10', callerExt: '30', callerName: 'Reception', group: '600', members: ['11', '12', '13'], answeredBy: '12',
  }));
  assert.equal(calls.length, 1);
  assert.equal(calls[0]?.answeredBy, '12');
  assert.deepEqual(calls[0]?.rang, ['11', '12', '13']);
});

test('a queue caller from a trunk who hangs up while waiting is an inbound call abandoned in the queue', () => {
  const { calls } = feed(createCallTracker(), queueAbandonCall({
    linkedid: '1800000000.20', callerNumber: '+4930555123', callerName: 'ACME', did: '4930111222', queue: '400', members: ['11', '12'],
  }));
  assert.equal(calls.length, 1);
  assert.deepEqual({ ...calls[0], startedAt: '', endedAt: '' }, {
    pbxCallId: 'ami:1800000000.20', caller: '+4930555123', callerName: 'ACME', called: '4930111222', startedAt: '', endedAt: '',
    rang: ['11', '12'], answeredBy: null, abandonedInQueue: true, direction: 'inbound',
  });
});

test('an extension calling a number through a trunk is outbound, answered by the number dialled', () => {
  const { calls } = feed(createCallTracker(), outboundCall({ linkedid: '1800000000.30', ext: '11', number: '0301234567' }));
  assert.equal(calls.length, 1);
  assert.equal(calls[0]?.direction, 'outbound');
  assert.deepEqual(calls[0]?.rang, []);
  assert.equal(calls[0]?.answeredBy, '0301234567');
});

test('a late or repeated event for a finished call neither re-opens nor re-emits it', () => {
  const tracker = createCallTracker();
  const text = readCapture('ami-unanswered-cancel.raw');
  assert.equal(feed(tracker, text).calls.length, 1);
  assert.equal(feed(tracker, text).calls.length, 0);
  assert.equal(tracker.openCalls, 0);
});

test('interleaved calls are kept apart by Linkedid', () => {
  const a = events(readCapture('ami-unanswered-huntgroup.raw'));
  const b = events(readCapture('ami-answered-internal.raw'));
  const tracker = createCallTracker();
  const out: PbxCall[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    for (const e of [a[i], b[i]]) if (e !== undefined) out.push(...tracker.handle(e, T0 + i));
  }
  assert.deepEqual(out.map((c) => [c.pbxCallId, c.answeredBy]).sort(), [['ami:1770888534.43', '1986'], ['ami:1770888635.49', null]]);
});

test('reconcile finishes a call whose channels vanished, once, at the given end time', () => {
  const tracker = createCallTracker();
  const evs = events(readCapture('ami-unanswered-huntgroup.raw'));
  const firstDialEnd = evs.findIndex((e) => e['Event'] === 'DialEnd');
  evs.slice(0, firstDialEnd).forEach((e, i) => tracker.handle(e, T0 + i));
  const mark = tracker.checkpoint();
  const lostAt = T0 + 60_000;
  const calls = tracker.reconcile(new Set(), mark, lostAt);
  assert.equal(calls.length, 1);
  assert.equal(calls[0]?.endedAt, new Date(lostAt).toISOString());
  assert.deepEqual(calls[0]?.rang, ['11', '12', '21', '41', '42', '51']);
  assert.equal(calls[0]?.answeredBy, null);
  // Its stray Hangups, should they still come, change nothing.
  for (const e of evs.slice(firstDialEnd)) assert.deepEqual(tracker.handle(e, lostAt + 1), []);
});

test('reconcile keeps calls whose channels are still listed, and channels first seen after the checkpoint', () => {
  const tracker = createCallTracker();
  const evs = events(readCapture('ami-unanswered-cancel.raw'));
  tracker.handle(evs[0] ?? {}, T0);
  const mark = tracker.checkpoint();
  assert.deepEqual(tracker.reconcile(new Set(['1770888559.46']), mark, T0 + 1), []);
  for (const e of events(markerCall('1900000000.5')).slice(0, 1)) tracker.handle(e, T0 + 2);
  assert.deepEqual(tracker.reconcile(new Set(['1770888559.46']), mark, T0 + 3), []);
  assert.equal(tracker.openCalls, 2);
});

test('expire finishes a call that went quiet longer than the limit, ending it at its last event', () => {
  const tracker = createCallTracker();
  const evs = events(readCapture('ami-unanswered-cancel.raw'));
  evs.slice(0, 3).forEach((e, i) => tracker.handle(e, T0 + i * 1000));
  assert.deepEqual(tracker.expire(T0 + 10_000, 60_000), []);
  const calls = tracker.expire(T0 + 2000 + 60_000, 60_000);
  assert.equal(calls.length, 1);
  assert.equal(calls[0]?.endedAt, new Date(T0 + 2000).toISOString());
});

test('adopts a call in progress from the channel listing, dating it by the listed duration', () => {
  const tracker = createCallTracker();
  const origin = {
    name: 'PJSIP/30-0000e000', uniqueid: '1800000000.40', linkedid: '1800000000.40',
    num: '30', cidName: 'Reception', context: 'from-internal', exten: '600',
  };
  const legA = { ...origin, name: 'PJSIP/11-0000e001', uniqueid: '1800000000.41', num: '11', exten: 's' };
  const listing = block('CoreShowChannel', { ...chanFields(origin), Application: 'Dial', Duration: '00:00:20' })
    + block('CoreShowChannel', { ...chanFields(legA), Application: 'AppDial', Duration: '00:00:19', BridgeId: '' });
  for (const e of events(listing)) tracker.handle(e, T0);
  const rest = block('DialEnd', { ...chanFields(origin), ...chanFields(legA, 'Dest'), DialStatus: 'NOANSWER' })
    + block('Hangup', chanFields(legA)) + block('Hangup', chanFields(origin));
  const { calls } = feed(tracker, rest, T0 + 5000);
  assert.equal(calls.length, 1);
  assert.equal(calls[0]?.startedAt, new Date(T0 - 20_000).toISOString());
  assert.deepEqual(calls[0]?.rang, ['11']);
  assert.equal(calls[0]?.caller, '30');
  assert.equal(calls[0]?.answeredBy, null);
});

test('a caller from a trunk context is inbound even when the trunk endpoint is numeric', () => {
  const tracker = createCallTracker();
  const origin = {
    name: 'PJSIP/12345-0000f000', uniqueid: '1800000000.50', linkedid: '1800000000.50',
    num: '0301234567', cidName: '', context: 'from-trunk', exten: '4930111222',
  };
  const { calls } = feed(tracker, block('Newchannel', chanFields(origin)) + block('Hangup', chanFields(origin)));
  assert.equal(calls[0]?.direction, 'inbound');
});

test('refuses new calls beyond maxOpenCalls instead of growing without bound', () => {
  const tracker = createCallTracker({ maxOpenCalls: 2 });
  for (let i = 0; i < 5; i++) {
    for (const e of events(markerCall(`1900000001.${i}`)).slice(0, 1)) tracker.handle(e, T0);
  }
  assert.equal(tracker.openCalls, 2);
});

test('ignores events that are not AMI call events without throwing', () => {
  const tracker = createCallTracker();
  for (const e of [{}, { Event: '' }, { Event: 'Hangup' }, { Event: 'DialEnd', Linkedid: 'x' }, { Response: 'Success' }]) {
    assert.deepEqual(tracker.handle(e, T0), []);
  }
});

test('reads the endpoint behind PJSIP, Local and trunk channel names', () => {
  assert.deepEqual(parseChannelName('PJSIP/11-00000020'), { tech: 'PJSIP', endpoint: '11' });
  assert.deepEqual(parseChannelName('Local/11@from-queue-0000002a;1'), { tech: 'Local', endpoint: '11' });
  assert.deepEqual(parseChannelName('Local/11@from-queue/n'), { tech: 'Local', endpoint: '11' });
  assert.deepEqual(parseChannelName('PJSIP/my-provider-0000012f'), { tech: 'PJSIP', endpoint: 'my-provider' });
  assert.deepEqual(parseChannelName('PJSIP/11'), { tech: 'PJSIP', endpoint: '11' });
  assert.equal(parseChannelName('<unknown>'), null);
});
