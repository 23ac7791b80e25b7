/** @module openPostgresStore: connect, migrate, load the hot set, hand back the Store. */
import pg from 'pg';
import type { CallAttempt, MissedCall, Phone, Team } from '../../domain/types.ts';
import type { CollectionName, Collections } from '../types.ts';
import { RETENTION_FLOOR_KEY } from '../changes.ts';
import type { DayDerivation } from '../types.ts';
import { newestDays } from './history.ts';
import { HotSet } from './hot-set.ts';
import { eachRow, shareStrings } from './stream-rows.ts';
import { migrate } from './migrations.ts';
import { errorText, PgStore, type Log } from './pg-store.ts';
import { redactUrl } from './url.ts';
import { decodeJson, decodeText } from './text-codec.ts';

export { redactUrl } from './url.ts';

export interface OpenPostgresOptions {
  /** `postgres://user:password@host:port/db` (RINGBACK_DATABASE_URL). */
  url: string;
  /** Per-day values the store keeps for readers (reports); see DayDerivation. */
  derivations?: readonly DayDerivation[];
  /** Newest days holding data whose calls stay in memory (default 2). */
  hotDays?: number;
  /** Connections in the pool (default 10). */
  poolSize?: number;
  log?: Log;
  /** Follow other instances' commits on this database (LISTEN/NOTIFY); default true. */
  follow?: boolean;
  /** First pass of PgStore.deriveAhead after open (default a minute; null = only when called). */
  deriveAheadAfterMs?: number | null;
}

const noop = (): void => undefined;

/** json and jsonb columns are parsed by decodeJson (strings PostgreSQL cannot hold come back as they were). */
const JSON_OIDS = new Set([114, 3802]);
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    JSON_OIDS.has(oid) && format !== 'binary' ? decodeJson : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/**
 * Connects, applies the migrations the database lacks (one transaction under an advisory lock, so
 * two instances starting together are safe) and loads the hot set: inventory, settings,
 * collections, meta, every open entry, and all calls of the newest `hotDays` days holding data.
 * Rejects, without the password in the message, when the database cannot be reached or migrated.
 */
export async function openPostgresStore(opts: OpenPostgresOptions): Promise<PgStore> {
  const log = opts.log ?? noop;
  const where = redactUrl(opts.url);
  const pool = new pg.Pool({
    connectionString: opts.url, max: opts.poolSize ?? 10, connectionTimeoutMillis: 5_000, idleTimeoutMillis: 30_000,
    application_name: 'ringback', keepAlive: true, keepAliveInitialDelayMillis: 5_000, types,
  });
  // An idle connection that breaks (server restart) must not crash the process; the next query reconnects.
  pool.on('error', (err) => log('store: an idle database connection failed', { error: errorText(err) }));
  try {
    const applied = await migrate(pool);
    if (applied.length > 0) log('store: database schema migrated', { versions: applied, database: where });
    const load = async (): Promise<{ state: HotSet; seq: number }> => {
      // Read first: what commits while the hot set loads is read again from the log (changes are whole upserts).
      const seq = Number((await pool.query<{ s: string }>('SELECT coalesce(max(seq), 0) AS s FROM change_log')).rows[0]?.s ?? 0);
      return { state: await loadHotSet(pool, opts.hotDays ?? 2), seq };
    };
    const { state, seq } = await load();
    log('store: open', { database: where, attempts: state.attempts.size, missed: state.missed.size, hotDays: state.recentDays });
    return new PgStore({
      pool, state, seq, log, where, derivations: opts.derivations ?? [], reload: load, url: opts.follow === false ? null : opts.url,
      ...(opts.deriveAheadAfterMs === undefined ? {} : { deriveAheadAfterMs: opts.deriveAheadAfterMs }),
    });
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw new Error(`cannot open the database at ${where}: ${errorText(e)}`, { cause: e });
  }
}

async function loadHotSet(pool: pg.Pool, hotDays: number): Promise<HotSet> {
  const state = new HotSet(hotDays, await newestDays(pool, hotDays));
  const meta = await pool.query<{ key: string; value: unknown }>('SELECT key, value FROM meta');
  const floor = meta.rows.find((r) => r.key === RETENTION_FLOOR_KEY);
  if (floor !== undefined) state.raiseFloor(floor.value);
  for (const r of meta.rows) if (r.key !== RETENTION_FLOOR_KEY) state.meta.set(decodeText(r.key), r.value);
  for (const r of (await pool.query<{ rec: Team }>('SELECT rec FROM teams ORDER BY seq')).rows) state.apply({ t: 'team', v: r.rec });
  for (const r of (await pool.query<{ rec: Phone }>('SELECT rec FROM phones ORDER BY seq')).rows) state.apply({ t: 'phone', v: r.rec });
  const cols = await pool.query<{ c: string; id: string; rec: unknown }>('SELECT c, id, rec FROM collection_records ORDER BY seq');
  for (const r of cols.rows) state.collection(decodeText(r.c)).set(decodeText(r.id), r.rec as Collections[CollectionName]);
  const from = state.hotFrom;
  await eachRow<{ rec: CallAttempt }>(pool, 'SELECT rec FROM attempts WHERE day >= $1', [from], (r) => state.putAttempt(shareStrings(r.rec)));
  await eachRow<{ rec: MissedCall }>(pool, `SELECT rec FROM missed_calls WHERE day >= $1 OR status IN ('pending', 'assigned')`, [from],
    (r) => state.putMissed(shareStrings(r.rec)));
  return state;
}
