import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { XMLValidator } from 'fast-xml-parser';
import request from 'supertest';
import { startFakeAmi, type FakeAmi, type FakeAmiSession } from '../pbx/ami-server.ts';
import { ringGroupCall, toWire } from '../pbx/ami-sequences.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { auth, createPhone, createTeam, fire, type DeskPhone } from '../support/office.ts';
import { pathOf } from '../support/phone-sim.ts';
import { until } from '../support/until.ts';
import { all } from '../support/collect.ts';

const CALLER = '004930123456';
let ami: FakeAmi;
let t: TestApp;
let yealink: DeskPhone, poly: DeskPhone, cisco: DeskPhone;
let session: FakeAmiSession;

before(async () => {
  ami = await startFakeAmi({ username: 'ringback', secret: 'amisecret' });
  t = await startTestApp({ ami: { host: '127.0.0.1', port: ami.port, username: 'ringback', secret: 'amisecret' } });
  const team = await createTeam(t.app, { name: 'Front desk', extensions: ['11', '12', '14'] });
  yealink = await createPhone(t.app, { mac: '805ec0000011', vendor: 'yealink', extension: '11', teamIds: [team] });
  poly = await createPhone(t.app, { mac: '0004f2000012', vendor: 'polycom', extension: '12', teamIds: [team] });
  cisco = await createPhone(t.app, { mac: '00562b000014', vendor: 'cisco', extension: '14', teamIds: [team] });
  session = await ami.nextSession();
  await session.action('CoreShowChannels');
});
after(async () => {
  await t.close();
  await ami.close();
});

function polyEvent(state: 'Offering' | 'Free'): string {
  return `<PolycomIPPhone><CallStateChangeEvent CallReference="7" CallState="${state}"><PhoneIP>10.0.0.12</PhoneIP>`
    + `<MACAddress>0004f2000012</MACAddress><LineNumber>1</LineNumber><TimeStamp>2026-11-26T10:00:01+01:00</TimeStamp>`
    + `<CallLineInfo><LineKeyNum>1</LineKeyNum><LineDirNum>12</LineDirNum><LineState>Active</LineState><CallInfo>`
    + `<CallState>${state}</CallState><CallType>Incoming</CallType><UIAppearanceIndex>1</UIAppearanceIndex>`
    + `<CalledPartyName>12</CalledPartyName><CalledPartyDirNum>12</CalledPartyDirNum><CallingPartyName>Mixed Caller</CallingPartyName>`
    + `<CallingPartyDirNum>${CALLER}</CallingPartyDirNum><CallReference>7</CallReference><CallDuration>0</CallDuration>`
    + `</CallInfo></CallLineInfo></CallStateChangeEvent></PolycomIPPhone>`;
}

test('a ring group of a Yealink, a Poly and a Cisco (seen only through AMI) nobody answered is ONE missed call, on all three screens', async () => {
  await fire(t.app, yealink, 'action_url.incoming_call', { mac: yealink.mac, active_user: '11', remote: `sip:${CALLER}@pbx`, call_id: '5' });
  await request(t.app).post(`/phone/poly/event?t=${poly.token}`).set('Content-Type', 'text/xml').send(polyEvent('Offering')).expect(200);
  t.clock.advance(25);
  await fire(t.app, yealink, 'action_url.missed_call', { mac: yealink.mac, active_user: '11', remote: `sip:${CALLER}@pbx`, call_id: '5' });
  await request(t.app).post(`/phone/poly/event?t=${poly.token}`).set('Content-Type', 'text/xml').send(polyEvent('Free')).expect(200);

  session.send(toWire(ringGroupCall({ linkedid: '1770000000.1', callerExt: CALLER, callerName: 'Mixed Caller', group: '600', members: ['11', '12', '14'] }), '\r\n'));
  await until(() => t.store.attemptByPbxId('ami:1770000000.1') !== undefined, 'the PBX call');

  const r = await request(t.app).get('/api/missed-calls').set(auth).expect(200);
  const items = (r.body as { items: { caller: { number: string } }[] }).items;
  assert.equal(items.length, 1);
  assert.equal(items[0]?.caller.number, '+4930123456');
  assert.equal((await all(t.store.history.attemptsIn({}))).length, 1);

  for (const phone of [yealink, poly, cisco]) {
    const screen = await request(t.app).get(pathOf(phone.screen)).expect(200);
    assert.equal(XMLValidator.validate(screen.text), true);
    assert.ok(screen.text.includes('Mixed Caller') || screen.text.includes(CALLER), `${phone.mac} screen lists the caller`);
  }
});

test('the same ring group answered on the Cisco phone (seen only through AMI) is not missed', async () => {
  t.clock.advance(600);
  const caller = '004930765432';
  await fire(t.app, yealink, 'action_url.incoming_call', { mac: yealink.mac, active_user: '11', remote: `sip:${caller}@pbx`, call_id: '9' });
  t.clock.advance(6);
  await fire(t.app, yealink, 'action_url.missed_call', { mac: yealink.mac, active_user: '11', remote: `sip:${caller}@pbx`, call_id: '9' });
  session.send(toWire(ringGroupCall({ linkedid: '1770000600.1', callerExt: caller, callerName: 'Other Caller', group: '600', members: ['11', '12', '14'], answeredBy: '14' }), '\r\n'));
  await until(() => t.store.attemptByPbxId('ami:1770000600.1') !== undefined, 'the PBX call');
  const r = await request(t.app).get('/api/missed-calls?status=pending').set(auth).expect(200);
  const numbers = (r.body as { items: { caller: { number: string } }[] }).items.map((m) => m.caller.number);
  assert.deepEqual(numbers, ['+4930123456']);
});
