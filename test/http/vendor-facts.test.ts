/** Second-pass vendor facts (phones.md §8) over real HTTP: what an admin is told, what phones get. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { auth, createPhone, createTeam, fire, type DeskPhone } from '../support/office.ts';
import { fillActionUrl, pathOf } from '../support/phone-sim.ts';

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (n) => ['MenuItem', 'SoftKey'].includes(n) });

let t: TestApp;
let yealink: DeskPhone;
before(async () => {
  t = await startTestApp();
  const team = await createTeam(t.app, { name: 'Desk', extensions: ['21', '22'] });
  yealink = await createPhone(t.app, { mac: '805ec0000021', vendor: 'yealink', extension: '21', teamIds: [team] });
});
after(async () => t.close());

describe('Poly', () => {
  test('a Poly phone added through the API is told its telephony-notification URL in urls.events', async () => {
    const poly = await createPhone(t.app, { mac: '0004f2000022', vendor: 'poly', extension: '22' });
    assert.deepEqual(Object.keys(poly.events), ['apps.telNotification.URL']);
    const url = poly.events['apps.telNotification.URL']!;
    assert.match(url, /\/phone\/poly\/event\?t=/);
    assert.ok(url.endsWith(encodeURIComponent(poly.token)));
    // The URL it names is the one that takes the phone's events.
    const body = `<LineRegistrationEvent><MACAddress>${poly.mac}</MACAddress><LineNumber>1</LineNumber><LineState>Registered</LineState></LineRegistrationEvent>`;
    await request(t.app).post(pathOf(url)).set('Content-Type', 'text/xml').send(body).expect(200);
  });
});

describe('Yealink', () => {
  test("one Returned key on the list opens the outcome menu of the call the phone had focused (its <Selection>)", async () => {
    await fire(t.app, yealink, 'action_url.missed_call', { mac: yealink.mac, active_user: '21', remote: 'sip:+4930555001@pbx', display_remote: 'Anna', call_id: '1' });
    t.clock.advance(5);
    await fire(t.app, yealink, 'action_url.missed_call', { mac: yealink.mac, active_user: '21', remote: 'sip:+4930555002@pbx', display_remote: 'Bert', call_id: '2' });
    const list = await request(t.app).get(pathOf(yealink.screen)).expect(200);
    const menu = parser.parse(list.text).YealinkIPPhoneTextMenu;
    const items = menu.MenuItem as { Prompt: string; Selection: string }[];
    const bert = items.find((i) => i.Prompt.includes('Bert'))!;
    const returned = (menu.SoftKey as { Label: string; URI: string }[]).find((k) => k.Label === 'Returned')!;
    assert.ok(returned.URI.startsWith('http'), 'an http softkey, so the phone appends selection=');
    // The phone appends `selection=<Selection>`: with a separator, or glued on (not confirmed which).
    for (const uri of [`${returned.URI}&selection=${bert.Selection}`, `${returned.URI}selection=${bert.Selection}`]) {
      const r = await request(t.app).get(pathOf(uri)).expect(200);
      const outcome = parser.parse(r.text).YealinkIPPhoneTextMenu;
      assert.match(String(outcome.Title), /Bert/);
      assert.ok((outcome.MenuItem as { URI: string }[]).every((i) => i.URI.includes(`/missed/${bert.Selection}/return?`)));
    }
  });

  test('the Returned key with nothing focused, or an id of another team, answers a phone screen, never an error', async () => {
    const list = await request(t.app).get(pathOf(yealink.screen)).expect(200);
    const uri = (parser.parse(list.text).YealinkIPPhoneTextMenu.SoftKey as { Label: string; URI: string }[]).find((k) => k.Label === 'Returned')!.URI;
    for (const tail of ['', '&selection=', '&selection=not-a-call', '&selection=%3Cx%3E']) {
      const r = await request(t.app).get(pathOf(`${uri}${tail}`)).expect(200);
      assert.match(r.text, /YealinkIPPhoneTextScreen/);
      assert.match(r.text, /Choose a call/);
    }
  });

  test('the missed list has no SoftKey:Back and at most 6 softkeys', async () => {
    const r = await request(t.app).get(pathOf(yealink.screen)).expect(200);
    assert.ok(!r.text.includes('SoftKey:Back'));
    assert.ok(parser.parse(r.text).YealinkIPPhoneTextMenu.SoftKey.length <= 6);
  });

  test('an auth-less request learns nothing from the selection route', async () => {
    await request(t.app).get('/phone/yealink/missed/selected/outcome?t=wrong&selection=x').expect(403);
    await request(t.app).get('/api/phones').set(auth).expect(200);
  });
});

/** A fresh office: a team of two phones of one vendor, and the open missed calls as the API lists them. */
async function office(vendor: 'yealink' | 'grandstream') {
  const app = await startTestApp();
  const team = await createTeam(app.app, { name: `${vendor} team`, extensions: ['41', '42'] });
  const macs = vendor === 'yealink' ? ['805ec0000041', '805ec0000042'] : ['000b82000041', '000b82000042'];
  const phones = await Promise.all(macs.map((mac, i) => createPhone(app.app, { mac, vendor, extension: `4${i + 1}`, teamIds: [team] })));
  const open = async () => {
    const r = await request(app.app).get('/api/missed-calls?status=pending').set(auth).expect(200);
    return (r.body as { items: { caller: { number: string }; attempts: number }[] }).items;
  };
  const status = async () => {
    const r = await request(app.app).get('/api/missed-calls').set(auth).expect(200);
    return (r.body as { items: { caller: { number: string }; status: string }[] }).items.map((m) => [m.caller.number, m.status]);
  };
  return { app, phones, open, status };
}

describe('Yealink call_remote_canceled', () => {
  test('a ring-group call the caller hangs up while both phones ring is one missed call (not only an outgoing cancel)', async () => {
    const { app, phones, open } = await office('yealink');
    try {
      const ev = (p: DeskPhone, id: string) => ({ mac: p.mac, active_user: p === phones[0] ? '41' : '42', remote: 'sip:+4930777001@pbx', display_remote: 'Gina', call_id: id });
      for (const [i, p] of phones.entries()) await fire(app.app, p, 'action_url.incoming_call', ev(p, String(i + 5)));
      app.clock.advance(20);
      for (const [i, p] of phones.entries()) await fire(app.app, p, 'action_url.call_remote_canceled', ev(p, String(i + 5)));
      assert.deepEqual((await open()).map((m) => m.caller.number), ['+4930777001']);
    } finally {
      await app.close();
    }
  });

  test('the callee ending our outgoing callback before it connects records no missed call for that number', async () => {
    const { app, phones, open } = await office('yealink');
    try {
      const [p] = phones;
      const ev = { mac: p!.mac, active_user: '41', remote: 'sip:+4930777002@pbx', call_id: '9' };
      await fire(app.app, p!, 'action_url.outgoing_call', ev);
      app.clock.advance(15);
      await fire(app.app, p!, 'action_url.call_remote_canceled', ev);
      assert.deepEqual(await open(), []);
    } finally {
      await app.close();
    }
  });

  test('an established call the phone calls incoming, whose ringing we never saw, does not return the open call', async () => {
    const { app, phones, status } = await office('yealink');
    try {
      const [a, b] = phones;
      const call = (p: DeskPhone, ext: string, id: string) => ({ mac: p.mac, active_user: ext, remote: 'sip:+4930777003@pbx', call_id: id });
      await fire(app.app, a!, 'action_url.incoming_call', call(a!, '41', '1'));
      app.clock.advance(25);
      await fire(app.app, a!, 'action_url.missed_call', call(a!, '41', '1'));
      app.clock.advance(600);
      // The caller rings again; b's ringing report is lost, only "established" arrives, with the hint.
      await fire(app.app, b!, 'action_url.call_established', { ...call(b!, '42', '2'), callDirection: 'incoming', duration: '0' });
      assert.deepEqual(await status(), [['+4930777003', 'pending']]);
      // Without the hint the same event is (as before) this phone calling the caller back.
      await fire(app.app, b!, 'action_url.call_established', call(b!, '42', '3'));
      assert.notDeepEqual(await status(), [['+4930777003', 'pending']]);
    } finally {
      await app.close();
    }
  });
});

describe('Grandstream {call-id}', () => {
  const fillDialog = (template: string, values: Record<string, string>, dialog: string) => fillActionUrl(template, values).replace('{call-id}', dialog);
  const send = async (app: TestApp, p: DeskPhone, e: string, ext: string, dialog: string) => {
    const template = Object.values(p.events).find((u) => u.includes(`e=${e}&`))!;
    const values = { mac: p.mac, active_user: ext, remote: 'sip:+4930888001@pbx', display_remote: 'Hans', program_version: '1.0', product: 'GRP2612' };
    const r = await request(app.app).get(pathOf(fillDialog(template, values, dialog)));
    assert.equal(r.status, 200, r.text);
  };

  test('the phones of a forked INVITE report one dialog id: one call, answered by one member, is not missed', async () => {
    const { app, phones, open } = await office('grandstream');
    try {
      const [a, b] = phones;
      await send(app, a!, 'ringing', '41', 'dlg-1@pbx');
      await send(app, b!, 'ringing', '42', 'dlg-1@pbx');
      app.clock.advance(8);
      await send(app, a!, 'missed', '41', 'dlg-1@pbx');
      await send(app, b!, 'connected', '42', 'dlg-1@pbx');
      assert.deepEqual(await open(), []);
    } finally {
      await app.close();
    }
  });

  test('a second call from the same caller (another dialog id) is another call: the first stays a miss, closed when the caller got through', async () => {
    const { app, phones, status } = await office('grandstream');
    try {
      const [a, b] = phones;
      await send(app, a!, 'ringing', '41', 'dlg-A@pbx');
      app.clock.advance(20);
      await send(app, a!, 'missed', '41', 'dlg-A@pbx');
      app.clock.advance(10);
      // Within the correlation window: only the dialog id tells these two calls apart.
      await send(app, b!, 'ringing', '42', 'dlg-B@pbx');
      app.clock.advance(3);
      await send(app, b!, 'connected', '42', 'dlg-B@pbx');
      // Not retracted as "never missed" (that is for one call answered within the window): the first
      // call was missed, and the caller reaching the team on the second one closes it.
      assert.deepEqual(await status(), [['+4930888001', 'closed']]);
    } finally {
      await app.close();
    }
  });

  test('without a dialog id (the phone left {call-id} unfilled) the window rule applies as before', async () => {
    const { app, phones, status } = await office('grandstream');
    try {
      const [a, b] = phones;
      await send(app, a!, 'ringing', '41', '{call-id}');
      app.clock.advance(20);
      await send(app, a!, 'missed', '41', '{call-id}');
      app.clock.advance(10);
      await send(app, b!, 'ringing', '42', '{call-id}');
      await send(app, b!, 'connected', '42', '{call-id}');
      assert.deepEqual(await status(), [], 'one call as far as we can tell: an answer within the window retracts the miss (DESIGN §3 rule 2)');
    } finally {
      await app.close();
    }
  });
});
