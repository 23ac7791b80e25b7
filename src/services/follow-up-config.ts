/**
 * @module Configuration of escalation, notifications, retention and phone health (`RINGBACK_*`),
 * read through config.ts's reader so every mistake is reported together, naming its variable.
 */
import { hostname } from 'node:os';
import { parseQuietHours, type QuietHours } from '../domain/quiet-hours.ts';
import type { Recipient } from '../notify/types.ts';

export interface FollowUpConfig {
  /** The escalation/notify tick (node-cron, with seconds). */
  notifySchedule: string;
  /** `smtp://user:pass@host:587` / `smtps://…:465`; null = no email. Secret: never logged. */
  smtpUrl: string | null;
  smtpFrom: string;
  /** HMAC key for outgoing webhooks; null = generated once and kept in `<data>/notify-webhook-secret`. */
  notifyWebhookSecret: string | null;
  /** Who hears about offline phones and likely faults. */
  admins: Recipient[];
  windowMinutes: number;
  quietHours: QuietHours | null;
  callbackTargetMinutes: number;
  escalationStepMinutes: number;
  retentionDays: number;
  retentionSchedule: string;
  offlineMinutes: number;
  healthSchedule: string;
}

/** Every 15 seconds: a settled miss is announced within a quarter minute. */
export const NOTIFY_SCHEDULE = '*/15 * * * * *';
/** Nightly at 03:17 (UTC), off the full hour other machines' jobs crowd onto. */
export const RETENTION_SCHEDULE = '0 17 3 * * *';
/** Every five minutes, at second 23. */
export const HEALTH_SCHEDULE = '23 */5 * * * *';

/** The part of config.ts's reader this needs (structural, so the reader stays private there). */
export interface FollowUpReader {
  str(name: string, fallback: string): string;
  int(name: string, fallback: number, min: number, max: number): number;
  cron(name: string, fallback: string): string;
  token(name: string): string | null;
  parsed<T>(name: string, fallback: T, parse: (value: string) => T): T;
}

export function readFollowUpConfig(read: FollowUpReader): FollowUpConfig {
  const targetMinutes = read.int('RINGBACK_CALLBACK_TARGET_MINUTES', 60, 1, 7 * 24 * 60);
  return {
    notifySchedule: read.cron('RINGBACK_NOTIFY_SCHEDULE', NOTIFY_SCHEDULE),
    smtpUrl: read.parsed<string | null>('RINGBACK_SMTP_URL', null, parseSmtpUrl),
    smtpFrom: read.str('RINGBACK_SMTP_FROM', `Ringback <ringback@${hostname()}>`),
    notifyWebhookSecret: read.token('RINGBACK_NOTIFY_WEBHOOK_SECRET'),
    admins: read.parsed<Recipient[]>('RINGBACK_NOTIFY_ADMINS', [], parseAdmins),
    windowMinutes: read.int('RINGBACK_NOTIFY_WINDOW_MINUTES', 10, 0, 24 * 60),
    quietHours: read.parsed<QuietHours | null>('RINGBACK_NOTIFY_QUIET_HOURS', null, parseQuietHours),
    callbackTargetMinutes: targetMinutes,
    escalationStepMinutes: read.int('RINGBACK_ESCALATION_STEP_MINUTES', targetMinutes, 1, 7 * 24 * 60),
    retentionDays: read.int('RINGBACK_RETENTION_DAYS', 90, 1, 36_500),
    retentionSchedule: read.cron('RINGBACK_RETENTION_SCHEDULE', RETENTION_SCHEDULE),
    offlineMinutes: read.int('RINGBACK_OFFLINE_MINUTES', 180, 5, 7 * 24 * 60),
    healthSchedule: read.cron('RINGBACK_HEALTH_SCHEDULE', HEALTH_SCHEDULE),
  };
}

/** Checks the URL's shape; the message never repeats the value (it holds the password). */
export function parseSmtpUrl(value: string): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new Error('expected smtp://user:password@host:port or smtps://… (password URL-encoded)');
  }
  if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:') throw new Error('expected an smtp:// or smtps:// URL');
  if (u.hostname === '') throw new Error('the SMTP URL needs a host');
  return value;
}

/** Comma-separated email addresses and/or http(s) webhook URLs. */
export function parseAdmins(value: string): Recipient[] {
  const entries = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  return entries.map((entry, i): Recipient => {
    if (/^https?:\/\//i.test(entry)) {
      try {
        new URL(entry);
        return { name: 'Ringback admins', webhook: entry };
      } catch {
        // fall through to the error
      }
    } else if (/^[^\s@,<>]+@[^\s@,<>]+\.[^\s@,<>]+$/.test(entry)) {
      return { name: 'Ringback admins', email: entry };
    }
    // Entries are not echoed: a webhook URL may carry a secret.
    throw new Error(`entry ${i + 1} is neither an email address nor an http(s) URL`);
  });
}
