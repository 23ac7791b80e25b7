/**
 * @module Scheduled callbacks ("call me back at 14:00", as after-hours callers often ask): the entry
 * waits at the end of the list, then comes back to the top at that time, as if the caller had just
 * rung. Pure: every decision takes `now`, so the list is right the minute the time arrives without a
 * job having to move anything.
 */
import type { Instant, MissedCall } from './types.ts';

/** The longest a callback may be put off: further ahead it is a reminder, not a missed call. */
export const MAX_SCHEDULE_DAYS = 31;

export interface ScheduledCallback {
  /** When to call back (UTC). */
  at: Instant;
  /** Who scheduled it. */
  by: string;
}

/** The schedule of an entry, if any (records from before scheduling existed have no field). */
export function scheduleOf(m: Pick<MissedCall, 'scheduled'>): ScheduledCallback | null {
  return m.scheduled ?? null;
}

/** True while the entry waits for its scheduled time. */
export function isWaiting(m: Pick<MissedCall, 'scheduled'>, now: Instant): boolean {
  const s = scheduleOf(m);
  return s !== null && s.at > now;
}

/** `at` as a scheduled time: why it cannot be one, or null when it can. */
export function scheduleProblem(at: string, now: Instant): string | null {
  const ms = Date.parse(at);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(at) || Number.isNaN(ms)) {
    return 'at: expected a date and time such as 2026-12-01T14:00:00+01:00';
  }
  if (ms <= Date.parse(now)) return 'at: expected a time in the future';
  if (ms - Date.parse(now) > MAX_SCHEDULE_DAYS * 86_400_000) return `at: expected a time within ${MAX_SCHEDULE_DAYS} days`;
  return null;
}

/**
 * The instant an entry ranks by in a newest-first list: its last call, or its scheduled time once
 * that has come (it then is the newest thing to do).
 */
export function rankAt(m: Pick<MissedCall, 'lastAt' | 'scheduled'>): Instant {
  const s = scheduleOf(m);
  return s !== null && s.at > m.lastAt ? s.at : m.lastAt;
}

/**
 * The order of a callback list at `now`: entries that are due, newest first by `rankAt`; then the
 * ones waiting for their time, soonest first.
 */
export function listOrder<T extends Pick<MissedCall, 'id' | 'lastAt' | 'scheduled'>>(calls: readonly T[], now: Instant): T[] {
  const due: T[] = [];
  const waiting: T[] = [];
  for (const m of calls) (isWaiting(m, now) ? waiting : due).push(m);
  due.sort((a, b) => compare(rankAt(b), rankAt(a)) || compare(b.id, a.id));
  waiting.sort((a, b) => compare(scheduleOf(a)?.at ?? '', scheduleOf(b)?.at ?? '') || compare(a.id, b.id));
  return [...due, ...waiting];
}

/** The history action of a schedule, with its time (like `callback: reached`, `escalated: lead`). */
export function scheduledAction(at: Instant): string {
  return `scheduled: ${new Date(at).toISOString()}`;
}

// --- Internal helpers ---

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
