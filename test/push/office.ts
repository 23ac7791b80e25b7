/**
 * Test support: a running Ringback (real HTTP on 127.0.0.1, so a Cisco emulator can fetch the page
 * its push names) with a team, a Yealink that reports the team's calls, and the push service on
 * the test's clock.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { auth, createPhone, createTeam, fire, type DeskPhone } from '../support/office.ts';
import { ManualScheduler } from './manual-scheduler.ts';

export const SECRET = 'push-secret-0123456789';
export const WINDOW_SECONDS = 3;
export const CORRELATION_SECONDS = 30;
export const RING_SECONDS = 20;

export interface PushOffice {
  t: TestApp;
  scheduler: ManualScheduler;
  base: string;
  team: string;
  /** A Yealink in the team that reports the calls (its own pushes are off). */
  reporter: DeskPhone;
  /** Callers ring the team together for RING_SECONDS and nobody answers (the reporter's incoming + missed). */
  miss(...callers: string[]): Promise<void>;
  /** Let the correlation window pass (the misses settle) and run what falls due. */
  settle(): void;
  phone(mac: string): Promise<{ push: Record<string, unknown> }>;
  openIds(): Promise<string[]>;
  act(id: string, body: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

export async function startPushOffice(env: Record<string, string> = {}): Promise<PushOffice> {
  // Listen first: the public URL (in the Cisco push) must name the real port.
  let handler: ((req: never, res: never) => void) | null = null;
  const server: Server = createServer((req, res) => { if (handler === null) res.writeHead(503).end(); else handler(req as never, res as never); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let scheduler: ManualScheduler | null = null;
  const t = await startTestApp({
    windowSeconds: CORRELATION_SECONDS,
    env: { RINGBACK_PUSH: 'true', RINGBACK_PUBLIC_URL: base, RINGBACK_PUSH_WINDOW_SECONDS: String(WINDOW_SECONDS), RINGBACK_PUSH_REFRESH_SECONDS: '0', RINGBACK_PUSH_TIMEOUT_MS: '1500', ...env },
    pushScheduler: (clock) => (scheduler = new ManualScheduler(clock)),
  });
  handler = t.app as never;
  const team = await createTeam(t.app, { name: 'Front desk', extensions: ['11', '12', '13', '14'] });
  const reporter = await createPhone(t.app, { mac: '805ec0000011', vendor: 'yealink', extension: '11', teamIds: [team], push: { enabled: false } });
  let call = 0;
  const sched = scheduler as ManualScheduler | null;
  if (sched === null) throw new Error('the push service was not given the test scheduler');
  return {
    t, scheduler: sched, base, team, reporter,
    async miss(...callers) {
      const calls = callers.map((caller) => ({ mac: reporter.mac, active_user: '11', remote: `sip:${caller}@pbx`, call_id: String(++call) }));
      for (const values of calls) await fire(t.app, reporter, 'action_url.incoming_call', values);
      // Rang long enough to count (a shorter ring is "hung up early", not missed).
      sched.advance(RING_SECONDS);
      for (const values of calls) await fire(t.app, reporter, 'action_url.missed_call', values);
    },
    settle() {
      sched.advance(CORRELATION_SECONDS + 1);
    },
    async phone(mac) {
      return (await request(t.app).get(`/api/phones/${mac}`).set(auth).expect(200)).body as { push: Record<string, unknown> };
    },
    async openIds() {
      const r = await request(t.app).get(`/api/missed-calls?team=${team}`).set(auth).expect(200);
      return (r.body as { items: { id: string; status: string }[] }).items.filter((m) => m.status === 'pending' || m.status === 'assigned').map((m) => m.id);
    },
    async act(id, body) {
      await request(t.app).post(`/api/missed-calls/${id}/actions`).set(auth).send(body).expect(200);
    },
    async close() {
      await t.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
