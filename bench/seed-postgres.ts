/**
 * The bench's bulk seeder for the PostgreSQL engine: the calls `seedStores` (seed.ts) commits one
 * by one through the store contract (~2,700 calls/s, an hour for 10M), written instead by
 * PostgreSQL itself with INSERT … SELECT FROM generate_series: the same columns and the same JSONB
 * records, into the engine's own tables, so its triggers keep call_days as a commit would. The
 * team and the phone still go through the contract (it also applies the migrations). Secondary
 * indexes are dropped during the load and rebuilt from their own definitions afterwards (a
 * sorted build beats ten million random inserts). test/store/postgres-bulk-seed.test.ts checks
 * the result against a contract-seeded store read through the store's own reads.
 */
import pg from 'pg';
import { openPostgresStore } from '../src/store/postgres/open.ts';
import { seedInventory, type SeedPlan } from './seed.ts';

/** Rows per INSERT statement: each is one transaction, so a failure loses little and WAL stays moving. */
const CHUNK = 100_000;

/** The instant of call i, as seed.ts computes it (`new Date(start + floor(i / total * span)).toISOString()`). */
const AT = `to_char((timestamptz 'epoch' + ($1::bigint + floor((i::float8 / $2::float8) * $3::float8)::bigint) * interval '1 millisecond')
  AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** Per call: its instant, number, the two records' ids (stable per seed, UUID-shaped) and whether it is still open. */
const CALLS = `SELECT i, ${AT} AS at, '+4930' || (2000000 + i)::text AS num,
    md5('attempt ' || $1::text || ' ' || i::text)::uuid::text AS aid, md5('missed ' || $1::text || ' ' || i::text)::uuid::text AS mid,
    i >= $2::bigint - $4::bigint AS pending
  FROM generate_series($5::bigint, $6::bigint) AS i`;

const caller = `jsonb_build_object('raw', 'sip:' || c.num || '@pbx', 'e164', c.num, 'key', c.num)`;

const ATTEMPTS = `INSERT INTO attempts (id, day, first_ring_at, last_event_at, destination, caller_key, pbx_call_id, rec)
  SELECT c.aid, left(c.at, 10), c.at, c.at, 'reception', c.num, NULL, jsonb_build_object(
    'id', c.aid, 'destination', 'reception', 'caller', ${caller}, 'callerName', 'Caller ' || c.i::text, 'called', '',
    'firstRingAt', c.at, 'lastEventAt', c.at, 'endedAt', c.at, 'ringSeconds', 20,
    'endpoints', jsonb_build_object($7::text, jsonb_build_object('extension', '11', 'state', 'missed', 'at', c.at)),
    'answeredBy', NULL, 'outcome', 'missed', 'rule', 'no one answered', 'source', 'phones', 'pbxCallId', NULL,
    'missedCallId', c.mid, 'seen', '[]'::jsonb)
  FROM (${CALLS}) c`;

const MISSED = `INSERT INTO missed_calls (id, day, first_at, last_at, team, caller_key, caller_raw, status, rec)
  SELECT c.mid, left(c.at, 10), c.at, c.at, 'reception', c.num, 'sip:' || c.num || '@pbx', CASE WHEN c.pending THEN 'pending' ELSE 'returned' END,
    jsonb_build_object(
    'id', c.mid, 'caller', ${caller}, 'callerName', 'Caller ' || c.i::text, 'team', 'reception', 'extension', '11',
    'firstAt', c.at, 'lastAt', c.at, 'attemptTimes', jsonb_build_array(c.at), 'attemptIds', jsonb_build_array(c.aid), 'ringSeconds', 20,
    'afterHours', false, 'status', CASE WHEN c.pending THEN 'pending' ELSE 'returned' END, 'assignee', NULL, 'assignedAt', NULL,
    'returned', CASE WHEN c.pending THEN NULL ELSE jsonb_build_object('at', c.at, 'by', 'Anna', 'via', 'phone', 'outcome', 'reached') END,
    'callbacks', '[]'::jsonb, 'rule', 'no one answered',
    'history', jsonb_build_array(jsonb_build_object('at', c.at, 'actor', 'ringback', 'action', 'missed', 'via', 'auto')), 'settlesAt', c.at)
  FROM (${CALLS}) c`;

/**
 * Seeds `plan.total` calls into the (empty) database at `url`, `connections` statements at a time.
 * Parameters of CALLS: $1 start ms, $2 total, $3 span ms, $4 open, $5..$6 the chunk's range; $7 the phone's MAC.
 */
export async function bulkSeedPostgres(url: string, plan: SeedPlan, connections = 2, log: (line: string) => void = () => undefined): Promise<void> {
  const store = await openPostgresStore({ url, follow: false, poolSize: 1 });
  const { mac } = await seedInventory(store, plan);
  await store.close();
  const pool = new pg.Pool({ connectionString: url, max: connections });
  try {
    const { rows: indexes } = await pool.query<{ name: string; def: string }>(`SELECT indexname AS name, indexdef AS def FROM pg_indexes
      WHERE schemaname = 'public' AND tablename IN ('attempts', 'missed_calls') AND indexname NOT LIKE '%_pkey'`);
    for (const i of indexes) await pool.query(`DROP INDEX ${i.name}`);
    const chunks: [string, number, number][] = [];
    for (let lo = 0; lo < plan.total; lo += CHUNK) {
      const hi = Math.min(plan.total, lo + CHUNK) - 1;
      chunks.push([ATTEMPTS, lo, hi], [MISSED, lo, hi]);
    }
    let done = 0;
    const began = Date.now();
    const worker = async (): Promise<void> => {
      for (let c = chunks.shift(); c !== undefined; c = chunks.shift()) {
        const [statement, lo, hi] = c;
        const params: unknown[] = [plan.start, plan.total, plan.spanMs, plan.open, lo, hi];
        await pool.query(statement, statement === ATTEMPTS ? [...params, mac] : params);
        done += hi - lo + 1;
        if (done % 1_000_000 < CHUNK) log(`  ${(done / 2).toLocaleString('en')} calls written (${((done / 2) / ((Date.now() - began) / 1000)).toFixed(0)} calls/s)`);
      }
    };
    await Promise.all(Array.from({ length: connections }, worker));
    log(`  rebuilding ${indexes.length} indexes …`);
    const defs = indexes.map((i) => i.def);
    await Promise.all(Array.from({ length: connections }, async () => {
      for (let def = defs.shift(); def !== undefined; def = defs.shift()) await pool.query(def);
    }));
  } finally {
    await pool.end();
  }
}
