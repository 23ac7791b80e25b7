/**
 * @module Caller names from an LDAP directory (the phones' own directory in most offices), behind a
 * cache. Screens and the API read names synchronously (`peek`); a miss starts a lookup in the
 * background and answers "unknown" at once, so nothing a phone waits for (an event's
 * acknowledgement, a screen) ever waits for the directory. New missed calls are looked up as they
 * are recorded (`prefetch`), so the list usually shows the name on its first refresh.
 *
 * A lookup that fails (server down, timeout, bad credentials) is not cached as "not found": it
 * pauses lookups for `RETRY_AFTER_MS` and the caller keeps the CSV contact or the phone's name.
 */
import type { ContactMatch } from '../domain/contacts.ts';
import { normaliseNumber } from '../domain/numbers.ts';
import type { PhoneNumber } from '../domain/types.ts';
import { createNameCache } from './name-cache.ts';
import type { LdapConfig } from './ldap-config.ts';
import { searchNumbers, type LdapEntry } from './ldap-search.ts';
import { searchValues } from './number-forms.ts';

/** After a failed lookup, none for this long (a down server is not asked once per call). */
export const RETRY_AFTER_MS = 30_000;
/** Lookups in flight at once; more callers wait for the next missed call or screen refresh. */
const MAX_IN_FLIGHT = 4;

export interface CallerNames {
  /** The directory's answer if cached; otherwise starts a lookup and returns undefined. */
  peek(number: Pick<PhoneNumber, 'key'>): ContactMatch | undefined;
  /** Start a lookup (if not cached); never throws, never waits. */
  prefetch(number: Pick<PhoneNumber, 'key'>): void;
  /** A lookup's outcome (cached or fresh): for tests and the status line. */
  lookup(number: Pick<PhoneNumber, 'key'>): Promise<ContactMatch | undefined>;
  status(): { url: string; cached: number; inFlight: number; lookups: number; lastError: string | null };
}

export interface LdapNamesOptions {
  config: LdapConfig;
  country: string;
  now: () => Date;
  log: (level: 'warn' | 'debug', message: string, fields?: Record<string, unknown>) => void;
}

export function createLdapNames(opts: LdapNamesOptions): CallerNames {
  const { config } = opts;
  const cache = createNameCache<ContactMatch>({
    ttlMs: config.ttlSeconds * 1000, negativeTtlMs: config.negativeTtlSeconds * 1000, maxEntries: config.maxEntries,
  });
  const search = (values: readonly string[]) => searchNumbers(config, values);
  const inFlight = new Map<string, Promise<ContactMatch | undefined>>();
  let pausedUntil = 0;
  let lastError: string | null = null;
  let lookups = 0;

  function start(key: string): Promise<ContactMatch | undefined> {
    const running = inFlight.get(key);
    if (running !== undefined) return running;
    const nowMs = opts.now().getTime();
    if (nowMs < pausedUntil || inFlight.size >= MAX_IN_FLIGHT) return Promise.resolve(undefined);
    lookups += 1;
    const p = (async () => {
      try {
        const entries = await search(searchValues(key));
        const match = pick(entries, key, opts.country);
        cache.set(key, match ?? null, opts.now().getTime());
        lastError = null;
        return match;
      } catch (err) {
        pausedUntil = opts.now().getTime() + RETRY_AFTER_MS;
        lastError = describe(err);
        // The message names the server and what failed, never the bind password.
        opts.log('warn', 'LDAP lookup failed; names fall back to contacts and the phone', { url: config.url, error: lastError });
        return undefined;
      } finally {
        inFlight.delete(key);
      }
    })();
    inFlight.set(key, p);
    return p;
  }

  const lookable = (key: string) => key !== '' && key.replace(/\D/g, '').length >= 3;

  return {
    peek({ key }) {
      if (!lookable(key)) return undefined;
      const hit = cache.get(key, opts.now().getTime());
      if (hit !== undefined) return hit ?? undefined;
      void start(key);
      return undefined;
    },
    prefetch({ key }) {
      if (lookable(key) && cache.get(key, opts.now().getTime()) === undefined) void start(key);
    },
    async lookup({ key }) {
      if (!lookable(key)) return undefined;
      const hit = cache.get(key, opts.now().getTime());
      return hit !== undefined ? hit ?? undefined : start(key);
    },
    status: () => ({ url: config.url, cached: cache.size(), inFlight: inFlight.size, lookups, lastError }),
  };
}

// --- Internal helpers ---

/** The first entry that really holds the caller's number (after our own normalisation) and has a name. */
function pick(entries: readonly LdapEntry[], key: string, country: string): ContactMatch | undefined {
  const entry = entries.find((e) => e.name.trim() !== '' && e.numbers.some((n) => normaliseNumber(n, country).key === key));
  if (entry === undefined) return undefined;
  // No number in the id: masked principals see the contact, and an id must not unmask the caller.
  return { id: 'ldap', name: clean(entry.name, 128), company: clean(entry.company, 128), vip: false, crmId: '' };
}

function clean(s: string, max: number): string {
  return s.replace(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, '').trim().slice(0, max);
}

function describe(err: unknown): string {
  const e = err as { name?: unknown; code?: unknown; message?: unknown };
  return [e.name, e.code, e.message].filter((x) => typeof x === 'string' || typeof x === 'number').join(': ').slice(0, 200);
}
