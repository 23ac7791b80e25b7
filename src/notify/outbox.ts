/**
 * @module The persisted outbox: items queued once per event and target, batched into messages, and
 * messages delivered with back-off. Every step is committed to the store before the next one starts,
 * so a restart resumes where it stopped: a message is on disk before it is sent, and marked sent as
 * soon as the receiver took it.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { MissedCall } from '../domain/types.ts';
import type { Change, Store } from '../store/types.ts';
import { describeEvent, type DescribeView } from './describe.ts';
import { afterAttempt, claimed, dueMessages, MAX_ATTEMPTS, planBatches, targetKey } from './outbox-plan.ts';
import { isCommitConflict } from '../store/conflict.ts';
import { retryOnConflict } from '../cluster/retry.ts';
import { buildPayload } from './render.ts';
import { maskUrl } from './settings.ts';
import type { DeliveryRules, NotificationItem, NotifyEvent, OutboxItem, OutboxMessage, Recipient, Senders, Target } from './types.ts';

export interface OutboxLog {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface OutboxOptions {
  store: Store;
  senders: Senders;
  log: OutboxLog;
  view: DescribeView;
  maxAttempts?: number;
  /** Messages sent at the same time (default 4). */
  concurrency?: number;
  newId?: () => string;
}

export interface DeliveryReport {
  sent: number;
  retrying: number;
  failed: number;
}

export interface Outbox {
  /** Changes that queue `event` for every target of `recipients` not queued for it before. */
  queue(event: NotifyEvent, recipients: readonly Recipient[], rules: DeliveryRules, now: string, pending?: Set<string>): Change[];
  /** Batches what may go out now into messages (committed), dropping items whose call was handled. */
  compose(now: string): Promise<{ messages: number; dropped: number }>;
  /** Sends every due message once; resolves when each result is committed. */
  deliver(now: string): Promise<DeliveryReport>;
  /** Forgets sent, failed and dropped records composed before `before` (they hold callers' data). */
  prune(before: string): Promise<number>;
}

/** Item ids are a hash of the idempotency key: the same event for the same target is one record. */
export function itemId(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}

export function targetsOf(r: Recipient): Target[] {
  const targets: Target[] = [];
  if (r.email !== undefined) targets.push({ channel: 'email', address: r.email, name: r.name });
  if (r.webhook !== undefined) targets.push({ channel: 'webhook', address: r.webhook, name: r.name });
  return targets;
}

export function createOutbox(opts: OutboxOptions): Outbox {
  const { store, log, view } = opts;
  const newId = opts.newId ?? randomUUID;
  const concurrency = Math.max(1, opts.concurrency ?? 4);
  const maxAttempts = opts.maxAttempts ?? MAX_ATTEMPTS;

  return {
    queue(event, recipients, rules, now, pending = new Set()) {
      const changes: Change[] = [];
      for (const target of recipients.flatMap(targetsOf)) {
        const key = `${event.key}|${targetKey(target)}`;
        const id = itemId(key);
        if (pending.has(id) || store.get('outboxItems', id) !== undefined) continue;
        pending.add(id);
        const item: OutboxItem = { id, key, target, event, createdAt: now, status: 'queued', messageId: null, reason: null, ...rules };
        changes.push({ t: 'put', c: 'outboxItems', id, v: item });
      }
      return changes;
    },

    // Several instances (the jobs lease moved during a tick): a compose built on items another
    // instance batched first is refused by the store and done again, finding nothing left to batch.
    compose: (now) => retryOnConflict(() => compose(now)),

    async deliver(now) {
      const report: DeliveryReport = { sent: 0, retrying: 0, failed: 0 };
      const due = dueMessages(store.list('outboxMessages'), now);
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < due.length) {
          const message = due[next++];
          if (message !== undefined) await deliverOne(message, now, report);
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, due.length) }, worker));
      return report;
    },

    prune: (before) => retryOnConflict(() => prune(before)),
  };

  async function prune(before: string): Promise<number> {
    const changes: Change[] = [];
    for (const m of store.list('outboxMessages')) {
      if (m.status !== 'pending' && m.createdAt < before) changes.push({ t: 'del', c: 'outboxMessages', id: m.id });
    }
    for (const i of store.list('outboxItems')) {
      if (i.status !== 'queued' && i.createdAt < before) changes.push({ t: 'del', c: 'outboxItems', id: i.id });
    }
    if (changes.length > 0) await store.commit(changes);
    return changes.length;
  }

  async function compose(now: string): Promise<{ messages: number; dropped: number }> {
    const queued = store.list('outboxItems').filter((i) => i.status === 'queued');
    if (queued.length === 0) return { messages: 0, dropped: 0 };
    const last = new Map<string, string>();
    for (const m of store.list('outboxMessages')) {
      const key = targetKey(m.target);
      if ((last.get(key) ?? '') < m.createdAt) last.set(key, m.createdAt);
    }
    const changes: Change[] = [];
    let messages = 0;
    let dropped = 0;
    const withOld = await withHistory(view, store, queued);
    for (const batch of planBatches(queued, last, now)) {
      // Read again after the history read: items another instance batched meanwhile are not batched twice.
      const items = batch.itemIds.flatMap((id) => store.get('outboxItems', id) ?? []).filter((i) => i.status === 'queued');
      const kept: OutboxItem[] = [];
      const described: NotificationItem[] = [];
      for (const item of items) {
        const d = describeEvent(item.event, withOld, now);
        if (d.ok) {
          kept.push(item);
          described.push(d.item);
        } else {
          dropped += 1;
          changes.push({ t: 'put', c: 'outboxItems', id: item.id, v: { ...item, status: 'dropped', reason: d.reason } });
        }
      }
      if (kept.length === 0) continue;
      const id = newId();
      const message: OutboxMessage = {
        id, target: batch.target, itemIds: kept.map((i) => i.id), payload: buildPayload(id, batch.target.name, described, now),
        createdAt: now, status: 'pending', attempts: 0, nextAttemptAt: now, lastError: null, sentAt: null,
      };
      messages += 1;
      changes.push({ t: 'put', c: 'outboxMessages', id, v: message });
      for (const item of kept) changes.push({ t: 'put', c: 'outboxItems', id: item.id, v: { ...item, status: 'batched', messageId: id } });
    }
    if (changes.length > 0) await store.commit(changes);
    return { messages, dropped };
  }

  /**
   * Claims the message for this send, durably, before anything goes out: another instance (the jobs
   * lease moved during a tick) or this one after a restart then leaves it alone (see CLAIM_MS).
   * Null when it is not to be sent by us: sent, claimed by another, or claimed by another first
   * (two claims built on one view: the store refuses the second).
   */
  async function claim(id: string, now: string): Promise<OutboxMessage | null> {
    const current = store.get('outboxMessages', id);
    if (current === undefined || current.status !== 'pending' || claimed(current, now)) return null;
    const mine: OutboxMessage = { ...current, sendingSince: now };
    try {
      await store.commit([{ t: 'put', c: 'outboxMessages', id, v: mine }]);
    } catch (err) {
      if (isCommitConflict(err)) return null;
      throw err;
    }
    return mine;
  }

  async function deliverOne(due: OutboxMessage, now: string, report: DeliveryReport): Promise<void> {
    const message = await claim(due.id, now);
    if (message === null) return;
    const sender = opts.senders[message.target.channel];
    // The same message id (the email's Message-ID, the webhook's X-Ringback-Delivery) on every send.
    const result = sender === null
      ? { ok: false as const, permanent: true, error: message.target.channel === 'email' ? 'email is not set up (RINGBACK_SMTP_URL)' : 'webhooks are not set up' }
      : await sender.send(message);
    const next = await retryOnConflict(async () => {
      const current = store.get('outboxMessages', message.id) ?? message;
      const after = afterAttempt(current, result, now, maxAttempts);
      await store.commit([{ t: 'put', c: 'outboxMessages', id: after.id, v: after }]);
      return after;
    });
    const details = { delivery: next.id, channel: next.target.channel, to: shown(next.target), attempts: next.attempts };
    if (next.status === 'sent') {
      report.sent += 1;
      log.info(details, 'notification delivered');
    } else if (next.status === 'failed') {
      report.failed += 1;
      log.error({ ...details, error: next.lastError }, 'notification failed for good');
    } else {
      report.retrying += 1;
      log.warn({ ...details, error: next.lastError, nextAttemptAt: next.nextAttemptAt }, 'notification failed, will retry');
    }
  }
}

/** How a target appears in logs and the API: webhook URLs masked (chat webhooks carry a secret in the path). */
export function shown(t: Target): string {
  return t.channel === 'webhook' ? maskUrl(t.address) : t.address;
}

/**
 * The view plus the calls of queued events that are no longer hot (closed entries of older days),
 * read from history first: describing stays synchronous, and drops them with the reason their status gives.
 */
async function withHistory(view: DescribeView, store: Store, queued: readonly OutboxItem[]): Promise<DescribeView> {
  const old = new Map<string, MissedCall>();
  for (const item of queued) {
    const id = 'callId' in item.event ? item.event.callId : undefined;
    if (id === undefined || old.has(id) || view.missedCall(id) !== undefined) continue;
    const m = await store.history.missedCall(id);
    if (m !== undefined) old.set(id, m);
  }
  return old.size === 0 ? view : { ...view, missedCall: (id) => view.missedCall(id) ?? old.get(id) };
}
