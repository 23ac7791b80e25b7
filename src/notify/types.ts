/**
 * @module The notification contract: who is told (recipients, targets), what (events, the
 * documented webhook payload) and the persisted outbox records that carry it across restarts.
 */
import type { EscalationStep } from '../domain/escalation.ts';
import type { HealthIncident } from '../domain/incidents.ts';
import type { QuietHours } from '../domain/quiet-hours.ts';
import type { Instant, MissedStatus } from '../domain/types.ts';

declare module '../store/types.ts' {
  interface Collections {
    outboxItems: OutboxItem;
    outboxMessages: OutboxMessage;
  }
}

/** A person or a channel, reached by email, webhook or both. */
export interface Recipient {
  name: string;
  email?: string;
  /** http(s) URL that receives the signed JSON payload. */
  webhook?: string;
}

/** One way to reach one recipient: the unit of idempotency, batching and delivery. */
export interface Target {
  channel: 'email' | 'webhook';
  /** Email address or webhook URL. */
  address: string;
  name: string;
}

/** What happened, as recorded when it is queued; described afresh just before it is sent. */
export type NotifyEvent =
  | { kind: 'missed'; key: string; at: Instant; teamId: string; callId: string }
  | { kind: 'escalation'; key: string; at: Instant; teamId: string; callId: string; step: EscalationStep;
    targetMinutes: number; businessMinutes: number; claimer: string | null }
  | { kind: 'morning-digest'; key: string; at: Instant; teamId: string; opening: Instant }
  | { kind: 'incident'; key: string; at: Instant; incident: HealthIncident };

/** Rules a queued item is delivered under. */
export interface DeliveryRules {
  /** Sent at once, through quiet hours and the digest window (VIP callers). */
  urgent: boolean;
  /** Held while quiet in `timeZone`. */
  quiet: QuietHours | null;
  timeZone: string;
  /** At most one message per this many minutes to the target; the rest wait and are batched. */
  windowMinutes: number;
}

/** One event for one target. Its id derives from `key`, so the same event is queued once per target. */
export interface OutboxItem extends DeliveryRules {
  id: string;
  /** `<event key>|<channel>:<address>`: the idempotency key. */
  key: string;
  target: Target;
  event: NotifyEvent;
  createdAt: Instant;
  status: 'queued' | 'batched' | 'dropped';
  /** The message that carries it, once batched. */
  messageId: string | null;
  /** Why it was dropped (the call was handled before it went out…). */
  reason: string | null;
}

/** One delivery to one target, carrying one or more items; retried with back-off until it goes through. */
export interface OutboxMessage {
  /** Also the delivery id the receiver sees (`X-Ringback-Delivery`, the email's Message-ID): the same on every retry. */
  id: string;
  target: Target;
  itemIds: string[];
  /** Rendered once, so every retry sends the same content. */
  payload: NotificationPayload;
  createdAt: Instant;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  nextAttemptAt: Instant;
  lastError: string | null;
  sentAt: Instant | null;
  /**
   * When an instance claimed it to send it (committed before the send starts); absent while no send
   * is in flight. Another instance (or a restart) leaves a claimed message alone until CLAIM_MS
   * have passed: then the claimer is taken to have died mid-send and it is sent again.
   */
  sendingSince?: Instant;
}

// --- The payload (webhook body; emails are rendered from it). Documented in README "Notifications". ---

export interface NotificationPayload {
  /** The delivery id: the same on every retry of this message; receivers dedupe on it. */
  id: string;
  type: 'ringback.notification';
  createdAt: Instant;
  recipient: { name: string };
  /** One line: a chat message's text, an email's subject, a ticket's title. */
  summary: string;
  /** Plain text of every item, for chat tools that post `text` as is. */
  text: string;
  items: NotificationItem[];
}

/** `test`: sent only by the dashboard's "send a test" button, straight to a recipient (never queued). */
export type NotificationKind = 'missed' | 'escalation' | 'morning-digest' | 'phone-offline' | 'extension-missed-share' | 'team-all-missed' | 'test';

export interface NotificationItem {
  /** Stable per event and the same for every recipient (`missed:<call id>`…): a ticket's external id. */
  key: string;
  kind: NotificationKind;
  at: Instant;
  /** high: a VIP caller, or the ladder has reached a manager. */
  priority: 'normal' | 'high';
  title: string;
  text: string;
  team: { id: string; name: string } | null;
  /** The missed calls concerned, as they stood when the message was composed. */
  calls: CallSummary[];
  /** morning-digest: the same calls grouped by caller. */
  callers?: CallerSummary[];
  escalation?: { step: EscalationStep; targetMinutes: number; businessMinutes: number; claimer: string | null };
  incident?: { id: string; subject: string; since: Instant; details: Record<string, unknown> };
  /** The entry on the dashboard (`RINGBACK_PUBLIC_URL/#/calls?id=…`), when the public URL is set. */
  link?: string;
}

export interface CallSummary {
  id: string;
  caller: { number: string; name: string; vip: boolean };
  team: string;
  extension: string;
  firstAt: Instant;
  lastAt: Instant;
  attempts: number;
  afterHours: boolean;
  status: MissedStatus;
  assignee: string | null;
}

export interface CallerSummary {
  number: string;
  name: string;
  vip: boolean;
  calls: number;
  attempts: number;
  firstAt: Instant;
  lastAt: Instant;
  callIds: string[];
}

// --- Senders ---

/** `answer`: what the receiver said (an HTTP status and the start of its body, an SMTP reply), for the dashboard's test button. */
export type SendResult = { ok: true; answer?: string } | { ok: false; error: string; permanent: boolean };

/** One channel's delivery. Never throws: a failure is a result the outbox retries or gives up on. */
export interface Sender {
  send(message: Pick<OutboxMessage, 'id' | 'target' | 'payload'>): Promise<SendResult>;
  close?(): Promise<void>;
}

export interface Senders {
  email: Sender | null;
  webhook: Sender | null;
}
