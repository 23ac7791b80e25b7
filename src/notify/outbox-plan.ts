/**
 * @module The outbox's decisions, pure (`now` passed in): which queued items go out together now,
 * which messages are due, and when a failed one is tried again.
 */
import { isQuiet } from '../domain/quiet-hours.ts';
import type { OutboxItem, OutboxMessage, SendResult, Target } from './types.ts';

export interface Batch {
  targetKey: string;
  target: Target;
  itemIds: string[];
}

/** `email:<address>` (case-insensitive) or `webhook:<url>`: one recipient's one channel. */
export function targetKey(t: Pick<Target, 'channel' | 'address'>): string {
  return `${t.channel}:${t.channel === 'email' ? t.address.toLowerCase() : t.address}`;
}

/**
 * Groups queued items into messages, one per target:
 * - an urgent item (VIP caller) goes out at once, with whatever else is waiting for that target and
 *   not held by quiet hours;
 * - otherwise items held by quiet hours wait, and a target that got a message less than its window
 *   ago waits until the window has passed — everything queued meanwhile then goes in one message.
 * `lastMessageAt` is when each target's latest message was composed.
 */
export function planBatches(queued: readonly OutboxItem[], lastMessageAt: ReadonlyMap<string, string>, now: string): Batch[] {
  const byTarget = new Map<string, OutboxItem[]>();
  for (const item of queued) {
    if (item.status !== 'queued') continue;
    const key = targetKey(item.target);
    byTarget.set(key, [...(byTarget.get(key) ?? []), item]);
  }
  const batches: Batch[] = [];
  for (const [key, items] of byTarget) {
    const awake = items.filter((i) => i.urgent || !isQuiet(i.quiet, i.timeZone, now));
    const first = awake[0];
    if (first === undefined) continue;
    if (!awake.some((i) => i.urgent) && !windowPassed(lastMessageAt.get(key), awake, now)) continue;
    batches.push({ targetKey: key, target: first.target, itemIds: awake.map((i) => i.id) });
  }
  return batches;
}

/** When a waiting target may get its next message (for showing why an item waits); null = now. */
export function windowEnds(lastAt: string | undefined, windowMinutes: number, now: string): string | null {
  if (lastAt === undefined) return null;
  const ends = Date.parse(lastAt) + windowMinutes * MINUTE;
  return ends > Date.parse(now) ? new Date(ends).toISOString() : null;
}

/**
 * How long a claim to send a message holds: far longer than a send may take (SMTP gives up after
 * 30 s of silence, webhooks after 10 s). A claim older than this was left by an instance that died
 * mid-send, and the message is sent again: the at-least-once window.
 */
export const CLAIM_MS = 5 * 60_000;

/** Whether another send of `m` (by any instance) may be in flight at `now`. */
export function claimed(m: OutboxMessage, now: string): boolean {
  return m.sendingSince !== undefined && Date.parse(now) < Date.parse(m.sendingSince) + CLAIM_MS;
}

/** Pending messages whose next attempt is due and that no instance is sending, oldest first. */
export function dueMessages(messages: readonly OutboxMessage[], now: string): OutboxMessage[] {
  return messages.filter((m) => m.status === 'pending' && m.nextAttemptAt <= now && !claimed(m, now))
    .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
}

/** Wait before attempt n+1 after n failed ones: 30 s, 1, 2, 4, 8, 16, 32 min, then hourly. */
export function backoffMs(failedAttempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, failedAttempts - 1), HOUR);
}

/** Attempts before a message is given up on (about a day with the back-off above). */
export const MAX_ATTEMPTS = 24;

/** The message after one attempt: sent, scheduled again, or failed for good. */
export function afterAttempt(claimedMessage: OutboxMessage, result: SendResult, now: string, maxAttempts = MAX_ATTEMPTS): OutboxMessage {
  const { sendingSince: _done, ...m } = claimedMessage;
  const attempts = m.attempts + 1;
  if (result.ok) return { ...m, attempts, status: 'sent', sentAt: now, lastError: null };
  if (result.permanent || attempts >= maxAttempts) return { ...m, attempts, status: 'failed', lastError: result.error };
  return { ...m, attempts, lastError: result.error, nextAttemptAt: new Date(Date.parse(now) + backoffMs(attempts)).toISOString() };
}

// --- Internal helpers ---

const MINUTE = 60_000;
const HOUR = 3_600_000;

function windowPassed(lastAt: string | undefined, items: readonly OutboxItem[], now: string): boolean {
  const minutes = Math.min(...items.map((i) => i.windowMinutes));
  return windowEnds(lastAt, minutes, now) === null;
}
