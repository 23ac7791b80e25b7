/**
 * @module The contact directory: records in the store, an in-memory index by number key so every
 * caller lookup (phone screens, API, exports, notifications) is one map read.
 *
 * There is one directory per store (`contactDirectory(store)`), so the API, the phone screens and
 * the notification engine share one index. Every change to contacts must go through it.
 */
import { randomUUID } from 'node:crypto';
import { contactMatch, type Contact, type ContactMatch, type ContactNumber } from '../domain/contacts.ts';
import { normaliseNumber } from '../domain/numbers.ts';
import type { Change, Store } from '../store/types.ts';
import { contactInput, contactPatch, type ContactInput } from './contact-input.ts';
import { describeIssues } from '../domain/issues.ts';
import { failure, invalid, notFound, type Result } from '../domain/result.ts';

export interface ContactDirectory {
  /** The contact a caller's number key belongs to (`PhoneNumber.key`), if any. */
  match(callerKey: string): ContactMatch | undefined;
  /** Whether the caller is a VIP contact (notifications escalate these). */
  isVip(callerKey: string): boolean;
  contact(id: string): Contact | undefined;
  /** The whole record a number key belongs to. */
  byKey(callerKey: string): Contact | undefined;
  list(): Contact[];
  /** Commits puts and deletes and keeps the index in step. */
  apply(puts: readonly Contact[], deletes: readonly string[]): Promise<void>;
  /** Another instance on the database changed contacts (already in the store): the index follows. */
  changedElsewhere(): void;
}

const directories = new WeakMap<Store, ContactDirectory>();

export function contactDirectory(store: Store): ContactDirectory {
  let d = directories.get(store);
  if (d === undefined) {
    d = buildDirectory(store);
    directories.set(store, d);
  }
  return d;
}

export interface ContactsOptions {
  store: Store;
  country: string;
  now: () => Date;
}

/** CRUD with validation; numbers are normalised once, here, with the site's country. */
export function createContacts(opts: ContactsOptions) {
  const directory = contactDirectory(opts.store);
  const numbersOf = (raws: readonly string[]) => toNumbers(raws, opts.country);

  return {
    directory,

    async create(body: unknown): Promise<Result<Contact>> {
      const p = contactInput.safeParse(body);
      if (!p.success) return invalid(describeIssues(p.error));
      const numbers = numbersOf(p.data.numbers);
      if (!numbers.ok) return invalid(numbers.message);
      const taken = takenBy(directory, numbers.value, null);
      if (taken !== null) return taken;
      const at = opts.now().toISOString();
      const contact = buildContact(p.data, numbers.value, randomUUID(), at);
      await directory.apply([contact], []);
      return { ok: true, value: contact };
    },

    async update(id: string, body: unknown): Promise<Result<Contact>> {
      const current = directory.contact(id);
      if (current === undefined) return notFound('contact');
      const p = contactPatch.safeParse(body);
      if (!p.success) return invalid(describeIssues(p.error));
      let numbers = current.numbers;
      if (p.data.numbers !== undefined) {
        const n = numbersOf(p.data.numbers);
        if (!n.ok) return invalid(n.message);
        numbers = n.value;
      }
      const taken = takenBy(directory, numbers, id);
      if (taken !== null) return taken;
      const next: Contact = {
        ...current, numbers, updatedAt: opts.now().toISOString(),
        ...(p.data.name === undefined ? {} : { name: p.data.name }),
        ...(p.data.company === undefined ? {} : { company: p.data.company }),
        ...(p.data.crmId === undefined ? {} : { crmId: p.data.crmId }),
        ...(p.data.vip === undefined ? {} : { vip: p.data.vip }),
      };
      await directory.apply([next], []);
      return { ok: true, value: next };
    },

    async remove(id: string): Promise<Result<Contact>> {
      const current = directory.contact(id);
      if (current === undefined) return notFound('contact');
      await directory.apply([], [id]);
      return { ok: true, value: current };
    },
  };
}

export type Contacts = ReturnType<typeof createContacts>;

export function buildContact(d: ContactInput, numbers: ContactNumber[], id: string, at: string): Contact {
  return { id, name: d.name, company: d.company, numbers, crmId: d.crmId, vip: d.vip, createdAt: at, updatedAt: at };
}

/** Normalised, de-duplicated numbers; an entry that is no callable number is an error. */
export function toNumbers(raws: readonly string[], country: string): { ok: true; value: ContactNumber[] } | { ok: false; message: string } {
  const seen = new Map<string, ContactNumber>();
  for (const raw of raws) {
    const n = normaliseNumber(raw, country);
    if (n.key === '') return { ok: false, message: `numbers: "${raw}" is not a phone number` };
    if (!seen.has(n.key)) seen.set(n.key, { raw: raw.trim(), key: n.key });
  }
  return { ok: true, value: [...seen.values()] };
}

// --- Internal helpers ---

function buildDirectory(store: Store): ContactDirectory {
  const byKey = new Map<string, string>();
  const index = (c: Contact) => { for (const n of c.numbers) byKey.set(n.key, c.id); };
  const unindex = (c: Contact) => { for (const n of c.numbers) if (byKey.get(n.key) === c.id) byKey.delete(n.key); };
  for (const c of store.list('contacts')) index(c);
  // Rare (an import or an edit on another instance): rebuilt whole, from the acknowledged records.
  const reindex = (): void => {
    byKey.clear();
    for (const c of store.list('contacts')) index(c);
  };

  const byKeyRecord = (key: string): Contact | undefined => {
    if (key === '') return undefined;
    const id = byKey.get(key);
    return id === undefined ? undefined : store.get('contacts', id);
  };

  return {
    match(key) {
      const c = byKeyRecord(key);
      return c === undefined ? undefined : contactMatch(c);
    },
    isVip(key) {
      return byKeyRecord(key)?.vip === true;
    },
    contact(id) {
      return store.get('contacts', id);
    },
    byKey: byKeyRecord,
    list() {
      return store.list('contacts');
    },
    changedElsewhere: reindex,
    async apply(puts, deletes) {
      const changes: Change[] = [
        ...puts.map((v): Change => ({ t: 'put', c: 'contacts', id: v.id, v })),
        ...deletes.map((id): Change => ({ t: 'del', c: 'contacts', id })),
      ];
      if (changes.length === 0) return;
      // The store shows a change once it is durable; the index follows then too (commits resolve in
      // order), and a refused change leaves both as they were. `before` includes changes in flight.
      const latest = store.latest();
      const before = [...puts.map((p) => latest.get('contacts', p.id)), ...deletes.map((id) => latest.get('contacts', id))];
      await store.commit(changes);
      for (const c of before) if (c !== undefined) unindex(c);
      for (const c of puts) index(c);
    },
  };
}

function takenBy(directory: ContactDirectory, numbers: readonly ContactNumber[], self: string | null): Result<never> | null {
  for (const n of numbers) {
    const owner = directory.byKey(n.key);
    if (owner !== undefined && owner.id !== self) {
      return failure('number_taken', `number ${n.raw} belongs to contact ${owner.id}`);
    }
  }
  return null;
}
