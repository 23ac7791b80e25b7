/**
 * @module The notifier: one `tick(now)` runs escalation, announcements and digests for every team
 * with notification settings, then batches and delivers the outbox. Ticks never overlap; a tick
 * writes nothing when nothing is due.
 */
import type { HealthIncident } from '../domain/incidents.ts';
import type { QuietHours } from '../domain/quiet-hours.ts';
import type { Change, Store } from '../store/types.ts';
import { scanTeam } from './call-events.ts';
import type { DescribeView } from './describe.ts';
import { createOutbox, type Outbox, type OutboxLog } from './outbox.ts';
import { buildSettings, notifySettingsInput, type NotifyDefaults, type TeamNotifySettings } from './settings.ts';
import { describeIssues } from '../domain/issues.ts';
import type { Recipient, Senders } from './types.ts';
import { noVip, type IsVip } from './vip.ts';
import { invalid, notFound, type Result } from '../domain/result.ts';
import { retryOnConflict } from '../cluster/retry.ts';

export interface AdminNotify {
  /** Who hears about offline phones and likely faults. */
  recipients: Recipient[];
  quietHours: QuietHours | null;
  /** Zone of the admins' quiet hours and of times in their notices. */
  timeZone: string;
  windowMinutes: number;
}

export interface NotifierOptions {
  store: Store;
  senders: Senders;
  defaults: NotifyDefaults;
  admins: AdminNotify;
  isVip?: IsVip;
  /** A caller's directory name, shown in messages instead of what the PBX sent. */
  contactName?: (callerKey: string) => string | undefined;
  /** The dashboard URL of an entry (from `RINGBACK_PUBLIC_URL`); absent = messages carry no link. */
  entryUrl?: (callId: string) => string;
  log: OutboxLog;
  maxAttempts?: number;
  newId?: () => string;
}

export interface TickReport {
  escalated: number;
  queued: number;
  messages: number;
  dropped: number;
  sent: number;
  retrying: number;
  failed: number;
}

export type SettingsResult = Result<TeamNotifySettings>;

export interface Notifier {
  /** Escalate, announce, digest, then compose and deliver. A call during a tick joins that tick. */
  tick(now: Date): Promise<TickReport>;
  /** Queues an alert per newly opened incident for the admins; returns the items queued. */
  alertAdmins(incidents: readonly HealthIncident[], now: Date): Promise<number>;
  settings(teamId: string): TeamNotifySettings | undefined;
  saveSettings(teamId: string, body: unknown, now: Date): Promise<SettingsResult>;
  deleteSettings(teamId: string): Promise<boolean>;
  readonly defaults: NotifyDefaults;
  readonly outbox: Outbox;
  /** Closes the senders (SMTP connections); call after the last tick. */
  close(): Promise<void>;
}

export function createNotifier(opts: NotifierOptions): Notifier {
  const { store, admins } = opts;
  const isVip = opts.isVip ?? noVip;
  const view: DescribeView = {
    team: (id) => store.team(id), missedCall: (id) => store.missedCall(id), openMissed: (team) => store.openMissed(team),
    isVip, timeZone: admins.timeZone,
    ...(opts.contactName === undefined ? {} : { contactName: opts.contactName }),
    ...(opts.entryUrl === undefined ? {} : { entryUrl: opts.entryUrl }),
  };
  const outbox = createOutbox({
    store, senders: opts.senders, log: opts.log, view,
    ...(opts.maxAttempts === undefined ? {} : { maxAttempts: opts.maxAttempts }),
    ...(opts.newId === undefined ? {} : { newId: opts.newId }),
  });
  let running: Promise<TickReport> | null = null;

  async function run(nowDate: Date): Promise<TickReport> {
    const now = nowDate.toISOString();
    // Escalation history and the items it queues land in one commit: a step is never recorded unsent
    // or sent unrecorded. Refused because another instance changed one of those entries first (a
    // claim there), it is scanned again on what that instance committed.
    const { escalated, queued } = await retryOnConflict(async () => {
      const scanned = scan(now);
      if (scanned.changes.length > 0) await store.commit(scanned.changes);
      return scanned;
    });
    const composed = await outbox.compose(now);
    const delivered = await outbox.deliver(now);
    return { escalated, queued, messages: composed.messages, dropped: composed.dropped, ...delivered };
  }

  /** Synchronous from reading the calls to returning the changes, so no user action can slip in between. */
  function scan(now: string): { changes: Change[]; escalated: number; queued: number } {
    const changes: Change[] = [];
    const pending = new Set<string>();
    let escalated = 0;
    let queued = 0;
    for (const settings of store.list('notifySettings')) {
      const team = store.team(settings.id);
      if (team === undefined) continue;
      const result = scanTeam(team, settings, store.openMissed(team.id), now, isVip);
      for (const call of result.calls) changes.push({ t: 'missed', v: call });
      escalated += result.calls.length;
      for (const r of result.routed) {
        const items = outbox.queue(r.event, r.recipients, r.rules, now, pending);
        queued += items.length;
        changes.push(...items);
      }
    }
    return { changes, escalated, queued };
  }

  return {
    defaults: opts.defaults,
    outbox,
    tick(now) {
      running ??= run(now).finally(() => {
        running = null;
      });
      return running;
    },
    async alertAdmins(incidents, nowDate) {
      const now = nowDate.toISOString();
      const rules = { urgent: false, quiet: admins.quietHours, timeZone: admins.timeZone, windowMinutes: admins.windowMinutes };
      return retryOnConflict(async () => {
        const pending = new Set<string>();
        const changes = incidents.flatMap((incident) => outbox.queue(
          { kind: 'incident', key: `incident:${incident.id}`, at: incident.openedAt, incident }, admins.recipients, rules, now, pending));
        if (changes.length > 0) await store.commit(changes);
        return changes.length;
      });
    },
    settings: (teamId) => store.get('notifySettings', teamId),
    async saveSettings(teamId, body, nowDate) {
      if (store.team(teamId) === undefined) return notFound('team');
      const parsed = notifySettingsInput.safeParse(body);
      if (!parsed.success) return invalid(describeIssues(parsed.error));
      const settings = buildSettings(teamId, parsed.data, opts.defaults, store.get('notifySettings', teamId), nowDate.toISOString());
      await store.commit([{ t: 'put', c: 'notifySettings', id: teamId, v: settings }]);
      return { ok: true, value: settings };
    },
    async deleteSettings(teamId) {
      if (store.get('notifySettings', teamId) === undefined) return false;
      await store.commit([{ t: 'del', c: 'notifySettings', id: teamId }]);
      return true;
    },
    async close() {
      await Promise.all([opts.senders.email?.close?.(), opts.senders.webhook?.close?.()]);
    },
  };
}
