/** @module Per-day derived values (report tallies): stored per day, recomputed when the day's calls changed. */
import type { Pool } from 'pg';
import type { CallAttempt, MissedCall } from '../../domain/types.ts';
import type { DayDerivation, StoreReads } from '../types.ts';
import { encodeJson, encodeText } from './text-codec.ts';

interface StoredRow {
  day: string;
  gen: string;
  has: boolean;
  value: unknown;
  version: number | null;
  dgen: string | null;
}

/**
 * The values of `derivation` for those of `days` holding call data, in the order asked. A stored value is used when it was
 * computed by the same version at the day's current gen (triggers bump the gen on every write of
 * the day's calls, retention and erase included), else the day is derived afresh from one
 * consistent snapshot of its records and stored with the gen it saw.
 */
export async function* derivedValues<T>(
  pool: Pool, derivation: DayDerivation, config: () => StoreReads, days: readonly string[],
): AsyncGenerator<{ day: string; value: T }> {
  if (days.length === 0) return;
  const { rows } = await pool.query<StoredRow>(`SELECT d.day, coalesce(cd.gen, 0)::text AS gen, dd.value, dd.version, dd.gen::text AS dgen,
      EXISTS (SELECT 1 FROM attempts a WHERE a.day = d.day) OR EXISTS (SELECT 1 FROM missed_calls m WHERE m.day = d.day) AS has
    FROM unnest($1::text[]) AS d(day)
    LEFT JOIN call_days cd ON cd.day = d.day
    LEFT JOIN day_derived dd ON dd.name = $2 AND dd.day = d.day`, [days.map(encodeText), encodeText(derivation.name)]);
  const stored = new Map(rows.map((r) => [r.day, r]));
  const key = (day: string): string => encodeText(day);
  for (const day of days) {
    const r = stored.get(key(day));
    if (r === undefined || !r.has) continue; // only days holding call data have a value
    if (r.version === derivation.version && r.dgen === r.gen) {
      yield { day, value: r.value as T };
      continue;
    }
    yield { day, value: await recompute(pool, derivation, config(), day) as T };
  }
}

async function recompute(pool: Pool, derivation: DayDerivation, config: StoreReads, day: string): Promise<unknown> {
  const client = await pool.connect();
  let gen: string;
  let attempts: CallAttempt[];
  let missed: MissedCall[];
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const g = await client.query<{ gen: string }>('SELECT gen::text AS gen FROM call_days WHERE day = $1', [encodeText(day)]);
    gen = g.rows[0]?.gen ?? '0';
    attempts = (await client.query<{ rec: CallAttempt }>('SELECT rec FROM attempts WHERE day = $1 ORDER BY first_ring_at, id', [encodeText(day)]))
      .rows.map((x) => x.rec);
    missed = (await client.query<{ rec: MissedCall }>('SELECT rec FROM missed_calls WHERE day = $1 ORDER BY first_at, id', [encodeText(day)]))
      .rows.map((x) => x.rec);
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
  const value = derivation.derive(day, attempts, missed, config);
  // A day never written has nothing to keep; a concurrent newer value is never overwritten by an older one.
  if (gen !== '0') {
    await pool.query(`INSERT INTO day_derived (name, day, version, gen, value) VALUES ($1, $2, $3, $4, $5::jsonb)
      ON CONFLICT (name, day) DO UPDATE SET version = EXCLUDED.version, gen = EXCLUDED.gen, value = EXCLUDED.value
      WHERE day_derived.gen <= EXCLUDED.gen`, [encodeText(derivation.name), encodeText(day), derivation.version, gen, encodeJson(value)]);
  }
  return value;
}
