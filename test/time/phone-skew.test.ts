import assert from 'node:assert/strict';
import { test } from 'node:test';
import { phoneSkewMs } from '../../src/time/phone-skew.ts';

const RECEIVED = '2015-07-14T20:37:30.000Z';

test('a phone 3 s ahead has a skew of +3000 ms', () => {
  assert.equal(phoneSkewMs('2015-07-14T20:37:33Z', RECEIVED), 3000);
});

test('a phone behind has a negative skew, with fractions of a second kept', () => {
  assert.equal(phoneSkewMs('2015-07-14T20:37:29.750Z', RECEIVED), -250);
});

test('Poly time stamps with an offset with or without a colon are understood', () => {
  assert.equal(phoneSkewMs('2015-07-14T14:37:33-0600', RECEIVED), 3000);
  assert.equal(phoneSkewMs('2015-07-14T14:37:33-06:00', RECEIVED), 3000);
  assert.equal(phoneSkewMs('2015-07-15T02:07:30+05:30', RECEIVED), 0);
});

test('a time without a zone is refused rather than guessed', () => {
  assert.equal(phoneSkewMs('2015-07-14T20:37:33', RECEIVED), null);
});

test('unparsable or impossible times give null', () => {
  for (const bad of ['', 'yesterday', '2015-02-30T10:00:00Z', '2015-07-14T24:10:00Z', '2015-07-14T20:37:33+25:00', '1436906253']) {
    assert.equal(phoneSkewMs(bad, RECEIVED), null, bad);
  }
  assert.equal(phoneSkewMs('2015-07-14T20:37:33Z', 'not a time'), null);
});
