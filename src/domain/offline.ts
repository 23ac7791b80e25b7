/**
 * @module Is a phone offline? Judged from its last sign of life (an event, a screen fetch or a
 * provisioning fetch). Pure: `now` and the server's start are passed in.
 */
import type { Phone } from './types.ts';

export type PhoneState = 'online' | 'offline' | 'settling' | 'never-seen';

export interface PhoneStatus {
  state: PhoneState;
  /** The last sign of life (ISO UTC), null if the phone never called us. */
  lastSeenAt: string | null;
  /** Offline: since when (= its last sign of life). Otherwise null. */
  offlineSince: string | null;
}

export interface OfflineRule {
  /** Silence longer than this (ms) means offline. */
  thresholdMs: number;
  /** When this server process started (ISO UTC). */
  startedAt: string;
}

/**
 * A phone is offline once it has been silent longer than the threshold — but right after a start
 * the server cannot tell yet: phones could not reach it while it was down. Until the threshold has
 * passed since the start a silent phone is `settling`, not offline, so a restart never raises a
 * wave of false alarms. A phone that never called is `never-seen` (listed, never alerted).
 */
export function phoneStatus(phone: Pick<Phone, 'lastSeen'>, rule: OfflineRule, now: string): PhoneStatus {
  const lastSeenAt = phone.lastSeen?.at ?? null;
  if (lastSeenAt === null) return { state: 'never-seen', lastSeenAt, offlineSince: null };
  const nowMs = Date.parse(now);
  if (nowMs - Date.parse(lastSeenAt) <= rule.thresholdMs) return { state: 'online', lastSeenAt, offlineSince: null };
  if (nowMs - Date.parse(rule.startedAt) <= rule.thresholdMs) return { state: 'settling', lastSeenAt, offlineSince: null };
  return { state: 'offline', lastSeenAt, offlineSince: lastSeenAt };
}

/** Until when a fresh start keeps silent phones `settling` (ISO UTC), or null once that is over. */
export function settlingUntil(rule: OfflineRule, now: string): string | null {
  const until = Date.parse(rule.startedAt) + rule.thresholdMs;
  return Date.parse(now) < until ? new Date(until).toISOString() : null;
}
