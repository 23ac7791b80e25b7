import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { auth, createPhone, createTeam, fire, type DeskPhone } from '../support/office.ts';
import { pathOf } from '../support/phone-sim.ts';

const CALLER = { remote: 'sip:+4930123456@pbx.example.com', display_remote: '"Dora Schmidt"' };
let t: TestApp;
let phones: DeskPhone[];

async function openMissed() {
  const r = await request(t.app).get('/api/missed-calls?status=pending').set(auth).expect(200);
  return (r.body as { items: { caller: { number: string; name: string }; attempts: number; status: string; returned: unknown }[] }).items;
}

function ev(p: DeskPhone, callId: string, extra: Record<string, string> = {}) {
  return { mac: p.mac, active_user: p.extension, call_id: callId, firmware: '108.86.0.20', model: 'SIP-T46U', ...CALLER, ...extra };
}

describe('a Yealink ring group end to end', () => {
  before(async () => {
    t = await startTestApp();
  });
  after(async () => t.close());
  beforeEach(async () => {
    await t.close();
    t = await startTestApp();
    const team = await createTeam(t.app, { name: 'Reception', extensions: ['11', '12', '13'], timeZone: 'Europe/Berlin' });
    phones = [];
    for (const ext of ['11', '12', '13']) {
      phones.push(await createPhone(t.app, { mac: `805ec00000${ext}`, vendor: 'yealink', extension: ext, label: `Desk ${ext}`, teamIds: [team] }));
    }
  });

  test('three phones each reporting incoming and missed for one caller give ONE missed call', async () => {
    for (const p of phones) await fire(t.app, p, 'action_url.incoming_call', ev(p, '101'));
    t.clock.advance(25);
    for (const p of phones) await fire(t.app, p, 'action_url.missed_call', ev(p, '101'));
    const open = await openMissed();
    assert.equal(open.length, 1);
    assert.deepEqual(open[0]?.caller, { number: '+4930123456', national: '030 123456', name: 'Dora Schmidt', raw: 'sip:+4930123456@pbx.example.com', contact: null, crmUrl: null });
  });

  test('one phone answering means no missed call', async () => {
    for (const p of phones) await fire(t.app, p, 'action_url.incoming_call', ev(p, '102'));
    t.clock.advance(6);
    await fire(t.app, phones[1]!, 'action_url.call_established', ev(phones[1]!, '102'));
    await fire(t.app, phones[0]!, 'action_url.missed_call', ev(phones[0]!, '102'));
    await fire(t.app, phones[2]!, 'action_url.missed_call', ev(phones[2]!, '102'));
    assert.equal((await openMissed()).length, 0);
  });

  test('one phone answering means no missed call, also when the missed events arrive before the answer', async () => {
    for (const p of phones) await fire(t.app, p, 'action_url.incoming_call', ev(p, '103'));
    t.clock.advance(6);
    await fire(t.app, phones[0]!, 'action_url.missed_call', ev(phones[0]!, '103'));
    await fire(t.app, phones[2]!, 'action_url.missed_call', ev(phones[2]!, '103'));
    t.clock.advance(1);
    await fire(t.app, phones[1]!, 'action_url.call_established', ev(phones[1]!, '103'));
    assert.equal((await openMissed()).length, 0);
    const calls = await request(t.app).get('/api/calls').set(auth).expect(200);
    assert.deepEqual((calls.body as { items: { outcome: string }[] }).items.map((c) => c.outcome), ['answered']);
  });

  test('the same event delivered twice changes nothing', async () => {
    await fire(t.app, phones[0]!, 'action_url.incoming_call', ev(phones[0]!, '104'));
    t.clock.advance(20);
    await fire(t.app, phones[0]!, 'action_url.missed_call', ev(phones[0]!, '104'));
    const once = await request(t.app).get('/api/missed-calls').set(auth).expect(200);
    await fire(t.app, phones[0]!, 'action_url.missed_call', ev(phones[0]!, '104'));
    await fire(t.app, phones[0]!, 'action_url.incoming_call', ev(phones[0]!, '104'));
    const twice = await request(t.app).get('/api/missed-calls').set(auth).expect(200);
    assert.deepEqual(twice.body, once.body);
  });

  test('the same caller three times in ten minutes is one entry with three attempts', async () => {
    for (const [i, gap] of [0, 240, 300].entries()) {
      t.clock.advance(gap);
      for (const p of phones) await fire(t.app, p, 'action_url.incoming_call', ev(p, `20${i}`));
      t.clock.advance(20);
      for (const p of phones) await fire(t.app, p, 'action_url.missed_call', ev(p, `20${i}`));
    }
    const open = await openMissed();
    assert.equal(open.length, 1);
    assert.equal(open[0]?.attempts, 3);
  });

  test("a team phone's callback to the caller, dialled in another format, marks it returned via auto once it connects", async () => {
    for (const p of phones) await fire(t.app, p, 'action_url.incoming_call', ev(p, '105'));
    t.clock.advance(20);
    for (const p of phones) await fire(t.app, p, 'action_url.missed_call', ev(p, '105'));
    t.clock.advance(300);
    await fire(t.app, phones[2]!, 'action_url.outgoing_call', ev(phones[2]!, '106', { remote: 'sip:030123456@pbx.example.com', display_remote: '' }));
    t.clock.advance(8);
    await fire(t.app, phones[2]!, 'action_url.call_established', ev(phones[2]!, '106', { remote: 'sip:030123456@pbx.example.com', display_remote: '' }));
    const all = await request(t.app).get('/api/missed-calls').set(auth).expect(200);
    const [entry] = (all.body as { items: { status: string; returned: { by: string; via: string } }[] }).items;
    assert.equal(entry?.status, 'returned');
    assert.equal(entry?.returned.via, 'auto');
    assert.equal(entry?.returned.by, 'Desk 13');
  });

  test("an event updates the phone's lastSeen, firmware and model", async () => {
    await fire(t.app, phones[0]!, 'action_url.registered', ev(phones[0]!, ''));
    const r = await request(t.app).get(`/api/phones/${phones[0]!.mac}`).set(auth).expect(200);
    const p = r.body as { lastSeen: { via: string; at: string }; firmware: string };
    assert.equal(p.lastSeen.via, 'event');
    assert.equal(p.lastSeen.at, t.clock.now().toISOString());
    assert.equal(p.firmware, '108.86.0.20');
  });

  test('a phone that polls its list and reports calls in turn rewrites its last contact once per 10 s, not at every request', async () => {
    const phone = phones[0]!;
    const lastSeen = async () => ((await request(t.app).get(`/api/phones/${phone.mac}`).set(auth).expect(200)).body as { lastSeen: { via: string; at: string } }).lastSeen;
    t.clock.advance(60);
    await fire(t.app, phone, 'action_url.registered', ev(phone, ''));
    const first = await lastSeen();
    const revision = t.store.revision();
    for (let i = 0; i < 3; i++) {
      t.clock.advance(2);
      await request(t.app).get(pathOf(phone.screen)).expect(200);
      await fire(t.app, phone, 'action_url.registered', ev(phone, ''));
    }
    assert.deepEqual(await lastSeen(), first, 'within 10 s the record stays as the first request wrote it');
    assert.equal(t.store.revision(), revision, 'nothing was written for the six requests');
    t.clock.advance(5);
    await request(t.app).get(pathOf(phone.screen)).expect(200);
    assert.deepEqual(await lastSeen(), { ...first, at: t.clock.now().toISOString(), via: 'screen' }, 'after 10 s the list poll is the last contact');
  });

  test('an unknown token gets 403 and nothing is recorded', async () => {
    const url = phones[0]!.events['action_url.missed_call']!.replace(/t=[^&]+/, 't=not-a-token');
    const r = await request(t.app).get(url.replace(/^https?:\/\/[^/]+/, '').replace(/\$\w+/g, '1'));
    assert.equal(r.status, 403);
    assert.equal(r.text, '');
    const calls = await request(t.app).get('/api/calls').set(auth).expect(200);
    assert.equal((calls.body as { items: unknown[] }).items.length, 0);
  });
});

test('a token used from a phone that states another MAC gets 403 and nothing is recorded', async () => {
  const app = await startTestApp();
  try {
    const team = await createTeam(app.app, { name: 'Reception', extensions: ['11'] });
    const desk = await createPhone(app.app, { mac: '805ec0000011', vendor: 'yealink', extension: '11', teamIds: [team] });
    const url = desk.events['action_url.missed_call']!
      .replace('$mac', '805ec0ffffff').replace(/\$\w+/g, '').replace(/^https?:\/\/[^/]+/, '');
    const r = await request(app.app).get(url);
    assert.equal(r.status, 403);
    const calls = await request(app.app).get('/api/calls').set(auth).expect(200);
    assert.equal((calls.body as { items: unknown[] }).items.length, 0);
  } finally {
    await app.close();
  }
});
