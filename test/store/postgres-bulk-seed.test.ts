import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CallAttempt, MissedCall } from '../../src/domain/types.ts';
import { buildReport, reportDayDerivation } from '../../src/services/reports.ts';
import { openPostgresStore } from '../../src/store/postgres/open.ts';
import type { Store } from '../../src/store/types.ts';
import { bulkSeedPostgres } from '../../bench/seed-postgres.ts';
import { DAY_MS, seedStores, type SeedPlan } from '../../bench/seed.ts';
import { postgresMissing, startPostgres, type Postgres } from '../support/postgres.ts';

const missing = await postgresMissing();
const ZONE = 'Europe/Berlin';
// Three days and a bit, so calls fall on four UTC days, ending in the middle of an hour.
const PLAN: SeedPlan = { start: Date.parse('2026-11-20T13:17:05.123Z'), total: 3_001, open: 41, spanMs: 3 * DAY_MS + 1_234_567 };

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** A record with its ids (random in one seeder, derived in the other) replaced by its place among the seeded calls. */
function withoutIds<T extends CallAttempt | MissedCall>(r: T): unknown {
  const rest: Record<string, unknown> = { ...r, id: '-' };
  if ('missedCallId' in r) rest['missedCallId'] = r.missedCallId === null ? null : '-';
  if ('attemptIds' in r) rest['attemptIds'] = r.attemptIds.map(() => '-');
  return rest;
}

async function everything(store: Store): Promise<unknown> {
  const range = { from: '2026-01-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' };
  const attempts = await collect(store.history.attemptsIn(range));
  const missed = await collect(store.history.missedCalls(range));
  const report = await buildReport(store, {
    teams: null, from: new Date(PLAN.start + 3_600_000).toISOString(), to: new Date(PLAN.start + PLAN.spanMs - 600_000).toISOString(),
    now: '2026-12-01T00:00:00.000Z', defaultTimeZone: ZONE,
  });
  return {
    days: await store.history.days(), attempts: attempts.map(withoutIds), missed: missed.map(withoutIds),
    open: store.openMissed('reception').map(withoutIds), hotAttempts: attempts.filter((a) => store.attempt(a.id) !== undefined).length,
    linked: missed.every((m) => m.attemptIds.every((id) => attempts.some((a) => a.id === id && a.missedCallId === m.id))),
    teams: store.teams(), phones: store.phones(), report,
  };
}

describe('the bench\'s bulk PostgreSQL seed', { skip: missing ?? false }, () => {
  let server: Postgres;
  before(async () => { server = await startPostgres(); });
  after(async () => { await server?.stop(); });

  test('stores the very calls seeding through the store contract does: same records, days, open entries, hot set and report', async () => {
    const byContract = await server.createDatabase('by_contract');
    await seedStores([await openPostgresStore({ url: byContract, follow: false })], PLAN);
    const bulk = await server.createDatabase('bulk');
    await bulkSeedPostgres(bulk, PLAN);
    const open = (url: string) => openPostgresStore({ url, follow: false, derivations: [reportDayDerivation(ZONE)] });
    const [a, b] = [await open(byContract), await open(bulk)];
    try {
      const [x, y] = [await everything(a), await everything(b)];
      assert.deepEqual(y, x);
      const seen = x as { days: string[]; attempts: unknown[]; open: unknown[]; linked: boolean };
      assert.equal(seen.days.length, 4);
      assert.equal(seen.attempts.length, PLAN.total);
      assert.equal(seen.open.length, PLAN.open);
      assert.ok(seen.linked);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
