/**
 * Calling a caller back, end to end per vendor path with the requests each sends: the outgoing call
 * shows who is calling, an end without connecting counts a no-answer try and leaves the entry open,
 * a call that connects returns it. Yealink, Snom, Grandstream and Fanvil action URLs, Poly
 * notifications, the PBX webhook.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, test } from 'node:test';
import request from 'supertest';
import type { VendorName } from '../../src/domain/types.ts';
import { signWebhook } from '../../src/pbx/webhook.ts';
import { startTestApp, WEBHOOK_SECRET, type TestApp } from '../support/app.ts';
import { auth, createPhone, createTeam, type DeskPhone } from '../support/office.ts';
import { fillActionUrl, pathOf } from '../support/phone-sim.ts';

const CALLER = '+4930123456';
const MACS: Record<string, [string, string]> = {
  yealink: ['805ec0000011', '805ec0000012'], snom: ['000413000011', '000413000012'],
  grandstream: ['000b82000011', '000b82000012'], fanvil: ['0c383e000011', '0c383e000012'],
};

interface Entry {
  id: string;
  status: string;
  callbackAttempts: number;
  callingBack: { by: string; at: string } | null;
  callbacks: { by: string; via: string; outcome: string }[];
  returned: { by: string; outcome: string } | null;
}

let t: TestApp;
beforeEach(async () => { t = await startTestApp(); });
afterEach(async () => { await t.close(); });

async function theEntry(): Promise<Entry> {
  const r = await request(t.app).get('/api/missed-calls').set(auth).expect(200);
  const items = (r.body as { items: Entry[] }).items;
  assert.equal(items.length, 1);
  return items[0] as Entry;
}

/** The values a phone fills in, under every variable name the action-URL vendors use. */
function variables(p: DeskPhone, callId: string, remote: string): Record<string, string> {
  return {
    mac: p.mac, active_user: p.extension, remote, display_remote: '', call_id: callId, 'call-id': callId,
    firmware: '1.0', program_version: '1.0', model: 'X', product: 'X', cancel_reason: '',
  };
}

async function fireEvent(p: DeskPhone, e: string, values: Record<string, string>): Promise<void> {
  const template = Object.values(p.events).find((u) => u.includes(`e=${e}&`));
  assert.ok(template !== undefined, `no URL for e=${e}`);
  const r = await request(t.app).get(pathOf(fillActionUrl(template, values)));
  assert.equal(r.status, 200, r.text);
}

async function office(vendor: VendorName): Promise<DeskPhone[]> {
  const team = await createTeam(t.app, { name: `${vendor} team`, extensions: ['11', '12'] });
  const macs = MACS[vendor] ?? ['', ''];
  return [await createPhone(t.app, { mac: macs[0], vendor, extension: '11', userName: 'Anna', teamIds: [team] }),
    await createPhone(t.app, { mac: macs[1], vendor, extension: '12', userName: 'Ben', teamIds: [team] })];
}

async function missOn(phones: DeskPhone[], caller = CALLER): Promise<void> {
  for (const p of phones) await fireEvent(p, 'ringing', variables(p, 'in-1', `sip:${caller}@pbx.example.com`));
  t.clock.advance(20);
  for (const p of phones) await fireEvent(p, 'missed', variables(p, 'in-1', `sip:${caller}@pbx.example.com`));
  t.clock.advance(300);
}

/** Each vendor's events for "our outgoing call ended before it connected". */
const NOT_CONNECTED: Record<string, string[]> = {
  // remote_busy, cancel_callout (we hung up), call_remote_canceled, and a plain call_terminated.
  yealink: ['busy', 'cancelled', 'remote-cancelled', 'ended'],
  snom: ['ended'], grandstream: ['ended'], fanvil: ['ended'],
};

for (const vendor of ['yealink', 'snom', 'grandstream', 'fanvil'] as const) {
  describe(`${vendor}: calling the caller back`, () => {
    test(`a ${vendor} callback that does not connect is a no-answer try; one that connects returns the entry`, async () => {
      const phones = await office(vendor);
      const ben = phones[1] as DeskPhone;
      await missOn(phones);
      const national = 'sip:030123456@pbx.example.com';
      let tries = 0;
      for (const end of NOT_CONNECTED[vendor] ?? []) {
        await fireEvent(ben, 'outgoing', variables(ben, `out-${end}`, national));
        const dialling = await theEntry();
        assert.equal(dialling.status, 'pending', 'dialling is not reaching');
        assert.equal(dialling.callingBack?.by, 'Ben');
        if (vendor === 'yealink') {
          const screen = await request(t.app).get(`/phone/yealink/missed/${dialling.id}?t=${ben.token}`).expect(200);
          assert.match(screen.text, /Ben calling back…/);
        }
        t.clock.advance(25);
        await fireEvent(ben, end, variables(ben, `out-${end}`, national));
        tries += 1;
        const after = await theEntry();
        assert.deepEqual([after.status, after.callbackAttempts, after.callingBack], ['pending', tries, null], `after e=${end}`);
        assert.deepEqual(after.callbacks.at(-1), { at: t.clock.now().toISOString(), by: 'Ben', via: 'auto', outcome: 'no-answer' });
        t.clock.advance(600);
      }
      await fireEvent(ben, 'outgoing', variables(ben, 'out-ok', national));
      t.clock.advance(8);
      await fireEvent(ben, 'connected', variables(ben, 'out-ok', national));
      const reached = await theEntry();
      assert.equal(reached.status, 'returned');
      assert.deepEqual(reached.returned && { by: reached.returned.by, outcome: reached.returned.outcome }, { by: 'Ben', outcome: 'reached' });
      assert.equal(reached.callbackAttempts, tries + 1);
      await fireEvent(ben, 'ended', variables(ben, 'out-ok', national));
      assert.equal((await theEntry()).status, 'returned', 'hanging up after talking changes nothing');
    });
  });
}

describe('poly: calling the caller back', () => {
  const fixture = readFileSync(new URL('../fixtures/poly/wrapped-outgoing-call.xml', import.meta.url), 'utf8');
  /** The fixture's call as it goes when nobody picks up: no Connected, no Hold, straight to Free. */
  const unanswered = fixture.replace(/<CallStateChangeEvent CallReference="7" CallState="(Connected|Hold)">[\s\S]*?<\/CallStateChangeEvent>\n/g, '');

  async function polyOffice(): Promise<DeskPhone> {
    const team = await createTeam(t.app, { name: 'Poly team', extensions: ['4547', '11'] });
    // The fixture dials 0612345678: that is who the team missed (on a Yealink desk of the same team).
    await missOn([await createPhone(t.app, { mac: '805ec0000011', vendor: 'yealink', extension: '11', userName: 'Anna', teamIds: [team] })], '0612345678');
    return createPhone(t.app, { mac: '00907a13b900', vendor: 'polycom', extension: '4547', userName: 'Poly user', teamIds: [team] });
  }

  test('a Poly callback that goes Setup → Ringback → Free is a no-answer try; one that reaches Connected returns the entry', async () => {
    assert.ok(!unanswered.includes('Connected') && unanswered.includes('Free'));
    const poly = await polyOffice();
    const post = (body: string) => request(t.app).post(`/phone/poly/event?t=${poly.token}`).set('Content-Type', 'text/xml').send(body).expect(200);
    await post(unanswered);
    let m = await theEntry();
    assert.deepEqual([m.status, m.callbackAttempts, m.callingBack], ['pending', 1, null]);
    assert.equal(m.callbacks[0]?.by, 'Poly user');
    t.clock.advance(600);
    await post(fixture);
    m = await theEntry();
    assert.equal(m.status, 'returned');
    assert.equal(m.returned?.outcome, 'reached');
    assert.equal(m.callbackAttempts, 2);
  });
});

describe('PBX webhook: calling the caller back', () => {
  function post(body: object) {
    const text = JSON.stringify(body);
    const ts = String(Math.floor(t.clock.ms / 1000));
    return request(t.app).post('/pbx/webhook').set('Content-Type', 'application/json')
      .set('X-Ringback-Timestamp', ts).set('X-Ringback-Signature', signWebhook(WEBHOOK_SECRET, ts, text)).send(text).expect(200);
  }
  const iso = (s: number) => new Date(t.clock.ms + s * 1000).toISOString();

  test('an outbound call the PBX reports unanswered is a no-answer try; an answered one returns the entry', async () => {
    await createTeam(t.app, { name: 'Support', extensions: ['21', '22'] });
    await post({ id: 'in-1', caller: CALLER, callerName: 'Ole', called: '21', startedAt: iso(-30), endedAt: iso(0), rang: ['21', '22'], answeredBy: null });
    assert.equal((await theEntry()).status, 'pending');
    t.clock.advance(330);
    await post({ id: 'out-1', caller: '22', callerName: 'Desk 22', called: '030 123456', startedAt: iso(-30), endedAt: iso(0), rang: [], answeredBy: null, direction: 'outbound' });
    const tried = await theEntry();
    assert.deepEqual([tried.status, tried.callbackAttempts, tried.callbacks[0]?.outcome, tried.callbacks[0]?.by], ['pending', 1, 'no-answer', 'Desk 22']);
    t.clock.advance(900);
    await post({ id: 'out-2', caller: '21', callerName: '', called: '+4930123456', startedAt: iso(-100), endedAt: iso(0), rang: [], answeredBy: '+4930123456', direction: 'outbound' });
    const reached = await theEntry();
    assert.deepEqual([reached.status, reached.returned?.outcome, reached.returned?.by, reached.callbackAttempts], ['returned', 'reached', 'extension 21', 2]);
  });
});
