/** @module History reads of the PostgreSQL engine: SQL over everything kept, newest first, in keyset pages. */
import type { Pool } from 'pg';
import type { CallAttempt, MissedCall } from '../../domain/types.ts';
import type { AttemptQuery, Cursor, MissedQuery } from '../types.ts';
import { decodeText, encodeText } from './text-codec.ts';

/** Rows per round trip: large enough to stream an export quickly, small enough to stay bounded. */
export const PAGE = 500;
/**
 * The first round trip reads fewer: most readers are a screen's page of 50 and stop there, and
 * each row read is a whole record parsed for nothing. Each full page reads 4× more, up to PAGE.
 */
const FIRST_PAGE = 64;
const nextPage = (n: number): number => Math.min(PAGE, n * 4);

class Where {
  readonly params: unknown[] = [];
  readonly parts: string[] = [];
  add(sql: (p: (v: unknown) => string) => string): void {
    this.parts.push(sql((v) => {
      this.params.push(typeof v === 'string' ? encodeText(v) : v);
      return `$${this.params.length}`;
    }));
  }
  get sql(): string {
    return this.parts.length === 0 ? '' : `WHERE ${this.parts.join(' AND ')}`;
  }
}

export async function missedCall(pool: Pool, id: string): Promise<MissedCall | undefined> {
  const { rows } = await pool.query<{ rec: MissedCall }>('SELECT rec FROM missed_calls WHERE id = $1', [encodeText(id)]);
  return rows[0]?.rec;
}

export async function attemptsById(pool: Pool, ids: readonly string[]): Promise<Map<string, CallAttempt>> {
  const out = new Map<string, CallAttempt>();
  if (ids.length === 0) return out;
  const { rows } = await pool.query<{ rec: CallAttempt }>('SELECT rec FROM attempts WHERE id = ANY($1::text[])', [ids.map(encodeText)]);
  for (const r of rows) out.set(r.rec.id, r.rec);
  return out;
}

/** Missed calls matching `q`, newest `firstAt` first; one page is read at a time, as the caller iterates. */
export async function* missedCalls(pool: Pool, q: MissedQuery): AsyncGenerator<MissedCall> {
  let after = q.after;
  let limit = FIRST_PAGE;
  for (;;) {
    const w = new Where();
    if (q.team !== undefined) w.add((p) => `team = ${p(q.team)}`);
    if (q.status !== undefined) w.add((p) => `status = ${p(q.status)}`);
    if (q.caller !== undefined) {
      const c = q.caller;
      w.add((p) => { const x = p(c); return `(caller_key = ${x} OR strpos(caller_raw, ${x}) > 0)`; });
    }
    if (q.from !== undefined) w.add((p) => `first_at >= ${p(q.from)}`);
    if (q.to !== undefined) w.add((p) => `first_at < ${p(q.to)}`);
    if (after !== undefined) w.add(cursor('first_at', after));
    const { rows } = await pool.query<{ rec: MissedCall; at: string }>(
      `SELECT rec, first_at AS at FROM missed_calls ${w.sql} ORDER BY first_at DESC, id DESC LIMIT ${limit}`, w.params);
    for (const r of rows) yield r.rec;
    const last = rows.at(-1);
    if (rows.length < limit || last === undefined) return;
    after = { at: decodeText(last.at), id: last.rec.id };
    limit = nextPage(limit);
  }
}

/** Call attempts matching `q`, newest `firstRingAt` first, paged like missedCalls. */
export async function* attemptsIn(pool: Pool, q: AttemptQuery): AsyncGenerator<CallAttempt> {
  let after = q.after;
  let limit = FIRST_PAGE;
  for (;;) {
    const w = new Where();
    if (q.destination !== undefined) w.add((p) => `destination = ${p(q.destination)}`);
    if (q.from !== undefined) w.add((p) => `first_ring_at >= ${p(q.from)}`);
    if (q.to !== undefined) w.add((p) => `first_ring_at < ${p(q.to)}`);
    if (after !== undefined) w.add(cursor('first_ring_at', after));
    const { rows } = await pool.query<{ rec: CallAttempt; at: string }>(
      `SELECT rec, first_ring_at AS at FROM attempts ${w.sql} ORDER BY first_ring_at DESC, id DESC LIMIT ${limit}`, w.params);
    for (const r of rows) yield r.rec;
    const last = rows.at(-1);
    if (rows.length < limit || last === undefined) return;
    after = { at: decodeText(last.at), id: last.rec.id };
    limit = nextPage(limit);
  }
}

/** Strictly after the cursor in newest-first order (a row comparison: one index range). */
function cursor(column: string, c: Cursor): (p: (v: unknown) => string) => string {
  return (p) => `(${column}, id) < (${p(c.at)}, ${p(c.id)})`;
}

/** Days holding call data, oldest first (call_days lists every day ever touched; EXISTS drops emptied ones). */
export async function days(pool: Pool): Promise<string[]> {
  const { rows } = await pool.query<{ day: string }>(`SELECT day FROM call_days d
    WHERE EXISTS (SELECT 1 FROM attempts a WHERE a.day = d.day) OR EXISTS (SELECT 1 FROM missed_calls m WHERE m.day = d.day)
    ORDER BY day`);
  return rows.map((r) => r.day);
}

/** The newest `n` days holding data, ascending (the hot days at start). */
export async function newestDays(pool: Pool, n: number): Promise<string[]> {
  const { rows } = await pool.query<{ day: string }>(`SELECT day FROM call_days d
    WHERE EXISTS (SELECT 1 FROM attempts a WHERE a.day = d.day) OR EXISTS (SELECT 1 FROM missed_calls m WHERE m.day = d.day)
    ORDER BY day DESC LIMIT $1`, [n]);
  return rows.map((r) => r.day).reverse();
}
