/** @module Phone numbers: from whatever a phone or PBX sends to one matching key. */
import { isSupportedCountry, parsePhoneNumberFromString, PhoneNumber as LibPhoneNumber, type CountryCode, type E164Number } from 'libphonenumber-js';
import type { PhoneNumber } from './types.ts';
import { BoundedMemo } from './bounded-memo.ts';

/** Numbers with at most this many digits and no trunk/international prefix are extensions. */
export const DEFAULT_INTERNAL_MAX_DIGITS = 6;

const ANONYMOUS = /^(anonymous|unknown|restricted|private|unavailable|withheld)$/i;

/**
 * The dialable part of what a phone reports: `"Anna" <sip:+49301234@pbx;user=phone>` → `+49301234`,
 * `20701@172.18.186.94` → `20701`. Phones hand us SIP URIs, `user@host` and bare numbers alike.
 */
export function dialablePart(reported: string): string {
  let s = reported.trim();
  const angle = /<([^>]*)>/.exec(s);
  if (angle?.[1] !== undefined) s = angle[1];
  s = s.replace(/^(sips?|tel):/i, '');
  s = s.split('@')[0] ?? '';
  s = s.split(';')[0] ?? '';
  return s.trim();
}

/**
 * A number as people of `country` read and dial it: `030 7654321` at home, `00 44 20 7946 0958`
 * abroad (libphonenumber's IDD format). Starts with a digit and holds spaces, so a spreadsheet keeps
 * it as text (no formula, no lost leading zero). Not an E.164 number → as given.
 */
export function localNumber(e164: string, country: string): string {
  if (!/^\+\d{7,15}$/.test(e164)) return e164;
  // Grouping and prefix depend on the country code and the leading digits, not on the last four:
  // one formatted number gives the layout of its whole block (an export formats every row).
  const block = `${country}|${e164.slice(0, -4)}|${e164.length}`;
  const known = layouts.get(block);
  const layout = known === undefined ? rememberLayout(block, e164, country) : known.layout;
  if (layout === null) return e164;
  let i = e164.length - layout.digits;
  return layout.template.replace(/#/g, () => e164[i++] ?? '');
}

/** `030 #######`: the formatted number with its national digits as `#`; `digits`: how many. */
const layouts = new BoundedMemo<string, { layout: { template: string; digits: number } | null }>(10_000);

function rememberLayout(block: string, e164: string, country: string): { template: string; digits: number } | null {
  let layout: { template: string; digits: number } | null = null;
  try {
    // The E.164 constructor skips parsing (half the cost of parsePhoneNumber).
    const n = new LibPhoneNumber(e164 as E164Number);
    const out = isSupportedCountry(country) ? n.format('IDD', { fromCountry: country }) || n.formatInternational() : n.formatInternational();
    const digits = n.nationalNumber.length;
    let left = digits;
    const chars = [...out];
    for (let k = chars.length - 1; k >= 0 && left > 0; k--) {
      if (/\d/.test(chars[k] ?? '')) {
        chars[k] = '#';
        left -= 1;
      }
    }
    if (left === 0 && e164.endsWith(n.nationalNumber)) layout = { template: chars.join(''), digits };
  } catch {
    layout = null;
  }
  layouts.set(block, { layout });
  return layout;
}

/**
 * Normalise a reported number. E.164 where the number parses for `country`, so "+49 30 1234",
 * "0049301234" and "030 1234" share one key; short extensions stay as they are.
 */
export function normaliseNumber(
  reported: string,
  country: string,
  internalMaxDigits = DEFAULT_INTERNAL_MAX_DIGITS,
): PhoneNumber {
  // libphonenumber takes ~30 µs a number, and every event asks for its caller at least once.
  const key = `${country}|${internalMaxDigits}|${reported}`;
  const cached = memo.get(key);
  if (cached !== undefined) return cached;
  const result = Object.freeze(normalise(ownCopy(reported), country, internalMaxDigits));
  memo.set(ownCopy(key), result);
  return result;
}

/**
 * The same characters in a string of their own. A reported number is mostly a slice of something
 * larger (a phone's whole request URL, an AMI message), and V8 keeps a slice's parent alive: the
 * number of every stored call (the hot set holds two days of them) would keep its request's URL,
 * about 130 bytes more per call. `join` builds a new flat string.
 */
function ownCopy(s: string): string {
  return s.split('').join('');
}

const memo = new BoundedMemo<string, PhoneNumber>(10_000);

function normalise(reported: string, country: string, internalMaxDigits: number): PhoneNumber {
  const raw = reported.slice(0, 256);
  const dialable = dialablePart(raw);
  if (dialable === '' || ANONYMOUS.test(dialable)) return { raw, e164: null, key: '' };
  const digits = dialable.replace(/[^\d*#+]/g, '');
  const bare = digits.replace(/^\+/, '');
  if (bare === '') return { raw, e164: null, key: '' };
  const isExtension = !digits.startsWith('+') && !bare.startsWith('0') && bare.length <= internalMaxDigits;
  if (!isExtension && /^\+?\d+$/.test(digits)) {
    const parsed = parsePhoneNumberFromString(digits, country as CountryCode);
    if (parsed?.isPossible()) return { raw, e164: parsed.number, key: parsed.number };
  }
  return { raw, e164: null, key: digits };
}

/** An internal caller: an extension-length number with no prefix. */
export function isInternalNumber(n: PhoneNumber, internalMaxDigits = DEFAULT_INTERNAL_MAX_DIGITS): boolean {
  return n.e164 === null && n.key !== '' && !n.key.startsWith('+') && !n.key.startsWith('0') &&
    n.key.replace(/\D/g, '').length <= internalMaxDigits;
}

/** Whether a country code is one libphonenumber knows (config validation). */
export function isKnownCountry(country: string): boolean {
  return isSupportedCountry(country);
}

/** A display name as phones send it: quotes stripped, control characters removed, capped. */
export function cleanName(name: string): string {
  return name.replace(/[\u0000-\u001f\u007f]/g, '').replace(/^\s*"(.*)"\s*$/, '$1').trim().slice(0, 128);
}
