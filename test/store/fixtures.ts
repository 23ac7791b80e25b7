/** @module Test data and temp directories for the store tests (not a test file itself). */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CallAttempt, MissedCall, Phone, Team } from '../../src/domain/types.ts';
import type { DayDerivation } from '../../src/store/types.ts';
import { openStore, type EmbeddedStore, type OpenStoreOptions } from '../../src/store/embedded/open-store.ts';

/** A fresh directory under the OS temp dir; `done()` removes it. */
export async function tempDir(): Promise<{ dir: string; done: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'ringback-store-'));
  return { dir, done: () => rm(dir, { recursive: true, force: true }) };
}

/** A derivation that counts a day's records (the store keeps its value next to each day file); `runs` counts its calls. */
export function countDerivation(): DayDerivation<{ attempts: number; missed: number }> & { runs: number } {
  const derivation = {
    name: 'count', version: 1, runs: 0,
    derive(_day: string, attempts: readonly CallAttempt[], m: readonly MissedCall[]) {
      derivation.runs += 1;
      return { attempts: attempts.length, missed: m.length };
    },
  };
  return derivation;
}

/** Opens an embedded store on the seeded dir (or on `dir`, a copy of it), with the test's options over its defaults. */
export type OpenSeeded = (o?: Partial<OpenStoreOptions>, dir?: string) => Promise<EmbeddedStore>;

/**
 * A temp data dir written by `seed` (on a store opened with `defaults`, closed after), then `fn`
 * with `open`; every store `fn` opens is closed and the dir removed afterwards, whatever happens.
 */
export async function withSeededStore(defaults: Partial<OpenStoreOptions>, seed: (store: EmbeddedStore) => Promise<void>,
  fn: (ctx: { dir: string; open: OpenSeeded }) => Promise<void>): Promise<void> {
  const { dir, done } = await tempDir();
  const opened: EmbeddedStore[] = [];
  const open: OpenSeeded = async (o = {}, d = dir) => {
    const s = await openStore({ dir: d, ...defaults, ...o });
    opened.push(s);
    return s;
  };
  try {
    const store = await open();
    await seed(store);
    await store.close();
    await fn({ dir, open });
  } finally {
    for (const s of opened) await s.close().catch(() => undefined);
    await done();
  }
}

/**
 * A copy of the data dir as it is right now, while the store is still open: what a restart after a
 * crash at this instant would find (everything acknowledged has been fsync'd, so it is in the copy).
 */
export async function crashImage(dir: string): Promise<string> {
  const copy = dir + '-crash-' + Math.random().toString(36).slice(2, 8);
  await cp(dir, copy, { recursive: true });
  return copy;
}

export function team(id: string, extra: Partial<Team> = {}): Team {
  return { id, name: `Team ${id}`, extensions: ['201', '202'], numbers: [], timeZone: 'Europe/Berlin',
    createdAt: '2026-01-01T00:00:00.000Z', ...extra };
}

export function phone(mac: string, token: string, extra: Partial<Phone> = {}): Phone {
  return { mac, vendor: 'yealink', model: 'T54W', label: `Phone ${mac}`, extension: '201',
    lines: [{ extension: '201' }], teamIds: ['sales'], token, userName: 'Anna', lastSeen: null,
    firmware: null, clockSkewMs: null, createdAt: '2026-01-01T00:00:00.000Z', ...extra };
}

export function attempt(id: string, firstRingAt: string, extra: Partial<CallAttempt> = {}): CallAttempt {
  return { id, destination: 'sales', caller: { raw: '030 123456', e164: '+4930123456', key: '+4930123456' },
    callerName: 'Caller', called: '200', firstRingAt, lastEventAt: firstRingAt, endedAt: null, ringSeconds: null,
    endpoints: {}, answeredBy: null, outcome: 'missed', rule: 'test', source: 'phones', pbxCallId: null,
    missedCallId: null, seen: [], ...extra };
}

export function missed(id: string, firstAt: string, extra: Partial<MissedCall> = {}): MissedCall {
  return { id, caller: { raw: '030 123456', e164: '+4930123456', key: '+4930123456' }, callerName: 'Caller',
    team: 'sales', extension: '201', firstAt, lastAt: firstAt, attemptTimes: [firstAt], attemptIds: [],
    ringSeconds: 20, afterHours: false, status: 'pending', assignee: null, assignedAt: null, returned: null,
    callbacks: [], rule: 'test', history: [], settlesAt: firstAt, ...extra };
}

/** A caller number with a given matching key. */
export function caller(key: string): MissedCall['caller'] {
  return { raw: key, e164: key.startsWith('+') ? key : null, key };
}
