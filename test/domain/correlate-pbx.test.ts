import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Log, phone, team } from './harness.ts';

const CALLER = '+49301234567';
const reception = team('reception', ['11', '12', '14']);
const yealink = phone('805ec0000011', '11', ['reception'], 'Anna');

describe('calls reported by the PBX', () => {
  test('a 3-member ring group nobody answered is one missed call', () => {
    const log = new Log([reception]);
    log.feedPbx({ pbxCallId: 'ami:1.1', caller: CALLER, rang: ['11', '12', '14'] }, 0, 25);
    const open = log.openMissed();
    assert.equal(open.length, 1);
    assert.equal(open[0]?.team, 'reception');
    assert.equal(open[0]?.ringSeconds, 25);
  });

  test('the same PBX call delivered twice changes nothing', () => {
    const log = new Log([reception]);
    log.feedPbx({ pbxCallId: 'ami:1.1', caller: CALLER, rang: ['11'] }, 0, 25);
    const before = JSON.stringify([...log.missed.values()]);
    log.feedPbx({ pbxCallId: 'ami:1.1', caller: CALLER, rang: ['11'] }, 0, 25);
    assert.equal(JSON.stringify([...log.missed.values()]), before);
    assert.equal(log.attempts.size, 1);
  });

  test('phone events and the PBX call of one call give one attempt, keyed by the PBX id', () => {
    const log = new Log([reception]);
    log.feed(yealink, 'ringing', 0, CALLER);
    log.feed(yealink, 'missed', 25, CALLER);
    log.feedPbx({ pbxCallId: 'ami:2.1', caller: CALLER, rang: ['11', '14'] }, 0, 25);
    assert.equal(log.attempts.size, 1);
    assert.equal([...log.attempts.values()][0]?.pbxCallId, 'ami:2.1');
    assert.equal(log.openMissed().length, 1);
  });

  test('a Cisco phone that answered (seen only by the PBX) retracts the miss the Yealink reported', () => {
    const log = new Log([reception]);
    log.feed(yealink, 'ringing', 0, CALLER);
    log.feed(yealink, 'missed', 8, CALLER);
    assert.equal(log.openMissed().length, 1);
    log.feedPbx({ pbxCallId: 'ami:3.1', caller: CALLER, rang: ['11', '14'], answeredBy: '14' }, 0, 120);
    assert.equal(log.openMissed().length, 0);
    assert.equal([...log.attempts.values()][0]?.outcome, 'answered');
  });

  test('phone events after the PBX verdict only add legs', () => {
    const log = new Log([reception]);
    log.feedPbx({ pbxCallId: 'ami:4.1', caller: CALLER, rang: ['11', '14'], answeredBy: '14' }, 0, 60);
    log.feed(yealink, 'missed', 61, CALLER);
    assert.equal(log.openMissed().length, 0);
    assert.equal(log.attempts.size, 1);
  });

  test('a caller who gave up in the queue is a missed call that says so', () => {
    const log = new Log([reception]);
    log.feedPbx({ pbxCallId: 'ami:5.1', caller: CALLER, rang: [], called: '', abandonedInQueue: true }, 0, 40);
    assert.equal(log.openMissed().length, 0, 'a queue owned by no team is not ours');
    const queue = new Log([team('queue', [], { numbers: ['+49309999'] })]);
    queue.feedPbx({ pbxCallId: 'ami:5.2', caller: CALLER, rang: [], called: '+49309999', abandonedInQueue: true }, 0, 40);
    assert.match(queue.openMissed()[0]?.rule ?? '', /gave up waiting in the queue after 40 s/);
  });

  test('a team extension calling the caller back through the PBX returns the call', () => {
    const log = new Log([reception]);
    log.feedPbx({ pbxCallId: 'ami:6.1', caller: CALLER, rang: ['11', '14'] }, 0, 25);
    log.feedPbx({ pbxCallId: 'ami:6.2', caller: '14', callerName: 'Cisco desk', called: '030 1234567', direction: 'outbound', answeredBy: '030 1234567' }, 300, 400);
    const entry = [...log.missed.values()][0];
    assert.equal(entry?.status, 'returned');
    assert.equal(entry?.returned?.by, 'Cisco desk');
  });
});
