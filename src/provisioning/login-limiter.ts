/**
 * @module Slows down guessing: after a few wrong provisioning logins from one address, that
 * address is refused (429, without even checking) for a time that doubles with each further
 * failure, up to a cap. A correct login clears its record. The clock is a parameter, so tests
 * move time instead of sleeping.
 */

export interface LoginLimiterOptions {
  now?: () => number;
  /** Wrong logins allowed before the first pause (a phone's first request carries none, so it never counts). */
  freeFailures?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Addresses remembered at most; the oldest are forgotten first. */
  maxEntries?: number;
}

export interface LoginLimiter {
  /** Milliseconds this address must still wait; 0 = go ahead. */
  waitMs(ip: string): number;
  failure(ip: string): void;
  success(ip: string): void;
}

interface Entry {
  failures: number;
  blockedUntil: number;
  lastAt: number;
}

export function createLoginLimiter(opts: LoginLimiterOptions = {}): LoginLimiter {
  const now = opts.now ?? Date.now;
  const free = opts.freeFailures ?? 5;
  const base = opts.baseDelayMs ?? 1_000;
  const max = opts.maxDelayMs ?? 15 * 60_000;
  const maxEntries = opts.maxEntries ?? 10_000;
  const entries = new Map<string, Entry>();

  function live(ip: string): Entry | undefined {
    const e = entries.get(ip);
    // A quiet address starts afresh once the longest pause has passed since its last failure.
    if (e !== undefined && now() - e.lastAt > max) {
      entries.delete(ip);
      return undefined;
    }
    return e;
  }

  return {
    waitMs(ip) {
      const e = live(ip);
      return e === undefined ? 0 : Math.max(0, e.blockedUntil - now());
    },
    failure(ip) {
      const t = now();
      const e = live(ip) ?? { failures: 0, blockedUntil: 0, lastAt: t };
      e.failures += 1;
      e.lastAt = t;
      if (e.failures > free) e.blockedUntil = t + Math.min(max, base * 2 ** Math.min(30, e.failures - free - 1));
      entries.delete(ip);
      entries.set(ip, e);
      while (entries.size > maxEntries) {
        const oldest = entries.keys().next().value;
        if (oldest === undefined) break;
        entries.delete(oldest);
      }
    },
    success(ip) {
      entries.delete(ip);
    },
  };
}
