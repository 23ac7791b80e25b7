/** Test support: the real app with the follow-up services (notifier, retention, phone health) on the test clock. */
import { auditRetention, createAudit } from '../../src/services/audit.ts';
import { Writable } from 'node:stream';
import request from 'supertest';
import { createLogger } from '../../src/log.ts';
import { emailSender } from '../../src/notify/email-sender.ts';
import { createNotifier, type Notifier, type TickReport } from '../../src/notify/notifier.ts';
import type { Recipient } from '../../src/notify/types.ts';
import type { IsVip } from '../../src/notify/vip.ts';
import { webhookSender } from '../../src/notify/webhook-sender.ts';
import { createPhoneHealth, type PhoneHealth } from '../../src/services/phone-health.ts';
import { createRetention, type Retention } from '../../src/services/retention.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { auth, createPhone, createTeam, fire, type DeskPhone } from '../support/office.ts';

export const NOTIFY_SECRET = 'notify-webhook-secret-0123456789';
export const BERLIN = 'Europe/Berlin';

export interface FollowUpOptions {
  dir?: string;
  smtpUrl?: string;
  admins?: Recipient[];
  isVip?: IsVip;
  retentionDays?: number;
  offlineMinutes?: number;
  /** The server's start (settling window), default the test clock's start. */
  startedAt?: string;
}

export interface FollowUpApp extends TestApp {
  notifier: Notifier;
  retention: Retention;
  phoneHealth: PhoneHealth;
  /** What the follow-up services logged (JSON lines). */
  followUpLogs: string[];
  /** One notify tick at the test clock's now. */
  tick(): Promise<TickReport>;
}

export async function startFollowUpApp(opts: FollowUpOptions = {}): Promise<FollowUpApp> {
  const followUpLogs: string[] = [];
  const log = createLogger('debug', new Writable({ write(chunk: Buffer, _enc, done) { followUpLogs.push(chunk.toString()); done(); } }));
  let built: { notifier: Notifier; retention: Retention; phoneHealth: PhoneHealth } | undefined;
  const t = await startTestApp({
    ...(opts.dir === undefined ? {} : { dir: opts.dir }),
    extend: ({ store, clock }) => {
      const notifier = createNotifier({
        store, log,
        senders: {
          webhook: webhookSender({ secret: NOTIFY_SECRET, timeoutMs: 5000 }),
          email: opts.smtpUrl === undefined ? null : emailSender({ url: opts.smtpUrl, from: 'Ringback <ringback@example.com>', timeoutMs: 5000 }),
        },
        defaults: { targetMinutes: 30, stepMinutes: 30, windowMinutes: 10, quietHours: null },
        admins: { recipients: opts.admins ?? [], quietHours: null, timeZone: BERLIN, windowMinutes: 10 },
        ...(opts.isVip === undefined ? {} : { isVip: opts.isVip }),
      });
      const audit = createAudit({ store, now: clock.now });
      const retention = createRetention({
        store, days: opts.retentionDays ?? 30, outbox: notifier.outbox, log, onRun: (run) => auditRetention(audit, run),
      });
      const phoneHealth = createPhoneHealth({
        store, thresholdMs: (opts.offlineMinutes ?? 60) * 60_000, startedAt: opts.startedAt ?? clock.now().toISOString(), log,
        alert: (opened, now) => notifier.alertAdmins(opened, now),
      });
      built = { notifier, retention, phoneHealth };
      return { followUp: built };
    },
  });
  if (built === undefined) throw new Error('startTestApp did not call extend');
  const services = built;
  return {
    ...t, ...services, followUpLogs,
    tick: () => services.notifier.tick(t.clock.now()),
    async close() {
      await services.notifier.close();
      await t.close();
    },
  };
}

/** A team of two desk phones (11, 12), always open, with the given notification settings. */
export async function office(t: TestApp, notify: object, team: object = {}): Promise<{ teamId: string; phones: DeskPhone[] }> {
  const teamId = await createTeam(t.app, { name: 'Reception', extensions: ['11', '12'], timeZone: BERLIN, ...team });
  const phones = [
    await createPhone(t.app, { mac: '805ec0000011', vendor: 'yealink', extension: '11', label: 'Desk 11', userName: 'Anna', teamIds: [teamId] }),
    await createPhone(t.app, { mac: '805ec0000012', vendor: 'yealink', extension: '12', label: 'Desk 12', userName: 'Ben', teamIds: [teamId] }),
  ];
  await request(t.app).put(`/api/teams/${teamId}/notify`).set(auth).send(notify).expect(200);
  return { teamId, phones };
}

export interface Caller {
  number: string;
  name: string;
}

export const DORA: Caller = { number: '+4930123456', name: 'Dora Schmidt' };

/** A call that rings both phones for 20 s and is missed on both. */
export async function missedCall(t: TestApp, phones: DeskPhone[], caller: Caller, callId: string): Promise<void> {
  for (const p of phones) await fire(t.app, p, 'action_url.incoming_call', ev(p, caller, callId));
  t.clock.advance(20);
  for (const p of phones) await fire(t.app, p, 'action_url.missed_call', ev(p, caller, callId));
}

export function ev(p: DeskPhone, caller: Caller, callId: string): Record<string, string> {
  return { mac: p.mac, active_user: p.extension, call_id: callId, remote: `sip:${caller.number}@pbx.example.com`, display_remote: `"${caller.name}"` };
}

/** The missed-call list as the API shows it. */
export async function missedList(t: TestApp): Promise<{ id: string; attempts: number; status: string; history: { action: string; via: string; note?: string }[] }[]> {
  const r = await request(t.app).get('/api/missed-calls').set(auth).expect(200);
  return (r.body as { items: { id: string; attempts: number; status: string; history: { action: string; via: string }[] }[] }).items;
}
