import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { buildIds, mayHold } from '../../src/store/embedded/day-index.ts';

const ids = (n: number) => Array.from({ length: n }, () => ({ id: randomUUID() }));

test('a cold day\'s id filter takes memory by the ids the day holds, not a fixed size per day', () => {
  const quiet = buildIds({ attempts: ids(1_000), missed: ids(300) });
  assert.ok(quiet.attempts.bits.byteLength <= 1_000, `a 1,000-call day's filter is ${quiet.attempts.bits.byteLength} bytes`);
  assert.ok(quiet.missed.bits.byteLength <= 1_000, `a 300-entry day's filter is ${quiet.missed.bits.byteLength} bytes`);
  const busy = buildIds({ attempts: ids(40_000), missed: [] });
  assert.ok(busy.attempts.bits.byteLength <= 40_000, `a 40,000-call day's filter is ${busy.attempts.bits.byteLength} bytes`);
  assert.ok(busy.attempts.bits.byteLength > quiet.attempts.bits.byteLength);
});

test('a day\'s ids are all found by id, and ids it does not hold are ruled out', () => {
  for (const n of [0, 1, 37, 5_000]) {
    const held = ids(n);
    const day = buildIds({ attempts: held, missed: held });
    for (const { id } of held) assert.equal(mayHold(day.attempts, id), true);
    const strangers = ids(2_000).filter(({ id }) => mayHold(day.missed, id));
    assert.ok(strangers.length <= 2, `${strangers.length} of 2,000 ids the day never held may be in it (n = ${n})`);
  }
});
