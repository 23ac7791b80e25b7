/** @module UTC calendar days (`YYYY-MM-DD`): the unit call data is partitioned and retained by. */

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const UTC_INSTANT = /^\d{4}-\d{2}-\d{2}T[^+-]*Z$/;

export function isDay(value: unknown): value is string {
  return typeof value === 'string' && DAY.test(value);
}

/**
 * The UTC day of an instant. Instants are UTC ISO strings by contract, so slicing is exact and
 * cheap; anything else (an offset, a bare date) goes through `Date` so a record never lands in the
 * wrong day file. Throws on a value that is no instant at all.
 */
export function dayOf(instant: string): string {
  if (UTC_INSTANT.test(instant)) return instant.slice(0, 10);
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new TypeError(`not an ISO instant: ${JSON.stringify(instant)}`);
  return new Date(ms).toISOString().slice(0, 10);
}

/** Like `dayOf`, but for a value read from disk or a caller: undefined instead of throwing. */
export function tryDayOf(instant: unknown): string | undefined {
  if (typeof instant !== 'string') return undefined;
  try {
    return dayOf(instant);
  } catch {
    return undefined;
  }
}
