/** @module Per-day derived values (report tallies): stored per day, recomputed when the day's calls changed. */
import type { Pool } from 'pg';
import type { CallAttempt, MissedCall } from '../../domain/types.ts';
import type { DayDerivation, StoreReads } from '../types.ts';
import type { HotSet } from './hot-set.ts';
import { readSnapshot } from './stream-rows.ts';
import { decodeText, encodeJson, encodeText } from './text-codec.ts';

interface DayRow {
  day: string;
  gen: string;
  has: boolean;
  version: number | null;
  dgen: string | null;
}

/** What a derived value is computed from: the database, and the acknowledged hot set (every record of a hot day). */
export interface DerivedSource {
  pool: Pool;
  state(): HotSet;
  config(): StoreReads;
}

/** Values of hot days derived from memory, kept until one of the day's records changes. */
export class HotDayMemo {
  readonly #memo = new Map<string, { state: HotSet; version: number; value: unknown }>();

  value(state: HotSet, derivation: DayDerivation, day: string, config: StoreReads): unknown {
    const key = `${derivation.name}\u0000${derivation.version}\u0000${day}`;
    const version = state.dayVersion(day);
    const kept = this.#memo.get(key);
    if (kept !== undefined && kept.state === state && kept.version === version) return kept.value;
    const { attempts, missed } = state.dayRecords(day);
    const value = derivation.derive(day, attempts, missed, config);
    for (const [k, m] of this.#memo) if (m.state !== state || !state.isHot(k.slice(k.lastIndexOf('\u0000') + 1))) this.#memo.delete(k);
    this.#memo.set(key, { state, version, value });
    return value;
  }
}

/**
 * The values of `derivation` for those of `days` holding call data, in the order asked. A hot day
 * (all its records in memory) is derived from memory, memoised until it changes: it is the day
 * that changes all the time, and reading it back from the database would cost a full read of
 * it per report. An older day's stored value is used when it was computed by the same version at
 * the day's current gen (triggers bump the gen on every write of the day's calls, retention and
 * erase included), else the day is derived afresh from one consistent snapshot of its records
 * and stored with the gen it saw. Stored values are read one at a time, as the caller iterates
 * (a month of report days is tens of MB of JSON).
 */
export async function* derivedValues<T>(
  src: DerivedSource, memo: HotDayMemo, derivation: DayDerivation, days: readonly string[],
): AsyncGenerator<{ day: string; value: T }> {
  if (days.length === 0) return;
  const { pool } = src;
  const name = encodeText(derivation.name);
  const { rows } = await pool.query<DayRow>(`SELECT d.day, coalesce(cd.gen, 0)::text AS gen, dd.version, dd.gen::text AS dgen,
      EXISTS (SELECT 1 FROM attempts a WHERE a.day = d.day) OR EXISTS (SELECT 1 FROM missed_calls m WHERE m.day = d.day) AS has
    FROM unnest($1::text[]) AS d(day)
    LEFT JOIN call_days cd ON cd.day = d.day
    LEFT JOIN day_derived dd ON dd.name = $2 AND dd.day = d.day`, [days.map(encodeText), name]);
  const stored = new Map(rows.map((r) => [decodeText(r.day), r]));
  const state = src.state();
  const wanted = days.filter((day) => stored.get(day)?.has === true); // only days holding call data have a value
  const current = (day: string): DayRow | undefined => {
    const r = stored.get(day);
    return r !== undefined && !state.isHot(day) && r.version === derivation.version && r.dgen === r.gen ? r : undefined;
  };
  // Stored values are fetched a few days ahead of the caller, so the database works while the caller merges.
  const fetches = new Map<string, Promise<unknown>>();
  const fetchAhead = (from: number): void => {
    for (let i = from; i < wanted.length && fetches.size < AHEAD; i++) {
      const day = wanted[i] ?? '';
      const r = current(day);
      if (r === undefined || fetches.has(day)) continue;
      const p = pool.query<{ value: unknown }>('SELECT value FROM day_derived WHERE name = $1 AND day = $2 AND gen = $3',
        [name, encodeText(day), r.gen]).then((v) => v.rows[0]?.value ?? MISSING);
      p.catch(() => undefined); // awaited below, unless the caller stops iterating first
      fetches.set(day, p);
    }
  };
  for (const [i, day] of wanted.entries()) {
    fetchAhead(i);
    if (state.isHot(day)) {
      yield { day, value: memo.value(state, derivation, day, src.config()) as T };
      continue;
    }
    const pending = fetches.get(day);
    fetches.delete(day);
    const value = pending === undefined ? MISSING : await pending;
    // Not stored, stale, or replaced since the first read: derived afresh.
    yield { day, value: (value === MISSING ? await recompute(pool, derivation, src.config(), day) : value) as T };
  }
}

/** Stored values read ahead of the caller. */
const AHEAD = 3;
const MISSING = Symbol('missing');

/**
 * Derives and stores the values of every day before `before` whose stored value is missing or
 * stale (newest day first): what a report would otherwise compute on demand, a day's full read
 * each. Returns how many days it derived. Safe beside other instances doing the same: a value
 * is never replaced by one computed at an older gen.
 */
export async function deriveStale(pool: Pool, derivations: readonly DayDerivation[], config: () => StoreReads, before: string,
  stop: () => boolean = () => false): Promise<number> {
  let n = 0;
  for (const d of derivations) {
    const { rows } = await pool.query<{ day: string }>(`SELECT cd.day FROM call_days cd
      LEFT JOIN day_derived dd ON dd.name = $1 AND dd.day = cd.day
      WHERE cd.day < $2 AND (dd.day IS NULL OR dd.version <> $3 OR dd.gen <> cd.gen)
        AND (EXISTS (SELECT 1 FROM attempts a WHERE a.day = cd.day) OR EXISTS (SELECT 1 FROM missed_calls m WHERE m.day = cd.day))
      ORDER BY cd.day DESC`, [encodeText(d.name), encodeText(before), d.version]);
    for (const r of rows) {
      if (stop()) return n;
      await recompute(pool, d, config(), decodeText(r.day));
      n += 1;
    }
  }
  return n;
}

async function recompute(pool: Pool, derivation: DayDerivation, config: StoreReads, day: string): Promise<unknown> {
  const { gen, attempts, missed } = await readSnapshot(pool, async (client) => {
    const g = await client.query<{ gen: string }>('SELECT gen::text AS gen FROM call_days WHERE day = $1', [encodeText(day)]);
    return {
      gen: g.rows[0]?.gen ?? '0',
      attempts: (await client.query<{ rec: CallAttempt }>('SELECT rec FROM attempts WHERE day = $1 ORDER BY first_ring_at, id', [encodeText(day)]))
        .rows.map((x) => x.rec),
      missed: (await client.query<{ rec: MissedCall }>('SELECT rec FROM missed_calls WHERE day = $1 ORDER BY first_at, id', [encodeText(day)]))
        .rows.map((x) => x.rec),
    };
  });
  const value = derivation.derive(day, attempts, missed, config);
  // A day never written has nothing to keep; a concurrent newer value is never overwritten by an older one.
  if (gen !== '0') {
    await pool.query(`INSERT INTO day_derived (name, day, version, gen, value) VALUES ($1, $2, $3, $4, $5::jsonb)
      ON CONFLICT (name, day) DO UPDATE SET version = EXCLUDED.version, gen = EXCLUDED.gen, value = EXCLUDED.value
      WHERE day_derived.gen <= EXCLUDED.gen`, [encodeText(derivation.name), encodeText(day), derivation.version, gen, encodeJson(value)]);
  }
  return value;
}
