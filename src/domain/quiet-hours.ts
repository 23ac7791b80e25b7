/**
 * @module Quiet hours: a daily local-time window in which nobody is disturbed by a non-urgent message.
 * Built on the business-hours rules (schedule.ts), so DST is handled the same way everywhere.
 */
import { isWithinBusinessHours, nextOpening, type BusinessHours } from './schedule.ts';

/** `from`–`to` in local wall-clock time, every day; `20:00`–`07:00` runs overnight. */
export interface QuietHours {
  from: string;
  to: string;
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Parses `HH:MM-HH:MM` (as in `RINGBACK_NOTIFY_QUIET_HOURS`); throws a sentence on a bad value. */
export function parseQuietHours(text: string): QuietHours {
  const [from = '', to = '', ...rest] = text.split('-').map((s) => s.trim());
  if (rest.length > 0 || !HHMM.test(from) || !HHMM.test(to)) throw new Error(`expected HH:MM-HH:MM such as 20:00-07:00, got "${text}"`);
  if (from === to) throw new Error('quiet hours must not start and end at the same time');
  return { from, to };
}

/** True when `instant` lies in the quiet window in `timeZone`. No quiet hours = never quiet. */
export function isQuiet(quiet: QuietHours | null, timeZone: string, instant: string): boolean {
  if (quiet === null) return false;
  return isWithinBusinessHours(daily(quiet.from, quiet.to), timeZone, instant);
}

/** When the quiet window around `instant` ends (ISO UTC); null when it is not quiet then. */
export function quietEnds(quiet: QuietHours | null, timeZone: string, instant: string): string | null {
  if (quiet === null || !isQuiet(quiet, timeZone, instant)) return null;
  // The end of quiet is the opening of its complement, `to`–`from`.
  return nextOpening(daily(quiet.to, quiet.from), timeZone, instant);
}

// --- Internal helpers ---

function daily(from: string, to: string): BusinessHours {
  // `HH:MM-00:00` would be an empty range to schedule.ts; `24:00` is how it says "until midnight".
  const range = `${from}-${to === '00:00' ? '24:00' : to}`;
  return { weekly: { 0: [range], 1: [range], 2: [range], 3: [range], 4: [range], 5: [range], 6: [range] }, holidays: [] };
}
