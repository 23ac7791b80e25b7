/**
 * @module The forms a directory may hold a caller's number in. LDAP's telephoneNumberMatch ignores
 * spaces and hyphens, so `+49 30 123456` is found as `+4930123456`; offices also write national
 * (`030 123456`) and international-with-00 forms, which that rule does not fold together.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js';

/** E.164, national and 00-international digits for a number key; the key itself for extensions. */
export function searchValues(key: string): string[] {
  const out = new Set<string>([key]);
  if (key.startsWith('+')) {
    const parsed = parsePhoneNumberFromString(key);
    if (parsed !== undefined) {
      const national = parsed.formatNational().replace(/[^\d]/g, '');
      if (national !== '') out.add(national);
      out.add(`00${key.slice(1)}`);
    }
  }
  return [...out].slice(0, 4);
}
