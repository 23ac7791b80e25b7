/** @module One group of commits as SQL: the net effect of the changes, a few set-based statements. */
import type { PoolClient } from 'pg';
import type { CallAttempt, MissedCall } from '../../domain/types.ts';
import type { Change } from '../types.ts';
import { RETENTION_FLOOR_KEY } from '../changes.ts';
import { dayOf } from '../days.ts';
import { encodeJson, encodeText } from './text-codec.ts';

/** The last value of a key (null = deleted), and whether it was deleted on the way (it moves to the end). */
interface Net<V> {
  v: V | null;
  deleted: boolean;
}

class NetMap<V> {
  readonly map = new Map<string, Net<V>>();
  put(key: string, v: V): void {
    const prev = this.map.get(key);
    this.map.set(key, { v, deleted: prev?.deleted ?? false });
  }
  del(key: string): void {
    this.map.set(key, { v: null, deleted: true });
  }
  /** Keys to delete first: deleted ones, and re-put ones (so their order is the new one, as in memory). */
  deletes(): string[] {
    return [...this.map].filter(([, n]) => n.deleted).map(([k]) => k);
  }
  puts(): [string, V][] {
    const out: [string, V][] = [];
    for (const [k, n] of this.map) if (n.v !== null) out.push([k, n.v]);
    return out;
  }
}

/** What a batch of (validated, kept) changes does, key by key: changes are whole upserts, so the last one wins. */
export class NetChanges {
  readonly teams = new NetMap<unknown>();
  readonly phones = new NetMap<unknown>();
  readonly meta = new Map<string, unknown>();
  readonly collections = new NetMap<{ c: string; id: string; v: unknown }>();
  readonly attempts = new Map<string, CallAttempt>();
  readonly missed = new NetMap<MissedCall>();
  floor: string | null = null;

  add(change: Change): void {
    switch (change.t) {
      case 'team': this.teams.put(change.v.id, change.v); break;
      case 'del-team': this.teams.del(change.id); break;
      case 'phone': this.phones.put(change.v.mac, change.v); break;
      case 'del-phone': this.phones.del(change.mac); break;
      case 'attempt': this.attempts.set(change.v.id, change.v); break;
      case 'missed': this.missed.put(change.v.id, change.v); break;
      case 'del-missed': this.missed.del(change.id); break;
      case 'put': this.collections.put(`${change.c}\u0000${change.id}`, { c: change.c, id: change.id, v: change.v }); break;
      case 'del': this.collections.del(`${change.c}\u0000${change.id}`); break;
      case 'meta':
        if (change.key === RETENTION_FLOOR_KEY && typeof change.value === 'string') {
          if (this.floor === null || change.value > this.floor) this.floor = change.value;
          break; // written as the effective (never lowered) floor, below
        }
        this.meta.set(change.key, change.value);
        break;
    }
  }
}

const json = encodeJson;
const texts = (xs: readonly string[]): string[] => xs.map(encodeText);

/** Runs the statements of `net` on `client`, inside the caller's transaction. */
export async function writeNet(client: PoolClient, net: NetChanges): Promise<void> {
  await writeKeyed(client, 'teams', 'id', net.teams);
  await writeKeyed(client, 'phones', 'mac', net.phones);
  const colDeletes = net.collections.deletes();
  if (colDeletes.length > 0) {
    await client.query(`DELETE FROM collection_records r USING jsonb_to_recordset($1::jsonb) AS x(c text, id text)
      WHERE r.c = x.c AND r.id = x.id`, [json(colDeletes.map((k) => ({ c: k.split('\u0000')[0], id: k.slice(k.indexOf('\u0000') + 1) })))]);
  }
  const colPuts = net.collections.puts();
  if (colPuts.length > 0) {
    await client.query(`INSERT INTO collection_records (c, id, rec)
      SELECT x.c, x.id, x.v FROM jsonb_to_recordset($1::jsonb) AS x(c text, id text, v jsonb)
      ON CONFLICT (c, id) DO UPDATE SET rec = EXCLUDED.rec`, [json(colPuts.map(([, r]) => r))]);
  }
  const metaDel = [...net.meta].filter(([, v]) => v === undefined).map(([k]) => k);
  const metaPut = [...net.meta].filter(([, v]) => v !== undefined).map(([key, value]) => ({ key, value }));
  if (metaDel.length > 0) await client.query('DELETE FROM meta WHERE key = ANY($1::text[])', [texts(metaDel)]);
  if (metaPut.length > 0) {
    await client.query(`INSERT INTO meta (key, value) SELECT x.key, x.value FROM jsonb_to_recordset($1::jsonb) AS x(key text, value jsonb)
      ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`, [json(metaPut)]);
  }
  if (net.attempts.size > 0) await client.query(upsertAttempts('$1'), [json(attemptRows(net))]);
  const missedDel = net.missed.map.size === 0 ? [] : [...net.missed.map].filter(([, n]) => n.v === null).map(([k]) => k);
  if (missedDel.length > 0) await client.query('DELETE FROM missed_calls WHERE id = ANY($1::text[])', [texts(missedDel)]);
  const missedPut = net.missed.puts();
  if (missedPut.length > 0) await client.query(upsertMissed('$1'), [json(missedRows(missedPut))]);
  // After the upserts: a record filed below a floor raised in the same batch goes with its day.
  if (net.floor !== null) {
    await client.query(`INSERT INTO meta (key, value) VALUES ($1, to_jsonb($2::text)) ON CONFLICT (key) DO UPDATE
      SET value = CASE WHEN (meta.value #>> '{}') COLLATE "C" < $2 THEN EXCLUDED.value ELSE meta.value END`, [RETENTION_FLOOR_KEY, net.floor]);
    await client.query('DELETE FROM attempts WHERE day < $1', [net.floor]);
    await client.query('DELETE FROM missed_calls WHERE day < $1', [net.floor]);
    await client.query('DELETE FROM day_derived WHERE day < $1', [net.floor]);
    await client.query('DELETE FROM call_days WHERE day < $1', [net.floor]);
  }
}

/** A group's change_log row (what other instances take in) and the channel its NOTIFY goes to. */
export interface LogEntry {
  origin: string;
  /** The group's changes, as encodeJson wrote them. */
  changes: string;
  channel: string;
}

/**
 * Writes a group inside the caller's transaction: its rows, its change_log row and a NOTIFY of its
 * seq (delivered at COMMIT); returns the seq. A group that only upserts call records, what phone
 * events commit, is ONE statement (data-modifying CTEs; see also oneTripGroup); any other group is
 * written statement by statement (writeNet), where a delete and a re-insert of one key keep their order.
 */
export async function writeGroup(client: PoolClient, net: NetChanges, log: LogEntry): Promise<number> {
  if (onlyCallUpserts(net)) {
    const r = await client.query<{ seq: string }>(`WITH a AS (${upsertAttempts('$1')}), m AS (${upsertMissed('$2')}),
      l AS (INSERT INTO change_log (origin, changes) VALUES ($3, $4::jsonb) RETURNING seq)
      SELECT seq, pg_notify($5, seq::text) FROM l`,
    [json(attemptRows(net)), json(missedRows(net.missed.puts())), log.origin, log.changes, log.channel]);
    return Number(r.rows[0]?.seq);
  }
  await writeNet(client, net);
  const logged = await client.query<{ seq: string }>('INSERT INTO change_log (origin, changes) VALUES ($1, $2::jsonb) RETURNING seq',
    [log.origin, log.changes]);
  const seq = Number(logged.rows[0]?.seq);
  await client.query('SELECT pg_notify($1, $2)', [log.channel, String(seq)]);
  return seq;
}

/**
 * A whole transaction as ONE simple-protocol query (one round trip, what phone events commit): BEGIN,
 * the lock, then one statement (data-modifying CTEs, its snapshot taken once the lock is held) that
 * adds the change_log row, NOTIFYs its seq and upserts the call records read out of that same row's
 * changes (the last change of a record wins, as in NetChanges), so the records cross the wire and are
 * parsed once; but only when no other instance committed since `since` (then nothing is written and
 * the caller takes the careful way, which reads those rivals). Then COMMIT. The values go as
 * dollar-quoted literals, since a query of several statements takes no parameters. Null when the
 * group holds other changes. `changes` are the group's, in order: `log.changes` is their JSON.
 */
export function oneTripGroup(net: NetChanges, changes: readonly Change[], log: LogEntry, lock: number, since: number): string | null {
  if (!onlyCallUpserts(net) || !Number.isSafeInteger(lock) || !Number.isSafeInteger(since)) return null;
  // A record's day is the engine's (dayOf), not one SQL would compute from its instant.
  const days = changes.map((c) => (c.t === 'attempt' ? dayOf(c.v.firstRingAt) : c.t === 'missed' ? dayOf(c.v.firstAt) : null));
  const origin = quoted(log.origin);
  const v = (field: string): string => `c.v->'v'->>'${field}'`;
  return `BEGIN; SELECT pg_advisory_xact_lock(${lock});
    WITH r AS (SELECT EXISTS (SELECT 1 FROM change_log WHERE seq > ${since} AND origin <> ${origin}) AS any),
      j AS (SELECT ${quoted(log.changes)}::jsonb AS j),
      c AS (SELECT e.v, e.n, d.day FROM j, r, jsonb_array_elements(j.j) WITH ORDINALITY AS e(v, n)
        JOIN jsonb_array_elements_text(${quoted(json(days))}::jsonb) WITH ORDINALITY AS d(day, n) ON d.n = e.n WHERE NOT r.any),
      a AS (INSERT INTO attempts (id, day, first_ring_at, last_event_at, destination, caller_key, pbx_call_id, rec)
        SELECT DISTINCT ON (${v('id')}) ${v('id')}, c.day, ${v('firstRingAt')}, ${v('lastEventAt')}, ${v('destination')},
          c.v->'v'->'caller'->>'key', ${v('pbxCallId')}, c.v->'v'
        FROM c WHERE c.v->>'t' = 'attempt' ORDER BY ${v('id')}, c.n DESC
        ON CONFLICT (id) DO UPDATE SET day = EXCLUDED.day, first_ring_at = EXCLUDED.first_ring_at, last_event_at = EXCLUDED.last_event_at,
          destination = EXCLUDED.destination, caller_key = EXCLUDED.caller_key, pbx_call_id = EXCLUDED.pbx_call_id, rec = EXCLUDED.rec),
      m AS (INSERT INTO missed_calls (id, day, first_at, last_at, team, caller_key, caller_raw, status, rec)
        SELECT DISTINCT ON (${v('id')}) ${v('id')}, c.day, ${v('firstAt')}, ${v('lastAt')}, ${v('team')},
          c.v->'v'->'caller'->>'key', c.v->'v'->'caller'->>'raw', ${v('status')}, c.v->'v'
        FROM c WHERE c.v->>'t' = 'missed' ORDER BY ${v('id')}, c.n DESC
        ON CONFLICT (id) DO UPDATE SET day = EXCLUDED.day, first_at = EXCLUDED.first_at, last_at = EXCLUDED.last_at, team = EXCLUDED.team,
          caller_key = EXCLUDED.caller_key, caller_raw = EXCLUDED.caller_raw, status = EXCLUDED.status, rec = EXCLUDED.rec),
      l AS (INSERT INTO change_log (origin, changes) SELECT ${origin}, j.j FROM j, r WHERE NOT r.any RETURNING seq)
    SELECT seq, pg_notify(${quoted(log.channel)}, seq::text) FROM l;
    COMMIT`;
}

/** `text` as a dollar-quoted literal, with a tag whose first appearance after the opening one is the closing one. */
export function quoted(text: string): string {
  let tag = '$rb$';
  for (let n = 0; `${text}${tag}`.indexOf(tag) !== text.length; n++) tag = `$rb${n}$`;
  return `${tag}${text}${tag}`;
}

function onlyCallUpserts(net: NetChanges): boolean {
  if (net.teams.map.size > 0 || net.phones.map.size > 0 || net.collections.map.size > 0 || net.meta.size > 0 || net.floor !== null) return false;
  for (const n of net.missed.map.values()) if (n.deleted) return false;
  return true;
}

function attemptRows(net: NetChanges): object[] {
  return [...net.attempts.values()].map((a) => ({
    id: a.id, day: dayOf(a.firstRingAt), f: a.firstRingAt, l: a.lastEventAt, d: a.destination, k: a.caller.key, p: a.pbxCallId, rec: a,
  }));
}

function missedRows(puts: [string, MissedCall][]): object[] {
  return puts.map(([, m]) => ({
    id: m.id, day: dayOf(m.firstAt), f: m.firstAt, l: m.lastAt, t: m.team, k: m.caller.key, r: m.caller.raw, s: m.status, rec: m,
  }));
}

/** The upsert of attempt rows given as a JSONB array in parameter `param`. */
function upsertAttempts(param: string): string {
  return `INSERT INTO attempts (id, day, first_ring_at, last_event_at, destination, caller_key, pbx_call_id, rec)
      SELECT x.id, x.day, x.f, x.l, x.d, x.k, x.p, x.rec
      FROM jsonb_to_recordset(${param}::jsonb) AS x(id text, day text, f text, l text, d text, k text, p text, rec jsonb)
      ON CONFLICT (id) DO UPDATE SET day = EXCLUDED.day, first_ring_at = EXCLUDED.first_ring_at, last_event_at = EXCLUDED.last_event_at,
        destination = EXCLUDED.destination, caller_key = EXCLUDED.caller_key, pbx_call_id = EXCLUDED.pbx_call_id, rec = EXCLUDED.rec`;
}

/** The upsert of missed-call rows given as a JSONB array in parameter `param`. */
function upsertMissed(param: string): string {
  return `INSERT INTO missed_calls (id, day, first_at, last_at, team, caller_key, caller_raw, status, rec)
      SELECT x.id, x.day, x.f, x.l, x.t, x.k, x.r, x.s, x.rec
      FROM jsonb_to_recordset(${param}::jsonb) AS x(id text, day text, f text, l text, t text, k text, r text, s text, rec jsonb)
      ON CONFLICT (id) DO UPDATE SET day = EXCLUDED.day, first_at = EXCLUDED.first_at, last_at = EXCLUDED.last_at, team = EXCLUDED.team,
        caller_key = EXCLUDED.caller_key, caller_raw = EXCLUDED.caller_raw, status = EXCLUDED.status, rec = EXCLUDED.rec`;
}

async function writeKeyed(client: PoolClient, table: 'teams' | 'phones', key: 'id' | 'mac', net: NetMap<unknown>): Promise<void> {
  const dels = net.deletes();
  if (dels.length > 0) await client.query(`DELETE FROM ${table} WHERE ${key} = ANY($1::text[])`, [texts(dels)]);
  const puts = net.puts();
  if (puts.length === 0) return;
  await client.query(`INSERT INTO ${table} (${key}, rec) SELECT x.k, x.v FROM jsonb_to_recordset($1::jsonb) AS x(k text, v jsonb)
    ON CONFLICT (${key}) DO UPDATE SET rec = EXCLUDED.rec`, [json(puts.map(([k, v]) => ({ k, v })))]);
}
