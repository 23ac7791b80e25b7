/** Test support: the real app with the follow-up services (notifier, retention, phone health) on the test clock. */
import request from 'supertest';
import type { Notifier, TickReport } from '../../src/notify/notifier.ts';
import type { Recipient } from '../../src/notify/types.ts';
import type { PhoneHealth } from '../../src/services/phone-health.ts';
import type { Retention } from '../../src/services/retention.ts';
import type { DurableStore } from '../../src/store/durable-store.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { auth, createPhone, createTeam, fire, type DeskPhone } from '../support/office.ts';

export const NOTIFY_SECRET = 'notify-webhook-secret-0123456789';
export const BERLIN = 'Europe/Berlin';

export interface FollowUpOptions {
  dir?: string;
  smtpUrl?: string;
  admins?: Recipient[];
  /** RINGBACK_PUBLIC_URL: messages link to the entry. */
  publicUrl?: string;
  retentionDays?: number;
  offlineMinutes?: number;
  /** The server's start (settling window), default the test clock's start. */
  startedAt?: string;
  /** A store the test opened (two instances on one PostgreSQL database); closed with the app. */
  store?: DurableStore;
}

export interface FollowUpApp extends TestApp {
  notifier: Notifier;
  retention: Retention;
  phoneHealth: PhoneHealth;
  /** What the follow-up services logged (JSON lines): the app's one log. */
  followUpLogs: string[];
  /** One notify tick at the test clock's now. */
  tick(): Promise<TickReport>;
}

/** The app as src/compose.ts builds it, with these follow-up settings given as their RINGBACK_* variables. */
export async function startFollowUpApp(opts: FollowUpOptions = {}): Promise<FollowUpApp> {
  const t = await startTestApp({
    ...(opts.dir === undefined ? {} : { dir: opts.dir }),
    ...(opts.startedAt === undefined ? {} : { startedAt: new Date(opts.startedAt) }),
    ...(opts.store === undefined ? {} : { store: opts.store }),
    env: {
      RINGBACK_NOTIFY_WEBHOOK_SECRET: NOTIFY_SECRET, RINGBACK_SMTP_FROM: 'Ringback <ringback@example.com>',
      ...(opts.smtpUrl === undefined ? {} : { RINGBACK_SMTP_URL: opts.smtpUrl }),
      ...(opts.publicUrl === undefined ? {} : { RINGBACK_PUBLIC_URL: opts.publicUrl }),
      ...(opts.admins === undefined ? {} : { RINGBACK_NOTIFY_ADMINS: opts.admins.map((r) => r.email ?? r.webhook ?? '').join(',') }),
      RINGBACK_NOTIFY_WINDOW_MINUTES: '10', RINGBACK_CALLBACK_TARGET_MINUTES: '30', RINGBACK_ESCALATION_STEP_MINUTES: '30',
      RINGBACK_RETENTION_DAYS: String(opts.retentionDays ?? 30), RINGBACK_OFFLINE_MINUTES: String(opts.offlineMinutes ?? 60),
    },
  });
  const { notifier, retention, phoneHealth } = t.services.followUp;
  return {
    ...t, notifier, retention, phoneHealth, followUpLogs: t.logs,
    tick: () => notifier.tick(t.clock.now()),
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
