/**
 * @module Data-protection requests for one caller number: subject access (everything stored about
 * it) and erasure. Erasure anonymises rather than deletes call records: the caller's number and name
 * go, the call stays as "anonymous" so reports still add up; the number is also scrubbed from free
 * text (history notes, rules) of every other record, the matching contact is deleted, open entries
 * are closed, and the store is flushed so the journal no longer holds the old values.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { Contact } from '../domain/contacts.ts';
import { mentions, replaceMentions } from '../domain/number-mentions.ts';
import { normaliseNumber } from '../domain/numbers.ts';
import type { CallAttempt, MissedCall, PhoneNumber } from '../domain/types.ts';
import { retryOnConflict } from '../cluster/retry.ts';
import type { Change, Store } from '../store/types.ts';
import type { ContactDirectory } from './contacts.ts';
import { invalid, type Result } from '../domain/result.ts';

export interface PrivacyOptions {
  store: Store;
  contacts: ContactDirectory;
  country: string;
  now: () => Date;
}

export interface SubjectRecords {
  key: string;
  contact: Contact | null;
  missedCalls: MissedCall[];
  calls: CallAttempt[];
  /** Other records whose free text (notes, rules) mentions the number. */
  mentionedIn: { type: 'missed-call' | 'call'; id: string }[];
}

export interface ErasureCounts {
  calls: number;
  missedCalls: number;
  contacts: number;
  /** Other records whose notes or rule text mentioned the number. */
  mentions: number;
}

export type SubjectResult<T> = Result<T>;

const ANONYMOUS: PhoneNumber = { raw: '', e164: null, key: '' };
const BATCH = 1000;
export const ERASED = '[erased]';

export function createPrivacy(opts: PrivacyOptions) {
  const { store } = opts;

  function subjectOf(number: string): SubjectResult<{ key: string; mentions: readonly string[] }> {
    const n = normaliseNumber(number, opts.country);
    if (n.key === '') return invalid('number: not a phone number');
    return { ok: true, value: { key: n.key, mentions: mentionForms(n, opts.country) } };
  }

  /** The changes that erase the subject from every kept day, and what they touch. */
  async function erasure(key: string, mentions: readonly string[], actor: string, at: string): Promise<{ changes: Change[]; counts: ErasureCounts }> {
    const counts: ErasureCounts = { calls: 0, missedCalls: 0, contacts: 0, mentions: 0 };
    const changes: Change[] = [];
    for await (const m of store.history.missedCalls({})) {
      if (m.caller.key === key) {
        counts.missedCalls += 1;
        changes.push({ t: 'missed', v: eraseMissed(m, mentions, actor, at) });
      } else if (mentionsIn(m, mentions)) {
        counts.mentions += 1;
        changes.push({ t: 'missed', v: scrubMissed(m, mentions) });
      }
    }
    for await (const a of store.history.attemptsIn({})) {
      if (a.caller.key === key) {
        counts.calls += 1;
        changes.push({ t: 'attempt', v: { ...a, caller: ANONYMOUS, callerName: '', rule: scrub(a.rule, mentions), seen: [] } });
      } else if (test(mentions, a.rule)) {
        counts.mentions += 1;
        changes.push({ t: 'attempt', v: { ...a, rule: scrub(a.rule, mentions) } });
      }
    }
    return { changes, counts };
  }

  return {
    /** Resolves the number to its matching key (for audit hashing) or explains why it is none. */
    keyOf(number: string): SubjectResult<string> {
      const s = subjectOf(number);
      return s.ok ? { ok: true, value: s.value.key } : s;
    },

    /** Every day kept is searched (history), not only the hot ones. */
    async find(number: string): Promise<SubjectResult<SubjectRecords>> {
      const s = subjectOf(number);
      if (!s.ok) return s;
      const { key, mentions } = s.value;
      const out: SubjectRecords = { key, contact: opts.contacts.byKey(key) ?? null, missedCalls: [], calls: [], mentionedIn: [] };
      for await (const m of store.history.missedCalls({})) {
        if (m.caller.key === key) out.missedCalls.push(m);
        else if (mentionsIn(m, mentions)) out.mentionedIn.push({ type: 'missed-call', id: m.id });
      }
      for await (const a of store.history.attemptsIn({})) {
        if (a.caller.key === key) out.calls.push(a);
        else if (test(mentions, a.rule)) out.mentionedIn.push({ type: 'call', id: a.id });
      }
      return { ok: true, value: out };
    },

    async erase(number: string, actor: string): Promise<SubjectResult<ErasureCounts>> {
      const s = subjectOf(number);
      if (!s.ok) return s;
      const { key, mentions } = s.value;
      const at = opts.now().toISOString();
      // Several instances: a batch refused because another instance changed one of its calls first
      // (a claim there) is read and erased again on that; the counts are those of the first reading.
      let first: ErasureCounts | null = null;
      await retryOnConflict(async () => {
        const found = await erasure(key, mentions, actor, at);
        first ??= found.counts;
        for (let i = 0; i < found.changes.length; i += BATCH) await store.commit(found.changes.slice(i, i + BATCH));
      });
      const counts: ErasureCounts = first ?? { calls: 0, missedCalls: 0, contacts: 0, mentions: 0 };
      const contact = opts.contacts.byKey(key);
      if (contact !== undefined) {
        counts.contacts += 1;
        await opts.contacts.apply([], [contact.id]);
      }
      // Snapshots rewritten and the journal cut: the old values leave the disk, not just memory.
      await store.flush();
      return { ok: true, value: counts };
    },
  };
}

export type Privacy = ReturnType<typeof createPrivacy>;

// --- Internal helpers ---

/**
 * The ways the number may be written in free text: E.164 (without its `+`), national; the scanner
 * also finds them with a `+`/`00` prefix and any spaces, dashes, dots, slashes or brackets between.
 * Not a RegExp: the number is input (`1+1`, `+SUM(1+1)`), and input compiled into a pattern is one.
 */
function mentionForms(n: PhoneNumber, country: string): string[] {
  const forms = new Set<string>([n.key.replace(/^\+/, '')]);
  if (n.e164 !== null) {
    const parsed = parsePhoneNumberFromString(n.e164);
    if (parsed !== undefined) forms.add(parsed.formatNational().replace(/\D/g, ''));
  } else {
    const parsed = parsePhoneNumberFromString(n.key, country as Parameters<typeof parsePhoneNumberFromString>[1]);
    if (parsed !== undefined) forms.add(parsed.number.replace(/\D/g, ''));
  }
  return [...forms];
}

function test(forms: readonly string[], text: string): boolean {
  return mentions(text, forms);
}

function scrub(text: string, forms: readonly string[]): string {
  return replaceMentions(text, forms, ERASED);
}

function mentionsIn(m: MissedCall, re: readonly string[]): boolean {
  return test(re, m.rule) || m.history.some((h) => h.note !== undefined && test(re, h.note));
}

function scrubMissed(m: MissedCall, re: readonly string[]): MissedCall {
  return {
    ...m, rule: scrub(m.rule, re),
    history: m.history.map((h) => (h.note === undefined ? h : { ...h, note: scrub(h.note, re) })),
  };
}

function eraseMissed(m: MissedCall, re: readonly string[], actor: string, at: string): MissedCall {
  const base = scrubMissed({ ...m, caller: ANONYMOUS, callerName: '' }, re);
  if (m.status !== 'pending' && m.status !== 'assigned') return base;
  // An open entry without a number cannot be called back: it leaves the team's list.
  return {
    ...base, status: 'closed',
    history: [...base.history, { at, actor, action: 'close', via: 'api', note: 'caller data erased (data protection request)' }],
  };
}
