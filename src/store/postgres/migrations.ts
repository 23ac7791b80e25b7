/** @module The PostgreSQL schema as numbered migrations, applied at start under an advisory lock. */
import type { Pool } from 'pg';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/*
 * Records are kept whole (JSONB, as committed) with the columns the store queries by next to them.
 * Instants and days are text COLLATE "C": the records carry UTC ISO strings and every engine
 * compares them as strings, so the database must order them byte-wise whatever its locale.
 * `call_days.gen` grows whenever a statement changes a day's calls (triggers, so no write path can
 * forget it): a stored derived value is current exactly when it was computed at the day's gen.
 */
const V1 = `
CREATE TABLE teams (id text COLLATE "C" PRIMARY KEY, seq bigserial NOT NULL, rec jsonb NOT NULL);
CREATE TABLE phones (mac text COLLATE "C" PRIMARY KEY, seq bigserial NOT NULL, rec jsonb NOT NULL);
CREATE TABLE meta (key text COLLATE "C" PRIMARY KEY, value jsonb NOT NULL);
CREATE TABLE collection_records (
  c text COLLATE "C" NOT NULL, id text COLLATE "C" NOT NULL, seq bigserial NOT NULL, rec jsonb NOT NULL,
  PRIMARY KEY (c, id)
);
CREATE TABLE attempts (
  id text COLLATE "C" PRIMARY KEY,
  day text COLLATE "C" NOT NULL,
  first_ring_at text COLLATE "C" NOT NULL,
  last_event_at text COLLATE "C" NOT NULL,
  destination text COLLATE "C" NOT NULL,
  caller_key text COLLATE "C" NOT NULL,
  pbx_call_id text COLLATE "C",
  rec jsonb NOT NULL
);
CREATE INDEX attempts_day ON attempts (day);
CREATE INDEX attempts_newest ON attempts (first_ring_at DESC, id DESC);
CREATE INDEX attempts_destination ON attempts (destination, first_ring_at DESC, id DESC);
CREATE INDEX attempts_caller ON attempts (destination, caller_key, last_event_at);
CREATE INDEX attempts_pbx ON attempts (pbx_call_id) WHERE pbx_call_id IS NOT NULL;
CREATE TABLE missed_calls (
  id text COLLATE "C" PRIMARY KEY,
  day text COLLATE "C" NOT NULL,
  first_at text COLLATE "C" NOT NULL,
  last_at text COLLATE "C" NOT NULL,
  team text COLLATE "C" NOT NULL,
  caller_key text COLLATE "C" NOT NULL,
  caller_raw text COLLATE "C" NOT NULL,
  status text COLLATE "C" NOT NULL,
  rec jsonb NOT NULL
);
CREATE INDEX missed_day ON missed_calls (day);
CREATE INDEX missed_newest ON missed_calls (first_at DESC, id DESC);
CREATE INDEX missed_team ON missed_calls (team, first_at DESC, id DESC);
CREATE INDEX missed_caller ON missed_calls (caller_key, first_at DESC);
CREATE INDEX missed_open ON missed_calls (team, caller_key) WHERE status IN ('pending', 'assigned');
CREATE TABLE call_days (day text COLLATE "C" PRIMARY KEY, gen bigint NOT NULL);
CREATE TABLE day_derived (
  name text COLLATE "C" NOT NULL, day text COLLATE "C" NOT NULL,
  version integer NOT NULL, gen bigint NOT NULL, value jsonb NOT NULL,
  PRIMARY KEY (name, day)
);

CREATE FUNCTION ringback_touch_days() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO call_days (day, gen) SELECT DISTINCT day, 1 FROM new_rows
      ON CONFLICT (day) DO UPDATE SET gen = call_days.gen + 1;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO call_days (day, gen) SELECT day, 1 FROM (SELECT day FROM new_rows UNION SELECT day FROM old_rows) d
      ON CONFLICT (day) DO UPDATE SET gen = call_days.gen + 1;
  ELSE
    INSERT INTO call_days (day, gen) SELECT DISTINCT day, 1 FROM old_rows
      ON CONFLICT (day) DO UPDATE SET gen = call_days.gen + 1;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER attempts_days_ins AFTER INSERT ON attempts REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION ringback_touch_days();
CREATE TRIGGER attempts_days_upd AFTER UPDATE ON attempts REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION ringback_touch_days();
CREATE TRIGGER attempts_days_del AFTER DELETE ON attempts REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION ringback_touch_days();
CREATE TRIGGER missed_days_ins AFTER INSERT ON missed_calls REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION ringback_touch_days();
CREATE TRIGGER missed_days_upd AFTER UPDATE ON missed_calls REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION ringback_touch_days();
CREATE TRIGGER missed_days_del AFTER DELETE ON missed_calls REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION ringback_touch_days();
`;

/*
 * Several instances on one database: every committed group of changes is also kept here, numbered
 * in commit order (writers take CHANGE_LOCK before they number a group, so a lower seq never
 * commits after a higher one). Other instances read what follows their last seq to keep their hot
 * set current, and a commit checks it for rival correlation (see conflicts.ts). Old rows are pruned.
 */
const V2 = `
CREATE TABLE change_log (
  seq bigserial PRIMARY KEY, origin text COLLATE "C" NOT NULL, at timestamptz NOT NULL DEFAULT now(), changes jsonb NOT NULL
);
CREATE INDEX change_log_at ON change_log (at);
`;

/** In order; never edit a released one: add the next version. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'calls, configuration and day values', sql: V1 },
  { version: 2, name: 'change log for several instances', sql: V2 },
];

/** Any constant of our own: every instance takes the same lock, nothing else is likely to. */
const MIGRATION_LOCK = 7_260_113;

/**
 * Brings the schema up to date in ONE transaction holding a transaction-level advisory lock, so two
 * instances starting at once apply each migration once (the second waits, then finds nothing to
 * do) and a failed migration leaves nothing half done. Returns the versions applied.
 */
export async function migrate(pool: Pool, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS ringback_schema (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ v: number | null }>('SELECT max(version) AS v FROM ringback_schema');
    const current = rows[0]?.v ?? 0;
    const known = migrations.at(-1)?.version ?? 0;
    if (current > known) {
      throw new Error(`the database schema is version ${current}, newer than this Ringback knows (${known}): upgrade Ringback`);
    }
    const applied: number[] = [];
    for (const m of migrations) {
      if (m.version <= current) continue;
      await client.query(m.sql);
      await client.query('INSERT INTO ringback_schema (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.version);
    }
    await client.query('COMMIT');
    return applied;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}
