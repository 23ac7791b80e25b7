/** @module Reconnect delays: exponential, capped. */

export interface BackoffOptions {
  /** First delay after a lost connection. */
  initialMs: number;
  /** The cap: a PBX down for hours is retried at this pace, not slower. */
  maxMs: number;
  factor: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 1000, maxMs: 30_000, factor: 2 };

/**
 * Delay before reconnect attempt `attempt` (0-based). No jitter: one client talks to one PBX, so
 * there is no herd to spread, and fixed delays keep the status page predictable.
 */
export function backoffDelay(attempt: number, o: BackoffOptions = DEFAULT_BACKOFF): number {
  const raw = o.initialMs * o.factor ** Math.max(0, attempt);
  return Math.min(o.maxMs, Number.isFinite(raw) ? raw : o.maxMs);
}
