/**
 * @module Which parts of a report period come from per-day aggregates and which from records: the
 * whole UTC hours inside the period from the aggregates of their days, the pieces of an hour at
 * either end (a period from 09:41:07) from the records of those pieces only.
 */
import { dayStart, HOUR_MS } from './report-days.ts';

export interface ReportPlan {
  /** Days whose aggregate is merged, with the UTC hours `[fromHour, toHour)` of each that lie in the period. */
  days: { day: string; fromHour: number; toHour: number }[];
  /** Stretches `[from, to)` (ISO) inside one UTC hour each, read from records. */
  edges: { from: string; to: string }[];
}

/**
 * `days`: the days holding call data (oldest first). A period without `from` starts at the first of
 * them. Bounds are ISO instants as the store compares them (`from` inclusive, `to` exclusive).
 */
export function planReport(period: { from: string | null; to: string }, days: readonly string[]): ReportPlan {
  const toMs = Date.parse(period.to);
  const fromMs = period.from === null ? -Infinity : Date.parse(period.from);
  const plan: ReportPlan = { days: [], edges: [] };
  if (!(fromMs < toMs)) return plan;
  const fromH = Math.ceil(fromMs / HOUR_MS) * HOUR_MS;
  const toH = Math.floor(toMs / HOUR_MS) * HOUR_MS;
  if (fromH > toH) {
    // Both bounds inside one hour.
    plan.edges.push({ from: iso(fromMs), to: iso(toMs) });
    return plan;
  }
  if (fromMs < fromH) plan.edges.push({ from: iso(fromMs), to: iso(fromH) });
  if (toH < toMs) plan.edges.push({ from: iso(toH), to: iso(toMs) });
  for (const day of days) {
    const start = dayStart(day);
    const fromHour = Math.max(0, (fromH - start) / HOUR_MS);
    const toHour = Math.min(24, (toH - start) / HOUR_MS);
    if (fromHour < toHour) plan.days.push({ day, fromHour, toHour });
  }
  return plan;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
