import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cleanName, dialablePart, normaliseNumber } from '../../src/domain/numbers.ts';

describe('phone numbers', () => {
  test('international, 00-prefixed and national forms of one number share a key', () => {
    const keys = ['+49 30 1234', '0049301234', '030 1234', 'sip:+49301234@pbx.example;user=phone'].map((n) => normaliseNumber(n, 'DE').key);
    assert.deepEqual(new Set(keys), new Set(['+49301234']));
  });

  test('the raw form is kept next to the key', () => {
    assert.deepEqual(normaliseNumber('030 1234', 'DE'), { raw: '030 1234', e164: '+49301234', key: '+49301234' });
  });

  test('short extensions stay extensions', () => {
    assert.deepEqual(normaliseNumber('sip:1234@10.0.0.1', 'DE'), { raw: 'sip:1234@10.0.0.1', e164: null, key: '1234' });
  });

  test('anonymous callers have an empty key', () => {
    for (const n of ['anonymous', 'sip:anonymous@anonymous.invalid', '', '"Withheld" <sip:unknown@x>']) {
      assert.equal(normaliseNumber(n, 'DE').key, '', n);
    }
  });

  test('SIP URIs, user@host and display names give the dialable part', () => {
    assert.equal(dialablePart('"Anna" <sip:0612@pbx;user=phone>'), '0612');
    assert.equal(dialablePart('20701@172.18.186.94'), '20701');
    assert.equal(dialablePart('tel:+4930123'), '+4930123');
  });

  test('display names lose quotes and control characters', () => {
    assert.equal(cleanName('"Anna\u0001 Smith"'), 'Anna Smith');
  });
});
