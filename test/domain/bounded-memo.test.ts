import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BoundedMemo } from '../../src/domain/bounded-memo.ts';

test('a memo fed a new key at every call never holds more than its bound', () => {
  const memo = new BoundedMemo<string, number>(100);
  for (let i = 0; i < 10_000; i++) {
    memo.set(`k${i}`, i);
    assert.ok(memo.size <= 100, `size ${memo.size} after ${i + 1} keys`);
  }
  assert.equal(memo.get('k9999'), 9999, 'the newest entry is kept');
  assert.equal(memo.get('k0'), undefined, 'the oldest ones are gone');
});

test('a memo keeps an entry that is still asked for while new keys stream past it', () => {
  const memo = new BoundedMemo<string, string>(10);
  memo.set('caller', 'kept');
  for (let i = 0; i < 1_000; i++) {
    memo.set(`new${i}`, 'x');
    assert.equal(memo.get('caller'), 'kept', `still there after ${i + 1} new keys`);
  }
  assert.ok(memo.size <= 10);
});
