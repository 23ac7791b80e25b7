import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { normaliseNumber } from '../../src/domain/numbers.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

test('a caller\'s number kept with a call does not keep the whole request it was reported in', () => {
  const kept: unknown[] = [];
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < 1_000; i++) {
    // A request of 20 kB whose number is a slice of it (as a query string parser hands it over).
    const request = `/phone/yealink/event?remote=sip:+4930${String(1_000_000 + i)}@pbx&${'x'.repeat(20_000)}${i}`;
    const reported = request.slice(request.indexOf('=') + 1, request.indexOf('&'));
    kept.push(normaliseNumber(reported, 'DE'));
  }
  gc();
  const grownMb = (process.memoryUsage().heapUsed - before) / 1048576;
  assert.equal(kept.length, 1_000);
  assert.ok(grownMb < 5, `1,000 numbers from 20 kB requests hold ${grownMb.toFixed(1)} MB (20 MB if they kept their requests)`);
  assert.deepEqual(normaliseNumber('sip:+49301234567@pbx', 'DE'), { raw: 'sip:+49301234567@pbx', e164: '+49301234567', key: '+49301234567' });
});
