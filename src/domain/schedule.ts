/** @module Business hours in a team's own time zone: pure functions (time passed in), DST-safe via Intl. */

import type { Team } from './types.ts';

/** A team's opening hours: weekly `HH:MM-HH:MM` ranges in its zone plus closed local days. */
export type BusinessHours = NonNullable<Team['businessHours']>;

export interface LocalParts {
  /** Local calendar date, `YYYY-MM-DD`. */
  date: string;
  /** 0 = Sunday … 6 = Saturday, the keys of `WeeklyHours`. */
  weekday: number;
  /** Local wall-clock time, `HH:MM`, 24 h. */
  time: string;
}

/*
 * Semantics (one rule everywhere, so the functions agree with each other):
 * - A range is local wall-clock time on the day whose weekday lists it. On the spring-forward day a
 *   range over the skipped hour is shorter in real time; on the fall-back day the repeated hour counts
 *   twice. That is what the clock on the office wall says, which is what teams mean.
 * - `22:00-06:00` (end before start) runs overnight into the next local day; `24:00` ends at midnight.
 * - A holiday closes its whole local day. An overnight range belongs to the day it starts on, so a
 *   holiday also cancels the morning tail of its own night range (no night shift starts on a holiday).
 * - Malformed ranges count as closed; `businessHoursErrors` reports them for the API to reject.
 */

/** True when the team is open at that instant. No business hours = always open. */
export function isWithinBusinessHours(hours: BusinessHours | undefined, timeZone: string, instantIso: string): boolean {
  const wall = wallClock(parseInstant(instantIso), timeZone);
  if (!hours) return true;
  return localRanges(hours, wall.day).some(([start, end]) => wall.minutes >= start && wall.minutes < end);
}

/** Local date, weekday and `HH:MM` of an instant in a zone. */
export function localParts(instantIso: string, timeZone: string): LocalParts {
  const wall = wallClock(parseInstant(instantIso), timeZone);
  return { date: isoDate(wall.day), weekday: weekdayOf(wall.day), time: hhmm(wall.minutes) };
}

/**
 * A time short enough for a phone screen: `14:05` today, `Tue 14:05` within the last six days
 * (so the weekday is unambiguous), `24.11. 14:05` older, `24.11.25 14:05` in another year.
 * "Today" is the local date of `nowIso` in the same zone.
 */
export function formatLocalTime(instantIso: string, timeZone: string, nowIso: string): string {
  const at = wallClock(parseInstant(instantIso), timeZone);
  const now = wallClock(parseInstant(nowIso), timeZone);
  const time = hhmm(at.minutes);
  const ageDays = now.day - at.day;
  if (ageDays === 0) return time;
  // Within a week either way (a scheduled callback lies ahead), the weekday says which day.
  if (ageDays !== 0 && ageDays > -7 && ageDays < 7) return `${WEEKDAY_NAMES[weekdayOf(at.day)]} ${time}`;
  const date = isoDate(at.day); // YYYY-MM-DD
  const year = date.slice(0, 4) === isoDate(now.day).slice(0, 4) ? '' : date.slice(2, 4);
  return `${date.slice(8, 10)}.${date.slice(5, 7)}.${year} ${time}`;
}

/** Milliseconds of business time in `[from, to)`; 0 when `to` is not after `from`. */
export function businessMsBetween(hours: BusinessHours | undefined, timeZone: string, fromIso: string, toIso: string): number {
  const from = parseInstant(fromIso);
  const to = parseInstant(toIso);
  const firstDay = wallClock(from, timeZone).day;
  const lastDay = wallClock(to, timeZone).day;
  if (to <= from) return 0;
  if (!hours) return to - from;
  let total = 0;
  // Instants of local day D lie only in D's intervals, so walking the local days covers [from, to) once.
  for (let day = firstDay; day <= lastDay; day++) {
    for (const [start, end] of openIntervals(hours, timeZone, day)) {
      total += Math.max(0, Math.min(end, to) - Math.max(start, from));
    }
  }
  return total;
}

/**
 * The first instant at or after `afterIso` when the team opens (closed just before, open from then),
 * as ISO UTC; null for a team without business hours (always open) or one that never opens within a year.
 */
export function nextOpening(hours: BusinessHours | undefined, timeZone: string, afterIso: string): string | null {
  const after = parseInstant(afterIso);
  const startDay = wallClock(after, timeZone).day - 1; // the day before: is an interval at midnight a continuation?
  if (!hours || !hasAnyRange(hours)) return null;
  let previousEnd: number | null = null;
  for (let day = startDay; day <= startDay + SEARCH_DAYS; day++) {
    for (const [start, end] of openIntervals(hours, timeZone, day)) {
      const opens = previousEnd === null || start > previousEnd;
      if (opens && start >= after) return new Date(start).toISOString();
      previousEnd = previousEnd === null ? end : Math.max(previousEnd, end);
    }
  }
  return null;
}

/** Problems in a business-hours value (e.g. from API JSON), as sentences for an API error; empty = valid. */
export function businessHoursErrors(value: unknown): string[] {
  if (!isRecord(value) || !isRecord(value.weekly) || !Array.isArray(value.holidays)) {
    return ['business hours must be {"weekly": {"0".."6": ["HH:MM-HH:MM", …]}, "holidays": ["YYYY-MM-DD", …]}'];
  }
  const errors: string[] = [];
  for (const [key, ranges] of Object.entries(value.weekly)) {
    if (!/^[0-6]$/.test(key)) errors.push(`weekly key "${key}" is not a weekday 0 (Sunday) … 6 (Saturday)`);
    if (!Array.isArray(ranges)) {
      errors.push(`weekly[${key}] is not a list of ranges`);
      continue;
    }
    ranges.forEach((range: unknown, i) => {
      if (typeof range !== 'string' || !parseRange(range)) errors.push(`weekly[${key}][${i}] is not a non-empty HH:MM-HH:MM range`);
    });
  }
  value.holidays.forEach((holiday: unknown, i) => {
    if (typeof holiday !== 'string' || parseDate(holiday) === null) errors.push(`holidays[${i}] ${JSON.stringify(holiday)} is not a YYYY-MM-DD date`);
  });
  return errors;
}

// --- Internal helpers ---

const MINUTE = 60_000;
const DAY = 86_400_000;
const SEARCH_DAYS = 400;
const WEEKDAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

type Range = readonly [number, number];

/** A local day as whole days since 1970-01-01 (so "the day before" is just `day - 1`). */
interface Wall {
  day: number;
  minutes: number;
  offsetMs: number;
}

function parseInstant(iso: string): number {
  // A zone suffix is required: without one Date.parse would use the server's own zone.
  const ms = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(iso) ? Date.parse(iso) : Number.NaN;
  if (Number.isNaN(ms)) throw new Error(`[ringback] [schedule] "${iso}" is not an ISO-8601 instant with a zone`);
  return ms;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
        hour: 'numeric', minute: 'numeric', second: 'numeric',
      });
    } catch (cause) {
      throw new Error(`[ringback] [schedule] unknown time zone "${timeZone}"`, { cause });
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

function wallClock(ms: number, timeZone: string): Wall {
  const offsetMs = offsetOf(ms, timeZone);
  const localMs = ms + offsetMs;
  const day = Math.floor(localMs / DAY);
  return { day, minutes: Math.floor((localMs - day * DAY) / MINUTE), offsetMs };
}

/**
 * Every modern zone's offset is a multiple of 15 minutes and changes only at instants that are multiples
 * of 15 minutes UTC, so the offset is constant within each 15-minute UTC slot: cache it per slot.
 * (Intl's formatToParts costs ~10 µs; a phone screen asks for dozens of times.)
 */
const SLOT = 15 * MINUTE;
const offsetCache = new Map<string, number>();

function offsetOf(ms: number, timeZone: string): number {
  const slot = Math.floor(ms / SLOT);
  const key = `${timeZone}|${slot}`;
  const cached = offsetCache.get(key);
  if (cached !== undefined) return cached;
  const offset = measuredWallClock(slot * SLOT, timeZone).offsetMs;
  if (offsetCache.size >= 50_000) offsetCache.clear();
  offsetCache.set(key, offset);
  return offset;
}

function measuredWallClock(ms: number, timeZone: string): Wall {
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(ms)) fields[part.type] = Number(part.value);
  const wholeSecond = ms - (((ms % 1000) + 1000) % 1000);
  const local = Date.UTC(fields.year ?? 0, (fields.month ?? 1) - 1, fields.day ?? 1, fields.hour ?? 0, fields.minute ?? 0, fields.second ?? 0);
  const offsetMs = local - wholeSecond;
  const localMs = ms + offsetMs;
  const day = Math.floor(localMs / DAY);
  return { day, minutes: Math.floor((localMs - day * DAY) / MINUTE), offsetMs };
}

/** Stretches of constant UTC offset covering every instant whose local date can be `day`. */
function offsetSegments(timeZone: string, day: number): { from: number; to: number; offsetMs: number }[] {
  // Real offsets lie within -12 h … +14 h; sampling every 6 h finds each change, bisection pins it to the minute.
  const from = day * DAY - 15 * 3_600_000;
  const to = (day + 1) * DAY + 13 * 3_600_000;
  const offsetAt = (ms: number): number => wallClock(ms, timeZone).offsetMs;
  const segments = [{ from, to, offsetMs: offsetAt(from) }];
  for (let probe = from; probe < to; ) {
    const next = Math.min(probe + 6 * 3_600_000, to);
    const current = segments[segments.length - 1]!;
    const nextOffset = offsetAt(next);
    if (nextOffset !== current.offsetMs) {
      let low = probe; // offset(low) === current; offset(high) differs
      let high = next;
      while (high - low > MINUTE) {
        const mid = low + Math.max(1, Math.floor((high - low) / 2 / MINUTE)) * MINUTE;
        if (offsetAt(mid) === current.offsetMs) low = mid;
        else high = mid;
      }
      current.to = high;
      segments.push({ from: high, to, offsetMs: offsetAt(high) });
    }
    probe = next;
  }
  return segments;
}

/** Open minutes of local day `day` (0 … 1440), before holidays and DST are turned into instants. */
function localRanges(hours: BusinessHours, day: number): Range[] {
  if (isHoliday(hours, day)) return [];
  const ranges: Range[] = [];
  for (const [start, end] of rangesOf(hours, weekdayOf(day))) ranges.push([start, end > start ? end : 24 * 60]);
  if (!isHoliday(hours, day - 1)) {
    for (const [start, end] of rangesOf(hours, weekdayOf(day - 1))) if (end < start && end > 0) ranges.push([0, end]);
  }
  return ranges;
}

/** Open instants of local day `day` as sorted, merged `[start, end)` UTC milliseconds. */
function openIntervals(hours: BusinessHours, timeZone: string, day: number): Range[] {
  const ranges = localRanges(hours, day);
  if (ranges.length === 0) return [];
  const pieces: [number, number][] = [];
  for (const segment of offsetSegments(timeZone, day)) {
    for (const [start, end] of ranges) {
      const a = Math.max(day * DAY + start * MINUTE - segment.offsetMs, segment.from);
      const b = Math.min(day * DAY + end * MINUTE - segment.offsetMs, segment.to);
      if (a < b) pieces.push([a, b]);
    }
  }
  pieces.sort((x, y) => x[0] - y[0]);
  const merged: [number, number][] = [];
  for (const piece of pieces) {
    const last = merged[merged.length - 1];
    if (last && piece[0] <= last[1]) last[1] = Math.max(last[1], piece[1]);
    else merged.push(piece);
  }
  return merged;
}

function rangesOf(hours: BusinessHours, weekday: number): Range[] {
  const listed = hours.weekly[weekday];
  if (!Array.isArray(listed)) return [];
  return listed.flatMap((text) => {
    const range = typeof text === 'string' ? parseRange(text) : null;
    return range ? [range] : [];
  });
}

function hasAnyRange(hours: BusinessHours): boolean {
  return [0, 1, 2, 3, 4, 5, 6].some((weekday) => rangesOf(hours, weekday).length > 0);
}

/** `HH:MM-HH:MM` → minutes; end `24:00` allowed; end before start = overnight; equal = invalid. */
function parseRange(text: string): Range | null {
  const match = /^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$/.exec(text);
  if (!match) return null;
  const [sh, sm, eh, em] = match.slice(1).map(Number) as [number, number, number, number];
  const start = sh * 60 + sm;
  const end = eh * 60 + em;
  if (sh > 23 || sm > 59 || em > 59 || end > 24 * 60 || start === end) return null;
  return [start, end];
}

function parseDate(text: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return null;
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return isoDate(ms / DAY) === text ? ms / DAY : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isHoliday(hours: BusinessHours, day: number): boolean {
  return hours.holidays.includes(isoDate(day));
}

function isoDate(day: number): string {
  return new Date(day * DAY).toISOString().slice(0, 10);
}

function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
