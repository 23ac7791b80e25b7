/** @module Push to idle screens (issue 14): its settings, the per-phone record, the clock it runs on. */
import type { Instant } from '../domain/types.ts';

declare module '../store/types.ts' {
  interface Collections {
    /** Per phone (MAC): how its last pushes to the idle screen went, and its back-off (issue 14). */
    pushStates: PushState;
  }
}

/** How the last pushes to one phone went; kept in the store so a restart keeps the back-off and the API shows it. */
export interface PushState {
  /** The phone's MAC. */
  id: string;
  /** `ok`: the phone took the last push; `unreachable`: no connection or no answer in time; `rejected`: it refused our credentials (401/403); `error`: another answer. */
  state: 'ok' | 'unreachable' | 'rejected' | 'error';
  /** When the phone entered this state. */
  since: Instant;
  lastAttemptAt: Instant;
  lastOkAt: Instant | null;
  /** Failures in a row; the back-off doubles with each. */
  failures: number;
  /** While failing: no push before this instant. */
  retryAt: Instant | null;
  /** What went wrong, in words (never a secret); null when ok. */
  error: string | null;
  /** `host:port` pushed to. */
  address: string;
  /** Whether the phone's idle screen shows our banner (so a restart knows what to clear). */
  showing: boolean;
}

export interface PushConfig {
  /** `RINGBACK_PUSH`: false = never push. */
  enabled: boolean;
  /** `RINGBACK_PUSH_WINDOW_SECONDS`: at most one update per phone per window (a storm becomes one push). */
  windowMs: number;
  /** `RINGBACK_PUSH_CONCURRENCY`: pushes in flight at once. */
  concurrency: number;
  /** `RINGBACK_PUSH_TIMEOUT_MS`: a push (all its requests) gives up after this long. */
  timeoutMs: number;
  /** `RINGBACK_PUSH_REFRESH_SECONDS`: while calls wait, the banner is pushed again this often (its age moves on; a rebooted phone lost it); 0 = never. */
  refreshMs: number;
  /** Back-off of a failing phone: first retry after `retryMinMs`, doubling up to `retryMaxMs`. */
  retryMinMs: number;
  retryMaxMs: number;
}

export const PUSH_DEFAULTS: PushConfig = {
  enabled: true, windowMs: 3000, concurrency: 8, timeoutMs: 3000, refreshMs: 300_000, retryMinMs: 30_000, retryMaxMs: 600_000,
};

/** Timers as the push service uses them: real ones in production, a hand-moved clock in tests. */
export interface Scheduler {
  now(): number;
  set(ms: number, fn: () => void): unknown;
  clear(handle: unknown): void;
}

export const realScheduler: Scheduler = {
  now: () => Date.now(),
  set: (ms, fn) => {
    const t = setTimeout(fn, Math.max(0, ms));
    t.unref(); // a pending push never keeps a stopping server alive
    return t;
  },
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
