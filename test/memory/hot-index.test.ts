import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { MemoryIndex } from '../../src/store/memory-index.ts';
import { attempt, caller, missed } from '../store/fixtures.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const at = (min: number) => new Date(Date.UTC(2026, 11, 1, 8, min)).toISOString();

test('the hot indexes cost little per caller with one call, the usual case', () => {
  const n = 20_000;
  const attempts = Array.from({ length: n }, (_, i) => attempt(`a${i}`, at(i % 600), { caller: caller(`+4930${1_000_000 + i}`) }));
  const calls = Array.from({ length: n }, (_, i) => missed(`m${i}`, at(i % 600), { caller: caller(`+4930${1_000_000 + i}`) }));
  const index = new MemoryIndex();
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < n; i++) {
    index.putAttempt(attempts[i] as (typeof attempts)[number]);
    index.putMissed(calls[i] as (typeof calls)[number]);
  }
  gc();
  const perCaller = (process.memoryUsage().heapUsed - before) / n;
  assert.equal(index.recentAttempts('sales', '+49301000007', at(0)).length, 1);
  assert.ok(perCaller < 550, `${perCaller.toFixed(0)} bytes of index per caller with one attempt and one open entry`);
});

test('a caller with several calls has them all in the indexes until the last leaves', () => {
  const index = new MemoryIndex();
  const anna = caller('+49301234567');
  for (const [i, id] of ['a1', 'a2', 'a3'].entries()) index.putAttempt(attempt(id, at(i), { caller: anna, pbxCallId: i === 1 ? 'pbx-2' : null }));
  assert.deepEqual(index.recentAttempts('sales', anna.key, at(0)).map((a) => a.id), ['a3', 'a2', 'a1']);
  assert.deepEqual(index.recentAttempts('sales', anna.key, at(1)).map((a) => a.id), ['a3', 'a2']);
  index.putAttempt(attempt('a2', at(5), { caller: anna, pbxCallId: 'pbx-2' }));
  assert.deepEqual(index.recentAttempts('sales', anna.key, at(0)).map((a) => a.id), ['a2', 'a3', 'a1']);
  assert.equal(index.attemptByPbxId('pbx-2')?.lastEventAt, at(5));
  index.removeAttempt('a2');
  assert.equal(index.attemptByPbxId('pbx-2'), undefined);
  index.removeAttempt('a1');
  assert.deepEqual(index.recentAttempts('sales', anna.key, at(0)).map((a) => a.id), ['a3']);
  index.putAttempt(attempt('a4', at(9), { caller: anna }));
  assert.deepEqual(index.recentAttempts('sales', anna.key, at(0)).map((a) => a.id), ['a4', 'a3']);
  index.removeAttempt('a3');
  index.removeAttempt('a4');
  assert.deepEqual(index.recentAttempts('sales', anna.key, at(0)), []);

  const anonymous = caller('');
  index.putMissed(missed('m1', at(1), { caller: anonymous }));
  index.putMissed(missed('m2', at(3), { caller: anonymous }));
  index.putMissed(missed('m3', at(2), { caller: anonymous }));
  assert.equal(index.openMissedByCaller('sales', '')?.id, 'm2');
  assert.deepEqual(index.openMissedOfCaller('sales', '').map((m) => m.id).sort(), ['m1', 'm2', 'm3']);
  index.putMissed(missed('m2', at(3), { caller: anonymous, status: 'closed' }));
  assert.equal(index.openMissedByCaller('sales', '')?.id, 'm3');
  index.removeMissed('m3');
  assert.deepEqual(index.openMissedOfCaller('sales', '').map((m) => m.id), ['m1']);
  index.removeMissed('m1');
  assert.equal(index.openMissedByCaller('sales', ''), undefined);
  assert.deepEqual(index.openMissed('sales'), []);
});
