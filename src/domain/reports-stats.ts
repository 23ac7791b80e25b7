/** @module Small statistics for reports: quantiles, rates, ring-time buckets. Pure. */

/** Median and 90th percentile (nearest-rank: always a value that occurred), null for no data. */
export interface Quantiles {
  count: number;
  median: number | null;
  p90: number | null;
}

export function quantiles(values: readonly number[]): Quantiles {
  if (values.length === 0) return { count: 0, median: null, p90: null };
  const sorted = [...values].sort((a, b) => a - b);
  return { count: sorted.length, median: nearestRank(sorted, 0.5), p90: nearestRank(sorted, 0.9) };
}

/** The smallest value with at least `q` of the data at or below it (nearest-rank method). */
export function nearestRank(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1] ?? null;
}

/** A share rounded to 4 places; null when there is nothing to share (not 0: "no calls" is not "no misses"). */
export function rate(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000;
}

/** Lower bounds of the ring-time buckets, seconds: 0-4, 5-9, 10-19, 20-29, 30-59, 60+. */
export const RING_BUCKETS: readonly number[] = [0, 5, 10, 20, 30, 60];

/** Index of the bucket a ring time falls in. */
export function bucketOf(seconds: number, bounds: readonly number[] = RING_BUCKETS): number {
  let i = 0;
  while (i + 1 < bounds.length && seconds >= (bounds[i + 1] ?? Infinity)) i++;
  return i;
}

export function bucketLabel(i: number, bounds: readonly number[] = RING_BUCKETS): string {
  const from = bounds[i] ?? 0;
  const next = bounds[i + 1];
  return next === undefined ? `${from}+ s` : `${from}-${next - 1} s`;
}

/**
 * Exact value counts (value → how often it occurred): the quantiles of merged parts (days, hours)
 * equal those of all their values, which no summary of fewer numbers guarantees.
 */
export type Histogram = Map<number, number>;

export function histogramAdd(h: Histogram, value: number, count = 1): void {
  h.set(value, (h.get(value) ?? 0) + count);
}

/** The same as `quantiles` of every value counted, without expanding them. */
export function histogramQuantiles(h: Histogram): Quantiles {
  let count = 0;
  for (const n of h.values()) count += n;
  if (count === 0) return { count: 0, median: null, p90: null };
  const values = [...h.keys()].sort((a, b) => a - b);
  const at = (q: number): number | null => {
    const rank = Math.max(1, Math.ceil(q * count));
    let seen = 0;
    for (const v of values) {
      seen += h.get(v) ?? 0;
      if (seen >= rank) return v;
    }
    return null;
  };
  return { count, median: at(0.5), p90: at(0.9) };
}
