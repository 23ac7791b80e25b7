/**
 * @module Follow-up (issue 6): the notifier (escalation, announcements, digests, outbox), retention
 * and phone health, built from the configuration (src/compose.ts schedules their jobs).
 */
import { join } from 'node:path';
import { createNotifier, type Notifier } from '../notify/notifier.ts';
import type { OutboxLog } from '../notify/outbox.ts';
import { keptSecret } from '../notify/secret-file.ts';
import { switchableEmail, type SwitchableSender } from '../notify/switchable-sender.ts';
import type { Sender } from '../notify/types.ts';
import type { IsVip } from '../notify/vip.ts';
import { webhookSender } from '../notify/webhook-sender.ts';
import type { Store } from '../store/types.ts';
import type { FollowUpConfig } from './follow-up-config.ts';
import { createPhoneHealth, type PhoneHealth } from './phone-health.ts';
import { createRetention, type Retention, type RetentionRun } from './retention.ts';

export interface FollowUp {
  notifier: Notifier;
  retention: Retention;
  phoneHealth: PhoneHealth;
  /** The senders the outbox uses, for a test message straight to a recipient (the dashboard's "send a test"). */
  senders: { email: SwitchableSender; webhook: Sender };
  /** Settings changed from the dashboard, applied without a restart. */
  reconfigure(change: { smtp?: { url: string; from: string } | null; retentionDays?: number }): void;
  /** Closes the senders' connections; call after the jobs are stopped. */
  close(): Promise<void>;
}

export interface FollowUpOptions {
  store: Store;
  config: FollowUpConfig;
  /** Zone of the admins' quiet hours and of times in their notices (`RINGBACK_TIME_ZONE`). */
  timeZone: string;
  /** Where the generated webhook secret is kept when `RINGBACK_NOTIFY_WEBHOOK_SECRET` is unset. */
  dataDir: string;
  startedAt: Date;
  log: OutboxLog;
  /** Issue 7's contact directory plugs in here (`contactDirectory(store).isVip`); default: nobody. */
  isVip?: IsVip;
  /** The directory's name of a caller, for messages. */
  contactName?: (callerKey: string) => string | undefined;
  /** `RINGBACK_PUBLIC_URL`: messages link to the entry on the dashboard; null = no links. */
  publicUrl?: string | null;
  /** Each retention run that removed something, e.g. for the audit trail. */
  onRetention?: (run: RetentionRun) => Promise<void>;
}

export async function createFollowUp(opts: FollowUpOptions): Promise<FollowUp> {
  const { store, config, log } = opts;
  const secret = config.notifyWebhookSecret ?? await keptSecret(join(opts.dataDir, 'notify-webhook-secret'));
  const senders = {
    webhook: webhookSender({ secret }),
    email: switchableEmail(config.smtpUrl === null ? null : { url: config.smtpUrl, from: config.smtpFrom }),
  };
  let retentionDays = config.retentionDays;
  const notifier = createNotifier({
    store, log, senders,
    defaults: {
      targetMinutes: config.callbackTargetMinutes, stepMinutes: config.escalationStepMinutes,
      windowMinutes: config.windowMinutes, quietHours: config.quietHours,
    },
    admins: { recipients: config.admins, quietHours: config.quietHours, timeZone: opts.timeZone, windowMinutes: config.windowMinutes },
    ...(opts.isVip === undefined ? {} : { isVip: opts.isVip }),
    ...(opts.contactName === undefined ? {} : { contactName: opts.contactName }),
    ...(opts.publicUrl == null ? {} : { entryUrl: entryUrl(opts.publicUrl) }),
  });
  const retention = createRetention({
    store, days: () => retentionDays, outbox: notifier.outbox, log,
    ...(opts.onRetention === undefined ? {} : { onRun: opts.onRetention }),
  });
  const phoneHealth = createPhoneHealth({
    store, thresholdMs: config.offlineMinutes * 60_000, startedAt: opts.startedAt.toISOString(), log,
    alert: (opened, now) => notifier.alertAdmins(opened, now),
  });
  return {
    notifier, retention, phoneHealth, senders,
    reconfigure(change) {
      if (change.smtp !== undefined) senders.email.set(change.smtp);
      if (change.retentionDays !== undefined) retentionDays = change.retentionDays;
    },
    close: () => notifier.close(),
  };
}

/** `https://ringback.example.com/#/calls?id=<id>`: the dashboard opens the list with that entry unfolded. */
export function entryUrl(publicUrl: string): (callId: string) => string {
  const base = publicUrl.replace(/\/+$/, '');
  return (callId) => `${base}/#/calls?id=${encodeURIComponent(callId)}`;
}
