/**
 * @module How a caller is shown to a principal: the contact match and CRM link added, and the
 * number masked for principals without number access (managers by default). Used by the API
 * lists, exports and reports alike, so a masked principal never sees a number anywhere.
 */
import { crmLink, type ContactMatch } from '../../domain/contacts.ts';
import { localNumber } from '../../domain/numbers.ts';
import type { CallAttempt, MissedCall, PhoneNumber } from '../../domain/types.ts';
import type { Principal } from '../../services/auth-types.ts';
import type { ContactDirectory } from '../../services/contacts.ts';
import { attemptView, missedView } from './views.ts';

export interface CallerView {
  /** E.164 when known, else the digits; masked (`+49•••••••56`) for principals without number access. */
  number: string;
  /** As people of the site's country read it (`030 7654321`, `00 44 20 …`); masked alike. */
  national: string;
  raw: string;
  /** The name the phone or PBX gave. */
  name: string;
  contact: ContactMatch | null;
  crmUrl: string | null;
}

export interface CallerPresenter {
  caller(n: PhoneNumber, name: string, p: Pick<Principal, 'numbers'>): CallerView;
  missed(m: MissedCall, now: string, p: Pick<Principal, 'numbers'>): ReturnType<typeof missedView> & { caller: CallerView };
  attempt(a: CallAttempt, p: Pick<Principal, 'numbers'>): ReturnType<typeof attemptView> & { contact: ContactMatch | null };
}

export function callerPresenter(opts: { contacts: ContactDirectory; crmUrl: string | null; country?: string }): CallerPresenter {
  const numberInLink = opts.crmUrl !== null && /\{(number|digits)\}/.test(opts.crmUrl);
  const caller = (n: PhoneNumber, name: string, p: Pick<Principal, 'numbers'>): CallerView => {
    const contact = opts.contacts.match(n.key) ?? null;
    const masked = p.numbers === 'masked';
    const number = n.e164 ?? n.key;
    const national = opts.country === undefined ? number : localNumber(number, opts.country);
    return {
      number: masked ? maskNumber(number) : number,
      national: masked ? maskNumber(national) : national,
      raw: masked ? maskNumber(number) : n.raw,
      // Phones often send the number as the display name: masked, the name must not spell it.
      name: masked ? maskName(name) : name,
      contact,
      // A link that spells the number would unmask it.
      crmUrl: masked && numberInLink ? null : crmLink(opts.crmUrl, n.key, contact),
    };
  };
  return {
    caller,
    missed(m, now, p) {
      const view = missedView(m, now);
      if (p.numbers !== 'masked') return { ...view, caller: caller(m.caller, m.callerName, p) };
      return {
        ...view, caller: caller(m.caller, m.callerName, p), rule: maskText(view.rule),
        history: view.history.map((h) => (h.note === undefined ? h : { ...h, note: maskText(h.note) })),
      };
    },
    attempt(a, p) {
      const view = { ...attemptView(a), contact: opts.contacts.match(a.caller.key) ?? null };
      if (p.numbers !== 'masked') return view;
      const number = maskNumber(a.caller.e164 ?? a.caller.key);
      return {
        ...view, caller: { raw: number, e164: a.caller.e164 === null ? null : number, key: number },
        callerName: maskName(a.callerName), rule: maskText(a.rule),
      };
    },
  };
}

/**
 * `+4930123456` → `+49•••••••56`: the country and the last two digits stay (enough to tell two
 * callers apart in a list, not enough to dial). Short numbers (extensions) are not personal data
 * of a caller and stay as they are.
 */
export function maskNumber(number: string): string {
  const digits = number.replace(/\D/g, '');
  if (digits.length <= 6) return number;
  let seen = 0;
  const keepHead = number.startsWith('+') ? 2 : 1;
  return number.replace(/\d/g, (d) => {
    seen += 1;
    return seen <= keepHead || seen > digits.length - 2 ? d : '•';
  });
}

/** Masks every phone-number-like run of 7+ digits in free text (history notes, rules). */
export function maskText(text: string): string {
  return text.replace(/\+?\d[\d\s\-/().]{5,}\d/g, (run) => (run.replace(/\D/g, '').length >= 7 ? maskNumber(run) : run));
}

/**
 * A caller's display name as a principal without number access sees it. Callers choose their name
 * (CNAM, SIP From) and phones often put the number there, so any run of 3 or more digits is masked:
 * a phone-number-sized run as `maskNumber` does (country and last two digits, as in the number),
 * a shorter one entirely (it may be part of the number). `Room 12` stays; `030 1234567` does not.
 */
export function maskName(name: string): string {
  return name.replace(/\d(?:[\s\-/().]*\d){2,}/g, (run) =>
    (run.replace(/\D/g, '').length >= 7 ? maskNumber(run) : run.replace(/\d/g, '•')));
}
