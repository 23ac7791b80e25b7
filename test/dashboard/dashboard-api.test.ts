/**
 * The server side of the dashboard without a browser: the live event stream (who hears what, and
 * until when), the phone-screen preview and the Teams/Phones overviews, with their role limits.
 */
import assert from 'node:assert/strict';
import { get, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Server } from 'node:http';
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { auth, createPhone, createTeam, fire, type DeskPhone } from '../support/office.ts';
import { until } from '../support/until.ts';
import { vendors } from '../../src/vendors/index.ts';

let t: TestApp;
let server: Server;
let base: string;
let teamA: string;
let teamB: string;
let deskA: DeskPhone;
let deskB: DeskPhone;

before(async () => {
  t = await startTestApp();
  server = t.app.listen(0, '127.0.0.1');
  await new Promise((ok) => server.once('listening', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  teamA = await createTeam(t.app, { name: 'Reception', extensions: ['11'], timeZone: 'Europe/Berlin' });
  teamB = await createTeam(t.app, { name: 'Accounts', extensions: ['21'], timeZone: 'Europe/Berlin' });
  deskA = await createPhone(t.app, { mac: '805ec0bb0011', vendor: 'yealink', extension: '11', label: 'Desk A', userName: 'Anna', teamIds: [teamA] });
  deskB = await createPhone(t.app, { mac: '805ec0bb0021', vendor: 'yealink', extension: '21', label: 'Desk B', userName: 'Bo', teamIds: [teamB] });
});

after(async () => {
  server.closeAllConnections();
  await new Promise((ok) => server.close(ok));
  await t.close();
});

async function token(body: object): Promise<{ token: string; id: string }> {
  const r = await request(t.app).post('/api/tokens').set(auth).send(body).expect(201);
  return r.body as { token: string; id: string };
}

/** A phone misses a call from `number`: ringing, 25 s, missed (as a Yealink reports it). */
async function missedCall(desk: DeskPhone, callId: string, number: string, name: string): Promise<void> {
  const ev = { mac: desk.mac, active_user: desk.extension, call_id: callId, remote: `sip:${number}@pbx`, display_remote: `"${name}"` };
  await fire(t.app, desk, 'action_url.incoming_call', ev);
  t.clock.advance(25);
  await fire(t.app, desk, 'action_url.missed_call', ev);
}

interface Stream {
  events: { event: string; data: unknown }[];
  ended: Promise<void>;
  close(): void;
}

/** Opens `/api/live` and collects its events as they arrive. */
function openStream(bearer: string): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = get(`${base}/api/live`, { headers: { Authorization: `Bearer ${bearer}`, Accept: 'text/event-stream' } }, (res: IncomingMessage) => {
      if (res.statusCode !== 200) return reject(new Error(`live: ${res.statusCode}`));
      const events: Stream['events'] = [];
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let cut;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event !== undefined && data !== undefined) events.push({ event, data: JSON.parse(data) as unknown });
        }
      });
      const ended = new Promise<void>((ok) => res.once('end', ok));
      resolve({ events, ended, close: () => req.destroy() });
    });
    req.on('error', reject);
  });
}

const changes = (s: Stream) => s.events.filter((e) => e.event === 'change').flatMap((e) => (e.data as { events: { kind: string; team?: string }[] }).events);

describe('the dashboard API', () => {
  test('the live stream tells an agent about their own team\'s calls and nothing about other teams or phones', async () => {
    const agent = await token({ name: 'Anna', role: 'agent', teams: [teamA] });
    const stream = await openStream(agent.token);
    try {
      await until(() => stream.events.some((e) => e.event === 'hello'), 'the stream to open');
      await missedCall(deskB, 'b-1', '+4930111001', 'Other Team Caller');
      await missedCall(deskA, 'a-1', '+4930111002', 'Own Team Caller');
      await until(() => changes(stream).some((e) => e.kind === 'missed' && e.team === teamA), 'the own team\'s missed call');
      const heard = changes(stream);
      assert.ok(heard.every((e) => e.team === undefined || e.team === teamA), `only team A: ${JSON.stringify(heard)}`);
      assert.ok(!heard.some((e) => e.kind === 'phone'), 'agents do not see phones');
      assert.ok(!JSON.stringify(stream.events).includes('+4930'), 'no caller data travels on the stream');
    } finally {
      stream.close();
    }
  });

  test('an admin\'s stream also hears phones being seen, and a revoked token ends the stream', async () => {
    const admin = await token({ name: 'Ops', role: 'admin' });
    const stream = await openStream(admin.token);
    await until(() => stream.events.some((e) => e.event === 'hello'), 'the stream to open');
    await missedCall(deskA, 'a-2', '+4930111003', 'Someone');
    await until(() => changes(stream).some((e) => e.kind === 'phone'), 'a phone event');
    await request(t.app).delete(`/api/tokens/${admin.id}`).set(auth).expect(204);
    t.clock.advance(60);
    await missedCall(deskB, 'b-2', '+4930111004', 'Someone Else');
    await stream.ended;
    assert.deepEqual(stream.events.at(-1), { event: 'end', data: { reason: 'signed-out' } });
  });

  test('the phone-screen preview renders the vendor\'s own screen with a placeholder where the phone\'s token goes', async () => {
    const list = await request(t.app).get('/api/dashboard/screen-preview').query({ vendor: 'cisco', team: teamA }).set(auth).expect(200);
    const body = list.body as { contentType: string; body: string; screen: { kind: string; items: { url: string }[] }; bytes: number };
    assert.match(body.contentType, /xml/);
    assert.match(body.body, /<CiscoIPPhoneMenu>/);
    assert.match(body.body, /Own Team Caller/);
    assert.doesNotMatch(body.body, /Other Team Caller/);
    assert.ok(body.body.includes('t=PHONE-TOKEN'));
    assert.ok(!body.body.includes(deskA.token) && !body.body.includes(deskB.token), 'no phone token leaves in a preview');
    const id = decodeURIComponent(/missed\/([^/?]+)\?/.exec(body.screen.items[0]?.url ?? '')?.[1] ?? '');
    const detail = await request(t.app).get('/api/dashboard/screen-preview').query({ vendor: 'yealink', team: teamA, view: 'detail', id }).set(auth).expect(200);
    assert.match((detail.body as { body: string }).body, /YealinkIPPhoneTextScreen/);
    const text = await request(t.app).get('/api/dashboard/screen-preview').query({ vendor: 'fanvil', team: teamA }).set(auth).expect(200);
    assert.match((text.body as { contentType: string }).contentType, /text\/xml/);
    assert.match((text.body as { body: string }).body, /^<\?xml[^>]*\?><FanvilIPPhoneDirectory/);
  });

  test('a manager who sees numbers masked gets masked callers in the preview, and only their teams', async () => {
    const manager = await token({ name: 'Maria', role: 'manager', teams: [teamA] });
    const bearer = { Authorization: `Bearer ${manager.token}` };
    const r = await request(t.app).get('/api/dashboard/screen-preview').query({ vendor: 'yealink', team: teamA }).set(bearer).expect(200);
    const preview = r.body as { body: string; masked: boolean };
    assert.equal(preview.masked, true);
    assert.doesNotMatch(preview.body, /4930111002/);
    await request(t.app).get('/api/dashboard/screen-preview').query({ team: teamB }).set(bearer).expect(403);
    const teams = await request(t.app).get('/api/dashboard/teams').set(bearer).expect(200);
    assert.deepEqual((teams.body as { items: { id: string; open: number }[] }).items.map((x) => [x.id, x.open]), [[teamA, 2]]);
  });

  test('the vendor list the dashboard\'s pickers show is the server\'s vendor registry, for every role', async () => {
    const agent = await token({ name: 'Ada', role: 'agent', teams: [teamA] });
    const r = await request(t.app).get('/api/dashboard/vendors').set({ Authorization: `Bearer ${agent.token}` }).expect(200);
    assert.deepEqual((r.body as { items: unknown[] }).items, Object.values(vendors).map((v) => ({ name: v.name, title: v.title })));
    await request(t.app).get('/api/dashboard/vendors').expect(401);
  });

  test('the phone overview shows state and last sign of life to managers, and is refused to agents', async () => {
    const manager = await token({ name: 'Max', role: 'manager', teams: [teamA, teamB] });
    const r = await request(t.app).get('/api/dashboard/phones').set({ Authorization: `Bearer ${manager.token}` }).expect(200);
    const phones = (r.body as { items: { mac: string; state: string; teams: { name: string }[]; lastSeen: { via: string } | null }[] }).items;
    assert.deepEqual(phones.map((p) => [p.mac, p.state, p.teams.map((x) => x.name).join(), p.lastSeen?.via]),
      [['805ec0bb0011', 'online', 'Reception', 'event'], ['805ec0bb0021', 'online', 'Accounts', 'event']]);
    assert.ok(!JSON.stringify(r.body).includes(deskA.token), 'never a phone token');
    const agent = await token({ name: 'Ali', role: 'agent', teams: [teamA] });
    await request(t.app).get('/api/dashboard/phones').set({ Authorization: `Bearer ${agent.token}` }).expect(403);
  });
});
