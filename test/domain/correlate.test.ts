import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Log, phone, team } from './harness.ts';

const CALLER = '+49301234567';
const reception = team('reception', ['11', '12', '13']);
const a = phone('805ec0000011', '11', ['reception'], 'Anna');
const b = phone('805ec0000012', '12', ['reception'], 'Ben');
const c = phone('805ec0000013', '13', ['reception'], 'Carla');

function ringAll(log: Log, second: number, remote = CALLER, callRef = ''): void {
  for (const p of [a, b, c]) log.feed(p, 'ringing', second, remote, { callRef });
}

describe('rule 1: one call that rang a whole ring group is one attempt', () => {
  test('three phones reporting incoming and missed for one caller give one missed call', () => {
    const log = new Log([reception]);
    ringAll(log, 0);
    for (const p of [a, b, c]) log.feed(p, 'missed', 20, CALLER);
    assert.equal(log.attempts.size, 1);
    const open = log.openMissed();
    assert.equal(open.length, 1);
    assert.equal(open[0]?.attemptIds.length, 1);
    assert.equal(open[0]?.ringSeconds, 20);
    assert.match(open[0]?.rule ?? '', /no one answered: rang 11, 12, 13 for 20 s/);
  });

  test('the same caller calling two different teams gives two entries', () => {
    const sales = team('sales', ['21']);
    const s = phone('805ec0000021', '21', ['sales']);
    const log = new Log([reception, sales]);
    log.feed(a, 'ringing', 0, CALLER);
    log.feed(s, 'ringing', 0, CALLER);
    log.feed(a, 'missed', 20, CALLER);
    log.feed(s, 'missed', 20, CALLER);
    assert.deepEqual(log.openMissed().map((m) => m.team).sort(), ['reception', 'sales']);
  });

  test('a call to the team number is filed under the team that owns the number', () => {
    const queue = team('queue', [], { numbers: ['+49309999'] });
    const both = phone('805ec0000099', '11', ['reception', 'queue']);
    const log = new Log([reception, queue]);
    log.feed(both, 'ringing', 0, CALLER, { called: '+49309999' });
    log.feed(both, 'missed', 20, CALLER, { called: '+49309999' });
    assert.equal(log.openMissed()[0]?.team, 'queue');
  });
});

describe('rule 2: a call answered by a colleague is not missed', () => {
  test('a ring group call answered by one member is not missed', () => {
    const log = new Log([reception]);
    ringAll(log, 0);
    log.feed(b, 'answered', 8, CALLER);
    log.feed(a, 'missed', 8, CALLER);
    log.feed(c, 'missed', 8, CALLER);
    assert.equal(log.openMissed().length, 0);
    assert.equal([...log.attempts.values()][0]?.outcome, 'answered');
  });

  test('misses reported before the answer are retracted when the answer arrives', () => {
    const log = new Log([reception]);
    ringAll(log, 0);
    log.feed(a, 'missed', 8, CALLER);
    log.feed(c, 'missed', 8, CALLER);
    assert.equal(log.openMissed().length, 1, 'shown at once');
    log.feed(b, 'answered', 9, CALLER);
    assert.equal(log.openMissed().length, 0);
    assert.equal(log.missed.size, 0, 'an entry nobody touched disappears entirely');
  });

  test('an established event on a phone that was ringing counts as its answer', () => {
    const log = new Log([reception]);
    ringAll(log, 0);
    log.feed(a, 'missed', 6, CALLER);
    log.feed(b, 'connected', 6, CALLER);
    assert.equal(log.openMissed().length, 0);
  });

  test('a CANCEL that said "completed elsewhere" means someone else answered', () => {
    const log = new Log([reception]);
    log.feed(a, 'ringing', 0, CALLER);
    log.feed(a, 'missed', 10, CALLER, { completedElsewhere: true });
    assert.equal(log.openMissed().length, 0);
    assert.equal([...log.attempts.values()][0]?.outcome, 'answered-elsewhere');
  });

  test('a later call from the same caller that is answered closes the open entry (via auto)', () => {
    const log = new Log([reception]);
    log.feed(a, 'ringing', 0, CALLER);
    log.feed(a, 'missed', 20, CALLER);
    log.feed(a, 'ringing', 600, CALLER);
    log.feed(a, 'answered', 605, CALLER);
    const entry = [...log.missed.values()][0];
    assert.equal(entry?.status, 'closed');
    assert.equal(entry?.history.at(-1)?.via, 'auto');
    assert.match(entry?.history.at(-1)?.note ?? '', /caller reached the team/);
  });
});

describe('rule 3: a vendor without a missed event', () => {
  test('ringing then ended with no answer is a miss', () => {
    const log = new Log([reception]);
    log.feed(a, 'ringing', 0, CALLER, { callRef: '2' });
    log.feed(a, 'ended', 15, CALLER, { callRef: '2' });
    assert.equal(log.openMissed().length, 1);
  });

  test('ringing, answered, then ended is not a miss', () => {
    const log = new Log([reception]);
    log.feed(a, 'ringing', 0, CALLER, { callRef: '2' });
    log.feed(a, 'answered', 5, CALLER, { callRef: '2' });
    log.feed(a, 'ended', 60, CALLER, { callRef: '2' });
    assert.equal(log.openMissed().length, 0);
    assert.equal(log.attempts.size, 1);
  });

  test('an ended outgoing call never creates an attempt', () => {
    const log = new Log([reception]);
    log.feed(a, 'outgoing', 0, CALLER);
    log.feed(a, 'ended', 30, CALLER);
    assert.equal(log.attempts.size, 0);
  });
});

describe('rule 4: a callback from any team phone that connects returns the call', () => {
  test('an outgoing call in another number format that connects marks the entry returned by that phone', () => {
    const log = new Log([reception]);
    ringAll(log, 0, '+49 30 1234567');
    for (const p of [a, b, c]) log.feed(p, 'missed', 20, '+49 30 1234567');
    log.feed(c, 'outgoing', 300, '030 1234567');
    assert.equal([...log.missed.values()][0]?.status, 'pending', 'dialling is not reaching');
    log.feed(c, 'connected', 310, '030 1234567');
    const entry = [...log.missed.values()][0];
    assert.equal(entry?.status, 'returned');
    assert.deepEqual({ by: entry?.returned?.by, via: entry?.returned?.via, outcome: entry?.returned?.outcome }, { by: 'Carla', via: 'auto', outcome: 'reached' });
  });

  test('"+49 30 1234", "0049301234" and "030 1234" are one caller', () => {
    const log = new Log([reception]);
    log.feed(a, 'missed', 0, '+49 30 1234');
    log.feed(a, 'missed', 200, '0049301234');
    assert.equal(log.openMissed().length, 1);
    log.feed(b, 'outgoing', 400, '030 1234');
    log.feed(b, 'connected', 410, '030 1234');
    assert.equal(log.openMissed().length, 0);
  });

  test('a phone outside the team calling the number changes nothing', () => {
    const other = phone('805ec0000077', '77', []);
    const log = new Log([reception, team('else', ['77'])]);
    log.feed(a, 'missed', 0, CALLER);
    log.feed(other, 'outgoing', 100, CALLER);
    assert.equal(log.openMissed().length, 1);
  });
});

describe('rule 5: duplicate deliveries change nothing', () => {
  test('the same event delivered twice leaves the log as it was', () => {
    const log = new Log([reception]);
    log.feed(a, 'ringing', 0, CALLER, { callRef: '7' });
    log.feed(a, 'missed', 20, CALLER, { callRef: '7' });
    const before = JSON.stringify([...log.missed.values()]);
    log.feed(a, 'missed', 21, CALLER, { callRef: '7' });
    log.feed(a, 'ringing', 22, CALLER, { callRef: '7' });
    assert.equal(JSON.stringify([...log.missed.values()]), before);
    assert.equal(log.attempts.size, 1);
  });

  test('a repeated missed event without a call id is still one miss', () => {
    const log = new Log([reception]);
    log.feed(a, 'missed', 20, CALLER);
    log.feed(a, 'missed', 21, CALLER);
    assert.equal(log.attempts.size, 1);
    assert.equal(log.openMissed()[0]?.attemptIds.length, 1);
  });
});

describe('rule 6 and grouping: repeat calls', () => {
  test('the same caller three times in ten minutes is one entry with three attempts', () => {
    const log = new Log([reception]);
    for (const s of [0, 240, 540]) {
      ringAll(log, s);
      for (const p of [a, b, c]) log.feed(p, 'missed', s + 20, CALLER);
    }
    const open = log.openMissed();
    assert.equal(open.length, 1);
    assert.equal(open[0]?.attemptIds.length, 3);
    assert.deepEqual(open[0]?.attemptTimes, ['2026-11-26T09:00:00.000Z', '2026-11-26T09:04:00.000Z', '2026-11-26T09:09:00.000Z']);
  });

  test('a caller who rings again after the entry was returned gets a new entry', () => {
    const log = new Log([reception]);
    log.feed(a, 'missed', 0, CALLER);
    log.feed(a, 'outgoing', 100, CALLER);
    log.feed(a, 'connected', 110, CALLER);
    log.feed(a, 'ringing', 1000, CALLER);
    log.feed(a, 'missed', 1020, CALLER);
    assert.equal(log.missed.size, 2);
    assert.equal(log.openMissed().length, 1);
  });

  test('times are the server receive times, whatever the phone clock said', () => {
    const log = new Log([reception]);
    log.feed(a, 'ringing', 0, CALLER, { phoneTime: '2019-01-01T00:00:00Z' });
    log.feed(a, 'missed', 20, CALLER, { phoneTime: '2019-01-01T00:00:20Z' });
    assert.equal(log.openMissed()[0]?.firstAt, '2026-11-26T09:00:00.000Z');
  });
});

describe('missed-call policy', () => {
  test('a call that rang shorter than the minimum is abandoned-short, not missed, and says why', () => {
    const log = new Log([reception]);
    log.feed(a, 'ringing', 0, CALLER);
    log.feed(a, 'missed', 3, CALLER);
    const attempt = [...log.attempts.values()][0];
    assert.equal(attempt?.outcome, 'abandoned-short');
    assert.match(attempt?.rule ?? '', /3 s, under the 5 s minimum/);
    assert.equal(log.openMissed().length, 0);
  });

  test('internal callers are not counted by default; the team can opt in', () => {
    const log = new Log([reception]);
    log.feed(a, 'missed', 0, '12');
    assert.equal(log.openMissed().length, 0);
    const optIn = new Log([team('reception', ['11', '12', '13'], { policy: { countInternal: true } })]);
    optIn.feed(a, 'missed', 0, '12');
    assert.equal(optIn.openMissed().length, 1);
  });

  test('anonymous callers are counted, each call its own entry, unless the policy says otherwise', () => {
    const log = new Log([reception]);
    log.feed(a, 'missed', 0, 'anonymous');
    log.feed(a, 'missed', 300, 'sip:anonymous@anonymous.invalid');
    assert.equal(log.openMissed().length, 2);
    const strict = new Log([reception]);
    strict.policy = { ...strict.policy, countAnonymous: false };
    strict.feed(a, 'missed', 0, 'anonymous');
    assert.equal(strict.openMissed().length, 0);
  });
});
