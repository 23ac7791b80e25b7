/** Fills a data dir with a realistic history: N stored calls, of which `open` are still pending, in one team. */
import { randomUUID } from 'node:crypto';
import { openStore } from '../src/store/embedded/open-store.ts';
import type { CallAttempt, MissedCall, Phone, Team } from '../src/domain/types.ts';
import type { Change, DayDerivation } from '../src/store/types.ts';

export const BENCH_TOKEN = 'benchphonetoken0123456789';
export const BENCH_MAC = '805ec0000011';

/** What seeding needs of an engine: the store contract's commit and close. */
export interface Seedable {
  commit(changes: Change[]): Promise<void>;
  close(): Promise<void>;
}

/** What is seeded: `total` calls spread evenly over `spanMs` from `start` (epoch ms), the last `open` still pending. */
export interface SeedPlan {
  start: number;
  total: number;
  open: number;
  spanMs: number;
}

export const DAY_MS = 86_400_000;

/** `total` calls over the 30 days before now. */
export function planOf(total: number, open: number, days = 30, now = Date.now()): SeedPlan {
  return { start: now - days * DAY_MS, total, open, spanMs: days * DAY_MS };
}

/** `derivations`: those the server opens the store with, so the seed's snapshots write their values as a server's would. */
export async function seed(dir: string, total: number, open: number, derivations: readonly DayDerivation[] = []): Promise<void> {
  await seedStores([await openStore({ dir, derivations })], planOf(total, open));
}

/** The one team and the one phone every seeded call belongs to. */
export async function seedInventory(store: Seedable, plan: SeedPlan): Promise<{ mac: string }> {
  const createdAt = new Date(plan.start).toISOString();
  const team: Team = { id: 'reception', name: 'Reception', extensions: ['11', '12'], numbers: [], timeZone: 'Europe/Berlin', createdAt };
  const phone: Phone = {
    mac: BENCH_MAC, vendor: 'yealink', model: 'T46U', label: 'Desk 11', extension: '11', lines: [{ extension: '11' }], teamIds: ['reception'],
    token: BENCH_TOKEN, userName: 'Anna', lastSeen: null, firmware: null, clockSkewMs: null, createdAt,
  };
  await store.commit([{ t: 'team', v: team }, { t: 'phone', v: phone }]);
  return { mac: BENCH_MAC };
}

/** Call i of a plan: one missed attempt and its entry (bench/seed-postgres.ts writes the same records in SQL). */
export function seededCall(plan: SeedPlan, i: number): Change[] {
  const at = new Date(plan.start + Math.floor((i / plan.total) * plan.spanMs)).toISOString();
  const number = `+4930${String(2_000_000 + i)}`;
  const attempt: CallAttempt = {
    id: randomUUID(), destination: 'reception', caller: { raw: `sip:${number}@pbx`, e164: number, key: number }, callerName: `Caller ${i}`,
    called: '', firstRingAt: at, lastEventAt: at, endedAt: at, ringSeconds: 20, endpoints: { [BENCH_MAC]: { extension: '11', state: 'missed', at } },
    answeredBy: null, outcome: 'missed', rule: 'no one answered', source: 'phones', pbxCallId: null, missedCallId: null, seen: [],
  };
  const pending = i >= plan.total - plan.open;
  const missed: MissedCall = {
    id: randomUUID(), caller: attempt.caller, callerName: attempt.callerName, team: 'reception', extension: '11', firstAt: at, lastAt: at,
    attemptTimes: [at], attemptIds: [attempt.id], ringSeconds: 20, afterHours: false, status: pending ? 'pending' : 'returned',
    assignee: null, assignedAt: null, returned: pending ? null : { at, by: 'Anna', via: 'phone', outcome: 'reached' }, callbacks: [],
    rule: 'no one answered', history: [{ at, actor: 'ringback', action: 'missed', via: 'auto' }], settlesAt: at,
  };
  attempt.missedCallId = missed.id;
  return [{ t: 'attempt', v: attempt }, { t: 'missed', v: missed }];
}

/**
 * Seeds through the given stores (all on one database): call i goes to store i mod n, so n
 * engines commit concurrently; each store is closed at the end.
 */
export async function seedStores(stores: readonly Seedable[], plan: SeedPlan): Promise<void> {
  const [store] = stores;
  if (store === undefined) throw new Error('seedStores: no store');
  await seedInventory(store, plan);
  let batch: Promise<void>[] = [];
  for (let i = 0; i < plan.total; i++) {
    batch.push((stores[i % stores.length] ?? store).commit(seededCall(plan, i)));
    if (batch.length >= 1000 * stores.length) { await Promise.all(batch); batch = []; }
  }
  await Promise.all(batch);
  for (const s of stores) await s.close();
}
