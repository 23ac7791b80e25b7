/**
 * @module An IANA time zone as desk phones need it: a standard offset and, where the zone has
 * daylight saving time, the yearly rule ("last Sunday of March at 02:00"). Phones take rules, not
 * dates, so the rule is read off one fixed reference year: the output does not change on 1 January.
 */
import type { DstRule, ZoneInfo } from '../types.ts';

/** Rules are read off this year; any year with the zone's current rules gives the same answer. */
export const REFERENCE_YEAR = 2026;

const DAY_MS = 86_400_000;
const cache = new Map<string, ZoneInfo>();

/**
 * The zone's standard offset and DST rule. A zone with no switch, or with more than two in the
 * reference year (Morocco's Ramadan pauses), gets its January offset and no DST.
 */
export function zoneInfo(name: string): ZoneInfo {
  const hit = cache.get(name);
  if (hit !== undefined) return hit;
  const info = compute(name);
  cache.set(name, info);
  return info;
}

/** `+1`, `-5`, `+5:30`: hours and minutes east of UTC, as Yealink writes them [FPBX-YL-APP]. */
export function hoursOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  const m = abs % 60;
  return `${sign}${Math.floor(abs / 60)}${m === 0 ? '' : `:${String(m).padStart(2, '0')}`}`;
}

/** `GMT+01:00`, `GMT-05:00`, `GMT+05:30` (Cisco `Time_Zone` format [FPBX-CISCO-APP]). */
export function gmtOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `GMT${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/**
 * A POSIX TZ string (`<+01>-1<+02>,M3.5.0/2,M10.5.0/3`): sign inverted as POSIX wants, names in
 * the quoted numeric form, so no zone abbreviation table is needed.
 */
export function posixTz(zone: ZoneInfo): string {
  const name = (m: number) => `<${m < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(m) / 60))}${Math.abs(m) % 60 === 0 ? '' : pad(Math.abs(m) % 60)}>`;
  const off = (m: number) => {
    const west = -m;
    const abs = Math.abs(west);
    return `${west < 0 ? '-' : ''}${Math.floor(abs / 60)}${abs % 60 === 0 ? '' : `:${pad(abs % 60)}`}`;
  };
  const std = `${name(zone.standardOffsetMinutes)}${off(zone.standardOffsetMinutes)}`;
  if (zone.dst === null) return std;
  const rule = (r: DstRule) => `M${r.month}.${r.week}.${r.weekday}/${r.hour}${r.minute === 0 ? '' : `:${pad(r.minute)}`}`;
  return `${std}${name(zone.dst.offsetMinutes)}${off(zone.dst.offsetMinutes)},${rule(zone.dst.start)},${rule(zone.dst.end)}`;
}

// --- Internal helpers ---

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function compute(name: string): ZoneInfo {
  const offsetAt = offsetReader(name);
  const start = Date.UTC(REFERENCE_YEAR, 0, 1);
  const end = Date.UTC(REFERENCE_YEAR + 1, 0, 1);
  const switches: { at: number; before: number; after: number }[] = [];
  let previous = offsetAt(start);
  for (let t = start + DAY_MS; t <= end; t += DAY_MS) {
    const now = offsetAt(t);
    if (now !== previous) switches.push({ at: exactSwitch(offsetAt, t - DAY_MS, t), before: previous, after: now });
    previous = now;
  }
  const january = offsetAt(start);
  const first = switches[0];
  const second = switches[1];
  if (switches.length !== 2 || first === undefined || second === undefined) return { name, standardOffsetMinutes: january, dst: null };
  const [on, off] = first.after > first.before ? [first, second] : [second, first];
  return {
    name,
    standardOffsetMinutes: on.before,
    dst: { offsetMinutes: on.after, start: ruleOf(on.at, on.before), end: ruleOf(off.at, off.before) },
  };
}

/** The first minute at which the offset differs from the one at `lo` (binary search, minute precision). */
function exactSwitch(offsetAt: (t: number) => number, lo: number, hi: number): number {
  const before = offsetAt(lo);
  let a = lo;
  let b = hi;
  while (b - a > 60_000) {
    const mid = a + Math.floor((b - a) / 120_000) * 60_000;
    if (offsetAt(mid) === before) a = mid;
    else b = mid;
  }
  return b;
}

/** The switch as a rule in the wall-clock time that was in force just before it. */
function ruleOf(at: number, offsetBefore: number): DstRule {
  const local = new Date(at + offsetBefore * 60_000);
  const day = local.getUTCDate();
  const month = local.getUTCMonth() + 1;
  const daysInMonth = new Date(Date.UTC(local.getUTCFullYear(), month, 0)).getUTCDate();
  return {
    month,
    week: day + 7 > daysInMonth ? 5 : Math.ceil(day / 7),
    weekday: local.getUTCDay(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
  };
}

/** Minutes east of UTC at an instant, from Intl's `longOffset` (`GMT+01:00`, `GMT` for zero). */
function offsetReader(name: string): (t: number) => number {
  const format = new Intl.DateTimeFormat('en-US', { timeZone: name, timeZoneName: 'longOffset' });
  return (t) => {
    const part = format.formatToParts(t).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
    const m = /GMT([+-])(\d{2}):?(\d{2})?/.exec(part);
    if (m === null) return 0;
    const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
    return m[1] === '-' ? -minutes : minutes;
  };
}
