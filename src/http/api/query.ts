/** @module Query-string parameters for list endpoints: single strings, dates, limits and cursors. */
import type { Cursor } from '../../store/types.ts';
import { HttpError } from '../errors.ts';

type Query = Record<string, unknown>;

export function single(q: Query, name: string, max = 200): string | undefined {
  const v = q[name];
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string') throw new HttpError(400, 'invalid', `${name}: give it once, as a plain value`);
  if (v.length > max) throw new HttpError(400, 'invalid', `${name}: too long`);
  return v;
}

export function oneOf<T extends string>(q: Query, name: string, allowed: readonly T[]): T | undefined {
  const v = single(q, name);
  if (v === undefined) return undefined;
  const hit = allowed.find((a) => a === v);
  if (hit === undefined) throw new HttpError(400, 'invalid', `${name}: one of ${allowed.join(', ')}`);
  return hit;
}

/** An instant as ISO-8601 (a bare date means its UTC midnight). */
export function instant(q: Query, name: string): string | undefined {
  const v = single(q, name, 40);
  if (v === undefined) return undefined;
  const ms = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(v) ? Date.parse(v) : Number.NaN;
  if (Number.isNaN(ms)) throw new HttpError(400, 'invalid', `${name}: an ISO-8601 date or time, e.g. 2026-11-26 or 2026-11-26T08:00:00Z`);
  return new Date(ms).toISOString();
}

export function limit(q: Query, fallback = 50, max = 500): number {
  const v = single(q, 'limit', 6);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < 1 || n > max) throw new HttpError(400, 'invalid', `limit: 1 to ${max}`);
  return n;
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(`${c.at}|${c.id}`).toString('base64url');
}

export function cursor(q: Query): Cursor | undefined {
  const v = single(q, 'cursor', 200);
  if (v === undefined) return undefined;
  const [at = '', id = ''] = Buffer.from(v, 'base64url').toString().split('|');
  if (Number.isNaN(Date.parse(at)) || id === '') throw new HttpError(400, 'invalid', 'cursor: use nextCursor from the previous page');
  return { at, id };
}

/**
 * One page of a history listing that is already newest first by (time, id) and already resumes after
 * the request's cursor (`after` of the store query): stable while new records arrive, since a cursor
 * names the last record seen, not an offset. Reads one record past the page, then stops the listing.
 */
export async function page<T>(items: AsyncIterable<T>, key: (t: T) => Cursor, size: number): Promise<{ items: T[]; nextCursor: string | null }> {
  const kept: T[] = [];
  let more = false;
  for await (const t of items) {
    if (kept.length === size) {
      more = true;
      break;
    }
    kept.push(t);
  }
  const last = kept.at(-1);
  return { items: kept, nextCursor: more && last !== undefined ? encodeCursor(key(last)) : null };
}
