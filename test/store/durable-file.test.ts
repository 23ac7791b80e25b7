import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stringifyInSlices } from '../../src/store/embedded/durable-file.ts';

test('a snapshot stringified in slices is byte for byte what JSON.stringify writes', async () => {
  const data = {
    attempts: Array.from({ length: 1234 }, (_, i) => ({ id: `a${i}`, caller: { raw: `"\u2028<&>${i}`, key: '+49' }, gone: undefined, list: [1, null] })),
    missed: [],
    meta: { floor: '2026-11-01', nested: { deep: [true] } },
    absent: undefined,
    none: null,
  };
  assert.equal(await stringifyInSlices(data), JSON.stringify(data));
  assert.equal(await stringifyInSlices({}), '{}');
});

test('a slice boundary leaves the event loop free for other work', async () => {
  let ran = false;
  setImmediate(() => { ran = true; });
  await stringifyInSlices({ records: Array.from({ length: 1000 }, (_, i) => ({ i })) });
  assert.equal(ran, true);
});
