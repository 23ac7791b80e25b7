import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, beforeEach, describe, test } from 'node:test';
import request from 'supertest';
import type { VendorName } from '../../src/domain/types.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { auth, createPhone, createTeam, type DeskPhone } from '../support/office.ts';
import { fillActionUrl, pathOf } from '../support/phone-sim.ts';

const ACTION_URL_VENDORS = ['yealink', 'snom', 'grandstream', 'fanvil'] as const;
const MACS: Record<VendorName, [string, string]> = {
  yealink: ['805ec0000011', '805ec0000012'], snom: ['000413000011', '000413000012'], grandstream: ['000b82000011', '000b82000012'],
  fanvil: ['0c383e000011', '0c383e000012'], poly: ['0004f2000011', '0004f2000012'], cisco: ['00562b000011', '00562b000012'],
};
const CALLER = '+4930123456';

let t: TestApp;
after(async () => t.close());

async function office(vendor: VendorName): Promise<DeskPhone[]> {
  const team = await createTeam(t.app, { name: `${vendor} team`, extensions: ['11', '12'] });
  return Promise.all(MACS[vendor].map((mac, i) => createPhone(t.app, { mac, vendor, extension: `1${i + 1}`, teamIds: [team] })));
}

async function missedCallers(): Promise<string[]> {
  const r = await request(t.app).get('/api/missed-calls?status=pending').set(auth).expect(200);
  return (r.body as { items: { caller: { number: string } }[] }).items.map((m) => m.caller.number);
}

/** The values a phone fills in, under every variable name the six vendors use. */
function variables(p: DeskPhone, callId: string, extra: Record<string, string> = {}): Record<string, string> {
  const remote = `sip:${CALLER}@pbx.example.com`;
  return {
    mac: p.mac, active_user: p.extension, local: `sip:${p.extension}@pbx.example.com`, remote, display_remote: '"Dora"',
    call_id: callId, 'call-id': callId, firmware: '1.0', program_version: '1.0', model: 'X', product: 'X', cancel_reason: '', ...extra,
  };
}

/** Fire the phone's URL for one of our events (`e=ringing`, `e=missed`…). */
async function fireEvent(p: DeskPhone, e: string, values: Record<string, string>): Promise<void> {
  const template = Object.values(p.events).find((u) => u.includes(`e=${e}&`));
  assert.ok(template !== undefined, `no URL for e=${e}`);
  const r = await request(t.app).get(pathOf(fillActionUrl(template, values)));
  assert.equal(r.status, 200, r.text);
}

for (const vendor of ACTION_URL_VENDORS) {
  describe(`${vendor} phones over HTTP`, () => {
    beforeEach(async () => {
      await t?.close();
      t = await startTestApp();
    });

    test(`every ${vendor} request shape in test/fixtures/${vendor}/ is accepted or refused as it should be`, async () => {
      const [p] = await office(vendor);
      const lines = readFileSync(new URL(`../fixtures/${vendor}/requests.txt`, import.meta.url), 'utf8')
        .split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
      assert.ok(lines.length >= 4);
      for (const line of lines) {
        const [kinds = '', target = ''] = line.split('\t');
        const path = target.replace(/([?&])t=[^&]*/, `$1t=${p!.token}`).replace(/([?&])mac=[0-9a-fA-F:.-]{12,17}(?=&|$)/, `$1mac=${p!.mac}`);
        const r = await request(t.app).get(path);
        assert.equal(r.status, kinds === '!' ? 400 : 200, `${line}: ${r.status} ${r.text}`);
      }
    });

    test(`${vendor}: incoming then missed on both phones is one entry`, async () => {
      const phones = await office(vendor);
      for (const p of phones) await fireEvent(p, 'ringing', variables(p, 'c1'));
      t.clock.advance(20);
      for (const p of phones) await fireEvent(p, 'missed', variables(p, 'c1'));
      assert.deepEqual(await missedCallers(), [CALLER]);
    });

    test(`${vendor}: answered on one phone is no entry`, async () => {
      const [a, b] = await office(vendor);
      for (const p of [a!, b!]) await fireEvent(p, 'ringing', variables(p, 'c2'));
      t.clock.advance(8);
      await fireEvent(a!, 'missed', variables(a!, 'c2'));
      await fireEvent(b!, 'connected', variables(b!, 'c2'));
      assert.deepEqual(await missedCallers(), []);
    });
  });
}

describe('Snom', () => {
  test('a miss whose CANCEL said "completed elsewhere" is no entry, even when no other phone reported the answer', async () => {
    await t?.close();
    t = await startTestApp();
    const [p] = await office('snom');
    await fireEvent(p!, 'ringing', variables(p!, 'c3'));
    t.clock.advance(8);
    await fireEvent(p!, 'missed', variables(p!, 'c3', { cancel_reason: 'SIP;cause=200;text="Call completed elsewhere"' }));
    assert.deepEqual(await missedCallers(), []);
  });
});

describe('Poly phones over HTTP', () => {
  function callState(p: DeskPhone, state: string, ref: string): string {
    return `<PolycomIPPhone><CallStateChangeEvent CallReference="${ref}" CallState="${state}"><PhoneIP>10.0.0.2</PhoneIP>`
      + `<MACAddress>${p.mac}</MACAddress><LineNumber>1</LineNumber><TimeStamp>2026-11-26T10:00:00+01:00</TimeStamp><CallLineInfo>`
      + `<LineKeyNum>1</LineKeyNum><LineDirNum>${p.extension}</LineDirNum><LineState>Active</LineState><CallInfo><CallState>${state}</CallState>`
      + `<CallType>Incoming</CallType><UIAppearanceIndex>1</UIAppearanceIndex><CalledPartyName>${p.extension}</CalledPartyName>`
      + `<CalledPartyDirNum>${p.extension}</CalledPartyDirNum><CallingPartyName>Dora</CallingPartyName><CallingPartyDirNum>${CALLER}@pbx</CallingPartyDirNum>`
      + `<CallReference>${ref}</CallReference><CallDuration>0</CallDuration></CallInfo></CallLineInfo></CallStateChangeEvent></PolycomIPPhone>`;
  }
  const post = (p: DeskPhone, body: string) =>
    request(t.app).post(`/phone/poly/event?t=${p.token}`).set('Content-Type', 'application/xml').send(body).expect(200);

  beforeEach(async () => {
    await t?.close();
    t = await startTestApp();
  });

  test('the vendor samples are accepted from the phone they name', async () => {
    for (const [file, mac] of [['telnotification-IncomingCallEvent.xml', '0004f214b89e'], ['telnotification-CallStateChangeEvent-Offering.xml', '00907a13b900'],
      ['telnotification-LineRegistrationEvent.xml', '00907a13b900']] as const) {
      const p = await createPhone(t.app, { mac, vendor: 'poly', extension: '4547' }).catch(() => undefined);
      const phone = p ?? (await request(t.app).post(`/api/phones/${mac}/token`).set(auth).expect(200)).body as DeskPhone;
      const body = readFileSync(new URL(`../fixtures/poly/${file}`, import.meta.url), 'utf8');
      await request(t.app).post(`/phone/poly/event?t=${phone.token}`).set('Content-Type', 'text/xml').send(body).expect(200);
    }
  });

  test('Offering then Free on both phones (no missed event exists on Poly) is one entry', async () => {
    const phones = await office('poly');
    for (const p of phones) await post(p, callState(p, 'Offering', '3'));
    t.clock.advance(20);
    for (const p of phones) await post(p, callState(p, 'Free', '3'));
    assert.deepEqual(await missedCallers(), [CALLER]);
  });

  test('Offering, Connected on one phone, then Free is no entry', async () => {
    const [a, b] = await office('poly');
    for (const p of [a!, b!]) await post(p, callState(p, 'Offering', '4'));
    t.clock.advance(7);
    await post(a!, callState(a!, 'Free', '4'));
    await post(b!, callState(b!, 'Connected', '4'));
    t.clock.advance(60);
    await post(b!, callState(b!, 'Free', '4'));
    assert.deepEqual(await missedCallers(), []);
  });

  test("the phone's own clock (TimeStamp) is compared with the server's and kept as its skew", async () => {
    const [p] = await office('poly');
    // The server's clock says 09:00:00Z; this phone says 10:02:00+01:00, two minutes ahead.
    await post(p!, callState(p!, 'Offering', '6').replace('2026-11-26T10:00:00+01:00', '2026-11-26T10:02:00+01:00'));
    const phone = await request(t.app).get(`/api/phones/${p!.mac}`).set(auth).expect(200);
    assert.equal((phone.body as { clockSkewMs: number }).clockSkewMs, 120_000);
    const time = await request(t.app).get('/api/time').set(auth).expect(200);
    assert.deepEqual((time.body as { phones: { mac: string; skewMs: number }[] }).phones.find((x) => x.mac === p!.mac)?.skewMs, 120_000);
  });

  test('an XXE body, a truncated body and a 1 MB body are refused and record nothing', async () => {
    const [p] = await office('poly');
    const xxe = `<?xml version="1.0"?><!DOCTYPE e [<!ENTITY x SYSTEM "file:///etc/passwd">]><IncomingCallEvent><MACAddress>${p!.mac}</MACAddress><CallingPartyNumber>&x;</CallingPartyNumber></IncomingCallEvent>`;
    await request(t.app).post(`/phone/poly/event?t=${p!.token}`).set('Content-Type', 'text/xml').send(xxe).expect(400);
    await request(t.app).post(`/phone/poly/event?t=${p!.token}`).set('Content-Type', 'text/xml').send(callState(p!, 'Offering', '5').slice(0, 300)).expect(400);
    const big = await request(t.app).post(`/phone/poly/event?t=${p!.token}`).set('Content-Type', 'text/xml').send(`<a>${'x'.repeat(1024 * 1024)}</a>`);
    assert.equal(big.status, 413);
    const calls = await request(t.app).get('/api/calls').set(auth).expect(200);
    assert.deepEqual((calls.body as { items: unknown[] }).items, []);
  });
});
