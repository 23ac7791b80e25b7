/** @module Push settings (`RINGBACK_PUSH*`), read through config.ts's reader so every mistake is reported together. */
import { PUSH_DEFAULTS, type PushConfig } from './types.ts';

/** The part of config.ts's reader this needs (structural, so the reader stays private there). */
export interface PushReader {
  int(name: string, fallback: number, min: number, max: number): number;
  bool(name: string, fallback: boolean): boolean;
}

export function readPushConfig(read: PushReader): PushConfig {
  const d = PUSH_DEFAULTS;
  return {
    ...d,
    enabled: read.bool('RINGBACK_PUSH', d.enabled),
    windowMs: read.int('RINGBACK_PUSH_WINDOW_SECONDS', d.windowMs / 1000, 1, 300) * 1000,
    concurrency: read.int('RINGBACK_PUSH_CONCURRENCY', d.concurrency, 1, 256),
    timeoutMs: read.int('RINGBACK_PUSH_TIMEOUT_MS', d.timeoutMs, 100, 60_000),
    refreshMs: read.int('RINGBACK_PUSH_REFRESH_SECONDS', d.refreshMs / 1000, 0, 86_400) * 1000,
  };
}
