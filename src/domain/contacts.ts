/**
 * @module The contact directory's records and the rules for matching a caller to one: by the
 * normalised number key only, so `+49 30 1234`, `0049301234` and `030 1234` find the same contact.
 */
import type { Instant } from './types.ts';

/** One number of a contact: as entered (`raw`) and as matched (`key`, see `normaliseNumber`). */
export interface ContactNumber {
  raw: string;
  key: string;
}

export interface Contact {
  id: string;
  name: string;
  company: string;
  /** Each key belongs to at most one contact, so a match is never ambiguous. */
  numbers: ContactNumber[];
  /** The contact's id in the CRM, filled into `{crmId}` of the CRM link template. */
  crmId: string;
  vip: boolean;
  createdAt: Instant;
  updatedAt: Instant;
}

/** What screens, the API, exports and notifications show of a matched caller. */
export interface ContactMatch {
  id: string;
  name: string;
  company: string;
  vip: boolean;
  crmId: string;
}

export function contactMatch(c: Contact): ContactMatch {
  return { id: c.id, name: c.name, company: c.company, vip: c.vip, crmId: c.crmId };
}

/** The placeholders a CRM link template may use. */
export const CRM_PLACEHOLDERS = ['{crmId}', '{number}', '{digits}'] as const;

/**
 * A CRM link from a template such as `https://crm.example.com/contacts/{crmId}` or
 * `https://crm.example.com/search?phone={number}`. Values are URL-encoded. Null when the template
 * needs a value the caller does not have (no CRM id, anonymous number), rather than a broken link.
 */
export function crmLink(template: string | null, callerKey: string, contact: Pick<ContactMatch, 'crmId'> | null): string | null {
  if (template === null || template === '') return null;
  const values: Record<string, string> = {
    '{crmId}': contact?.crmId ?? '',
    '{number}': callerKey,
    '{digits}': callerKey.replace(/\D/g, ''),
  };
  let missing = false;
  const url = template.replace(/\{crmId\}|\{number\}|\{digits\}/g, (p) => {
    const v = values[p] ?? '';
    if (v === '') missing = true;
    return encodeURIComponent(v);
  });
  return missing ? null : url;
}

/** Whether a template is an http(s) URL whose only `{…}` parts are known placeholders. */
export function isCrmTemplate(template: string): boolean {
  if (!/^https?:\/\/[^\s{}]+/i.test(template)) return false;
  const rest = template.replace(/\{crmId\}|\{number\}|\{digits\}/g, '');
  if (/[{}\s]/.test(rest)) return false;
  try {
    new URL(rest);
    return true;
  } catch {
    return false;
  }
}

/** `RINGBACK_CRM_URL`: the template, or an Error saying what is wrong with it. */
export function parseCrmTemplate(value: string): string {
  if (!isCrmTemplate(value)) throw new Error(`expected an http(s) URL using {crmId}, {number} or {digits}, got "${value}"`);
  return value;
}
