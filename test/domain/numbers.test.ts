import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { cleanName, dialablePart, localNumber, normaliseNumber } from '../../src/domain/numbers.ts';

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

  test('a number reads as dialled in the site\'s country: national at home, 00 and the country code abroad', () => {
    assert.equal(localNumber('+49307654321', 'DE'), '030 7654321');
    assert.equal(localNumber('+4915112345678', 'DE'), '01511 2345678');
    assert.equal(localNumber('+442079460958', 'DE'), '00 44 20 7946 0958');
    assert.equal(localNumber('+442079460958', 'GB'), '020 7946 0958');
    for (const odd of ['', '12', '+4930', '+999123456789', 'sip:anna']) assert.equal(localNumber(odd, 'DE'), odd, `"${odd}" stays as it is`);
  });

  test('the block layout cache formats every number exactly as libphonenumber does', () => {
    // Numbers of one block share a layout; check a spread of blocks and lengths against the library itself.
    const numbers = ['+4930', '+4940', '+4989', '+49151', '+49221', '+4369', '+4144', '+1212', '+3312', '+4420'].flatMap((p) =>
      Array.from({ length: 40 }, (_, i) => `${p}${String(1_000_000 + i * 7919).slice(0, 5 + (i % 4))}`));
    for (const country of ['DE', 'AT', 'US'] as CountryCode[]) {
      for (const n of numbers) {
        const parsed = parsePhoneNumberFromString(n);
        const expected = parsed === undefined ? n : parsed.format('IDD', { fromCountry: country }) || parsed.formatInternational();
        assert.equal(localNumber(n, country), expected, `${n} from ${country}`);
      }
    }
  });
});
