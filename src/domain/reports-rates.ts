/**
 * @module Missed rates by hour of day and weekday, per team and per extension: not only how many
 * calls were missed at 12:00 but what share of the calls at 12:00 — the figure that says when a
 * team needs one more person. Local time of each call's team; counts are the report's calls.
 */

import { rate } from './reports-stats.ts';

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

export interface RateCell {
  calls: number;
  missed: number;
  /** missed / calls, to 4 decimals; null when there were no calls. */
  missedRate: number | null;
}

export interface RateTable {
  calls: number;
  missed: number;
  missedRate: number | null;
  byHour: (RateCell & { hour: number })[];
  byWeekday: (RateCell & { weekday: number; name: string })[];
}

/** Counts by (hour, weekday) for one subject; `table()` turns them into rates. */
export interface RateTally {
  add(hour: number, weekday: number, missed: boolean): void;
  /** `calls` calls at once, `missed` of them missed (merging tallies counted elsewhere). */
  addCounts(hour: number, weekday: number, calls: number, missed: number): void;
  table(): RateTable;
}

export function rateTally(): RateTally {
  const hours = Array.from({ length: 24 }, () => ({ calls: 0, missed: 0 }));
  const days = Array.from({ length: 7 }, () => ({ calls: 0, missed: 0 }));
  let calls = 0;
  let missed = 0;
  const addCounts = (hour: number, weekday: number, n: number, m: number): void => {
    const h = hours[hour];
    const d = days[weekday];
    if (h === undefined || d === undefined) return;
    calls += n;
    h.calls += n;
    d.calls += n;
    missed += m;
    h.missed += m;
    d.missed += m;
  };
  return {
    add: (hour, weekday, isMissed) => addCounts(hour, weekday, 1, isMissed ? 1 : 0),
    addCounts,
    table: () => ({
      calls, missed, missedRate: rateOf(missed, calls),
      byHour: hours.map((c, hour) => ({ hour, ...c, missedRate: rateOf(c.missed, c.calls) })),
      byWeekday: days.map((c, weekday) => ({ weekday, name: WEEKDAYS[weekday] ?? '', ...c, missedRate: rateOf(c.missed, c.calls) })),
    }),
  };
}

/** A tally per key (team id, extension), created on first use. */
export function rateTallies(): { of(key: string): RateTally; tables(): Map<string, RateTable> } {
  const all = new Map<string, RateTally>();
  return {
    of(key) {
      let t = all.get(key);
      if (t === undefined) all.set(key, (t = rateTally()));
      return t;
    },
    tables: () => new Map([...all].map(([k, t]) => [k, t.table()])),
  };
}

/** Rounded like every other rate of the report (reports-stats.ts). */
const rateOf = rate;
