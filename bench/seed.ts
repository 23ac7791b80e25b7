/** Fills a data dir with a realistic history: N stored calls, of which `open` are still pending, in one team. */
import { randomUUID } from 'node:crypto';
import { openStore } from '../src/store/embedded/open-store.ts';
import type { CallAttempt, MissedCall, Phone, Team } from '../src/domain/types.ts';
import type { Change } from '../src/store/types.ts';

export const BENCH_TOKEN = 'benchphonetoken0123456789';
export const BENCH_MAC = '805ec0000011';

/** What seeding needs of an engine: the store contract's commit and close. */
export interface Seedable {
  commit(changes: Change[]): Promise<void>;
  close(): Promise<void>;
}

export async function seed(dir: string, total: number, open: number): Promise<void> {
  await seedStores([await openStore({ dir })], total, open);
}

/**
 * Seeds through the given stores (all on one database): call i goes to store i mod n, so n
 * engines commit concurrently; each store is closed at the end. `start` is 30 days before now.
 */
export async function seedStores(stores: readonly Seedable[], total: number, open: number): Promise<void> {
  const [store] = stores;
  if (store === undefined) throw new Error('seedStores: no store');
  const start = Date.now() - 30 * 86_400_000;
  const team: Team = { id: 'reception', name: 'Reception', extensions: ['11', '12'], numbers: [], timeZone: 'Europe/Berlin', createdAt: new Date(start).toISOString() };
  const phone: Phone = {
    mac: BENCH_MAC, vendor: 'yealink', model: 'T46U', label: 'Desk 11', extension: '11', lines: [{ extension: '11' }], teamIds: ['reception'],
    token: BENCH_TOKEN, userName: 'Anna', lastSeen: null, firmware: null, clockSkewMs: null, createdAt: new Date(start).toISOString(),
  };
  await store.commit([{ t: 'team', v: team }, { t: 'phone', v: phone }]);
  let batch: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const at = new Date(start + Math.floor((i / total) * 30 * 86_400_000)).toISOString();
    const number = `+4930${String(2_000_000 + i)}`;
    const attempt: CallAttempt = {
      id: randomUUID(), destination: 'reception', caller: { raw: `sip:${number}@pbx`, e164: number, key: number }, callerName: `Caller ${i}`,
      called: '', firstRingAt: at, lastEventAt: at, endedAt: at, ringSeconds: 20, endpoints: { [BENCH_MAC]: { extension: '11', state: 'missed', at } },
      answeredBy: null, outcome: 'missed', rule: 'no one answered', source: 'phones', pbxCallId: null, missedCallId: null, seen: [],
    };
    const pending = i >= total - open;
    const missed: MissedCall = {
      id: randomUUID(), caller: attempt.caller, callerName: attempt.callerName, team: 'reception', extension: '11', firstAt: at, lastAt: at,
      attemptTimes: [at], attemptIds: [attempt.id], ringSeconds: 20, afterHours: false, status: pending ? 'pending' : 'returned',
      assignee: null, assignedAt: null, returned: pending ? null : { at, by: 'Anna', via: 'phone', outcome: 'reached' }, callbacks: [],
      rule: 'no one answered', history: [{ at, actor: 'ringback', action: 'missed', via: 'auto' }], settlesAt: at,
    };
    attempt.missedCallId = missed.id;
    const changes: Change[] = [{ t: 'attempt', v: attempt }, { t: 'missed', v: missed }];
    batch.push((stores[i % stores.length] ?? store).commit(changes));
    if (batch.length >= 1000 * stores.length) { await Promise.all(batch); batch = []; }
  }
  await Promise.all(batch);
  for (const s of stores) await s.close();
}
