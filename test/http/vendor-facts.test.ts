/** Second-pass vendor facts (phones.md §8) over real HTTP: what an admin is told, what phones get. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { auth, createPhone, createTeam, fire, type DeskPhone } from '../support/office.ts';
import { pathOf } from '../support/phone-sim.ts';

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
