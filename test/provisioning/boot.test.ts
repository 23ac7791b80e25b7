import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { auth, createPhone, createTeam, fire } from '../support/office.ts';
import { fillActionUrl, pathOf } from '../support/phone-sim.ts';
import { PhoneClient, startProvisioningApp, type ProvisioningTestApp } from './harness.ts';
import { bootCisco, bootFanvil, bootGrandstream, bootPoly, bootSnom, bootYealink, type Booted } from './phones.ts';

const CALLER = '+4930123456';
const SECRET = 'sip-Secret-11';
let t: ProvisioningTestApp;
let team: string;

beforeEach(async () => {
  t = await startProvisioningApp();
  team = await createTeam(t.app, { name: 'Reception', extensions: ['11', '12', '13'], timeZone: 'Europe/Berlin' });
});
afterEach(async () => t.close());

async function addPhone(mac: string, vendor: string, model: string, extension = '11') {
  await createPhone(t.app, {
    mac, vendor, model, label: `Desk ${extension}`, userName: 'Anna', teamIds: [team],
    lines: [{ extension, sipUser: `u${extension}`, sipPassword: `${SECRET}-${mac}` }],
  });
}

/** A URL from a config file, filled the way the phone fills its `$variables`, fetched; expects the empty 200. */
async function fireUrl(app: App, template: string | undefined, values: Record<string, string>): Promise<void> {
  assert.ok(template !== undefined && template !== '', 'the phone has this URL');
  const r = await request(app).get(pathOf(fillActionUrl(template, values)));
  assert.equal(r.status, 200, `${template}: ${r.status} ${r.text}`);
}

async function openMissed(): Promise<{ caller: { number: string } }[]> {
  const r = await request(t.app).get('/api/missed-calls?status=pending').set(auth).expect(200);
  return (r.body as { items: { caller: { number: string } }[] }).items;
}

/** The missed list as the phone's key opens it: it shows the caller. */
async function browse(url: string | undefined, contentType: RegExp): Promise<string> {
  assert.ok(url !== undefined && url.startsWith('http'), `a missed-list URL: ${url}`);
  const r = await request(t.app).get(pathOf(url)).expect(200);
  assert.match(String(r.headers['content-type']), contentType);
  assert.ok(/Dora|30\s?123\s?456/.test(r.text), `the list shows the caller:\n${r.text.slice(0, 500)}`);
  return r.text;
}

function assertAccount(booted: Booted, keys: { user: string; password: string }, mac: string) {
  assert.equal(booted.settings.get(keys.user), 'u11');
  assert.equal(booted.settings.get(keys.password), `${SECRET}-${mac}`);
}

describe('a phone that knows only the provisioning URL and credentials configures itself and works', () => {
  test('Yealink: boot file, model file, MAC file; then its action URLs log a missed call and its XML-browser key shows it', async () => {
    const mac = '805ec0aabb01';
    await addPhone(mac, 'yealink', 'T46U');
    const phone = new PhoneClient(t.app, { userAgent: 'Yealink SIP-T46U 108.86.0.20 80:5e:c0:aa:bb:01' });
    const booted = await bootYealink(phone, mac);
    assert.deepEqual([...booted.files.keys()], [`${mac}.boot`, 'y000000000108.cfg', `${mac}.cfg`]);
    assertAccount(booted, { user: 'account.1.user_name', password: 'account.1.password' }, mac);
    assert.equal(booted.settings.get('local_time.ntp_server1'), 'ntp1.example.net');
    assert.equal(booted.settings.get('local_time.time_zone'), '+1');
    const values = { mac, active_user: '11', remote: `sip:${CALLER}@pbx`, display_remote: 'Dora', call_id: '7', firmware: '108.86.0.20', model: 'SIP-T46U' };
    await fireUrl(t.app, booted.settings.get('action_url.incoming_call'), values);
    t.clock.advance(25);
    await fireUrl(t.app, booted.settings.get('action_url.missed_call'), values);
    assert.deepEqual((await openMissed()).map((m) => m.caller.number), [CALLER]);
    const key = [...booted.settings].find(([k, v]) => /^linekey\.\d+\.type$/.test(k) && v === '27')?.[0].replace('.type', '');
    assert.equal(booted.settings.get(`${key}.label`), 'Missed');
    await browse(booted.settings.get(`${key}.value`), /xml/);
  });

  test('Yealink on firmware that asks for the common boot file gets the same files through it', async () => {
    const mac = '805ec0aabb02';
    await addPhone(mac, 'yealink', 'T54W');
    const phone = new PhoneClient(t.app, { userAgent: 'Yealink SIP-T54W 96.86.0.70 805ec0aabb02', scheme: 'basic' });
    const r = await phone.get('/provision/y000000000000.boot');
    assert.equal(r.status, 200);
    assert.match(r.text, /include:config "y000000000096\.cfg"\ninclude:config "805ec0aabb02\.cfg"/);
  });

  test('Poly: master file, then CONFIG_FILES; its notification URL reports the call (callStateChange only) and its keys open the list', async () => {
    const mac = '0004f2aabb03';
    await addPhone(mac, 'poly', 'VVX410');
    const phone = new PhoneClient(t.app, { userAgent: 'PolycomVVX-VVX_410-UA/5.9.0.9373' });
    const booted = await bootPoly(phone, mac);
    assert.deepEqual([...booted.files.keys()], [`${mac}.cfg`, `${mac}-ringback.cfg`]);
    assertAccount(booted, { user: 'reg.1.auth.userId', password: 'reg.1.auth.password' }, mac);
    assert.equal(booted.settings.get('apps.telNotification.callStateChangeEvent'), '1');
    assert.equal(booted.settings.get('apps.telNotification.incomingEvent'), '0', 'incomingEvent too would report each ring twice');
    assert.equal(booted.settings.get('tcpIpApp.sntp.gmtOffset'), '3600');
    const url = booted.settings.get('apps.telNotification.URL');
    assert.ok(url !== undefined);
    for (const state of ['Offering', 'Free']) {
      const body = pollyEvent(mac, state);
      await request(t.app).post(pathOf(url)).set('Content-Type', 'text/xml').send(body).expect(200);
      t.clock.advance(25);
    }
    assert.deepEqual((await openMissed()).map((m) => m.caller.number), [CALLER]);
    await browse(booted.settings.get('mb.main.home'), /html/);
    assert.equal(booted.settings.get('softkey.1.action'), booted.settings.get('mb.main.home'));
  });

  test('Poly through the generic master file 000000000000.cfg and its [PHONE_MAC_ADDRESS] macro', async () => {
    const mac = '0004f2aabb04';
    await addPhone(mac, 'poly', 'VVX410');
    const booted = await bootPoly(new PhoneClient(t.app, { userAgent: 'PolycomVVX-VVX_410-UA/5.9.0.9373' }), mac, { generic: true });
    assert.deepEqual([...booted.files.keys()], ['000000000000.cfg', `${mac}-ringback.cfg`]);
    assertAccount(booted, { user: 'reg.1.auth.userId', password: 'reg.1.auth.password' }, mac);
  });

  test('Cisco MPP: $PSN.xml, then Profile_Rule to its MAC file; its line key (fnc=xml) shows a call the team missed', async () => {
    const mac = '00562baabb05';
    await addPhone(mac, 'cisco', 'CP-8841-3PCC');
    const booted = await bootCisco(new PhoneClient(t.app, { userAgent: 'Cisco-CP8841-3PCC/11.3.7 (00562baabb05)' }), mac, '8841');
    assert.deepEqual([...booted.files.keys()], ['8841.xml', `${mac}.xml`]);
    assertAccount(booted, { user: 'User_ID_1_', password: 'Password_1_' }, mac);
    assert.equal(booted.settings.get('Primary_NTP_Server'), 'ntp1.example.net');
    assert.equal(booted.settings.get('Time_Zone'), 'GMT+01:00');
    const fn = [...booted.settings].find(([k, v]) => /^Extended_Function_\d+_$/.test(k) && v.startsWith('fnc=xml;'))?.[1] ?? '';
    const url = /;url=([^;]+)/.exec(fn)?.[1];
    assert.ok(url !== undefined && url.length <= 256, fn);
    // Cisco phones push no events (phones.md §3.4): a colleague's phone reports the call.
    const colleague = await createPhone(t.app, { mac: '805ec0aabb99', vendor: 'yealink', extension: '12', teamIds: [team] });
    const ev = { mac: colleague.mac, active_user: '12', remote: `sip:${CALLER}@pbx`, call_id: '9' };
    await fire(t.app, colleague, 'action_url.incoming_call', ev);
    t.clock.advance(25);
    await fire(t.app, colleague, 'action_url.missed_call', ev);
    await browse(url, /xml/);
    assert.equal(booted.settings.get('XML_Application_Service_URL'), url);
    // The same service as a PSK on the phone's own missed-calls screen (Missed_Call_Key_List).
    assert.equal(booted.settings.get('Programmable_Softkey_Enable'), 'Yes');
    assert.equal(booted.settings.get('PSK_1'), `fnc=xml;url=${url};nme=Missed`);
    const keys = (booted.settings.get('Missed_Call_Key_List') ?? '').split(';').map((k) => k.split('|')[0]);
    assert.ok(keys.includes('psk1') && keys.includes('miss') && keys.includes('lcr'), String(booted.settings.get('Missed_Call_Key_List')));
    await browse(/;url=([^;]+)/.exec(booted.settings.get('PSK_1') ?? '')?.[1], /xml/);
  });

  test('Snom: its {mac}.xml; action URLs log the missed call and its Action URL function key opens the list', async () => {
    const mac = '000413aabb06';
    await addPhone(mac, 'snom', 'D785');
    const booted = await bootSnom(new PhoneClient(t.app, { userAgent: 'Mozilla/4.0 (compatible; snomD785-SIP 10.1.54.13 010.1.54.13 000413aabb06)' }), mac);
    assertAccount(booted, { user: 'user_name[1]', password: 'user_pass[1]' }, mac);
    assert.equal(booted.settings.get('ntp_server'), 'ntp1.example.net');
    const values = { active_user: '11', remote: `sip:${CALLER}@pbx`, display_remote: 'Dora', 'call-id': 'abc@pbx', cancel_reason: '' };
    await fireUrl(t.app, booted.settings.get('action_incoming_url'), values);
    t.clock.advance(25);
    await fireUrl(t.app, booted.settings.get('action_missed_url'), values);
    assert.deepEqual((await openMissed()).map((m) => m.caller.number), [CALLER]);
    const fkey = [...booted.settings].find(([k, v]) => /^fkey\[\d+\]$/.test(k) && v.startsWith('url '));
    assert.ok(fkey !== undefined);
    assert.equal(booted.settings.get(`${fkey[0]}.label`), 'Missed');
    await browse(fkey[1].slice(4), /xml/);
  });

  test('Grandstream: cfg<mac>.xml; named action-URL items log the missed call and the XML application opens the list', async () => {
    const mac = '000b82aabb07';
    await addPhone(mac, 'grandstream', 'GXP2170');
    const booted = await bootGrandstream(new PhoneClient(t.app, { userAgent: 'Grandstream Model HW GXP2170 SW 1.0.11.3 DevId 000b82aabb07' }), mac);
    assertAccount(booted, { user: 'account.1.sip.userid', password: 'account.1.sip.subscriber.password' }, mac);
    assert.equal(booted.settings.get('dateTime.ntp.server.1'), 'ntp1.example.net');
    const values = { mac, active_user: '11', remote: `sip:${CALLER}@pbx`, display_remote: 'Dora', program_version: '1.0.11.3', product: 'GXP2170' };
    await fireUrl(t.app, booted.settings.get('ons.actionUrl.incomingCall'), values);
    t.clock.advance(25);
    await fireUrl(t.app, booted.settings.get('ons.actionUrl.missedCall'), values);
    assert.deepEqual((await openMissed()).map((m) => m.caller.number), [CALLER]);
    await browse(booted.settings.get('xmlApplication.serverPath'), /text\/xml/);
  });

  test('Fanvil: <mac>.cfg; its <cti> action URLs log the missed call (no documented key opens an XML page)', async () => {
    const mac = '0c383eaabb08';
    await addPhone(mac, 'fanvil', 'X4U');
    const booted = await bootFanvil(new PhoneClient(t.app, { userAgent: 'Fanvil X4U 2.12.2 0c383eaabb08' }), mac);
    assertAccount(booted, { user: 'sip.line[1].RegisterUser', password: 'sip.line[1].RegisterPswd' }, mac);
    assert.equal(booted.settings.get('phone.date.SNTPServer'), 'ntp1.example.net');
    assert.equal(booted.settings.get('cti.EnabledActionUrl'), '1');
    const values = { mac, active_user: '11', remote: `sip:${CALLER}@pbx`, display_remote: 'Dora', call_id: '3', firmware: '2.12.2', model: 'X4U' };
    await fireUrl(t.app, booted.settings.get('cti.IncomingCallUrl'), values);
    t.clock.advance(25);
    await fireUrl(t.app, booted.settings.get('cti.NewMissedcallUrl'), values);
    assert.deepEqual((await openMissed()).map((m) => m.caller.number), [CALLER]);
  });
});

describe('what a fetch leaves behind', () => {
  test('every fetch updates lastSeen (via provisioning) with the firmware and model the User-Agent names', async () => {
    const mac = '805ec0aabb01';
    await createPhone(t.app, { mac, vendor: 'yealink', extension: '11', teamIds: [team] });
    await bootYealink(new PhoneClient(t.app, { userAgent: 'Yealink SIP-T46U 108.86.0.20 80:5e:c0:aa:bb:01' }), mac);
    const r = await request(t.app).get(`/api/phones/${mac}`).set(auth).expect(200);
    const p = r.body as { lastSeen: { via: string; at: string } | null; firmware: string | null; model: string };
    assert.equal(p.lastSeen?.via, 'provisioning');
    assert.equal(p.lastSeen?.at, t.clock.now().toISOString());
    assert.equal(p.firmware, '108.86.0.20');
    assert.equal(p.model, 'T46U');
  });

  test('the same inventory renders byte-identical files, whoever asks and however often', async () => {
    const mac = '0004f2aabb03';
    await addPhone(mac, 'poly', 'VVX410');
    const a = await t.provisioning.preview(t.store.phone(mac)!, 'http://ringback.example:8080');
    const b = await t.provisioning.preview(t.store.phone(mac)!, 'http://ringback.example:8080');
    assert.deepEqual(a, b);
    const c = new PhoneClient(t.app, { userAgent: 'PolycomVVX-VVX_410-UA/5.9.0.9373' });
    const first = await c.get(`/provision/${mac}-ringback.cfg`);
    t.clock.advance(3600);
    const second = await c.get(`/provision/${mac}-ringback.cfg`);
    assert.equal(first.text, second.text);
  });
});

/** A Poly CallStateChangeEvent for this phone's line 11, from the caller [PLCM-WEB50-27]. */
function pollyEvent(mac: string, state: string): string {
  return `<CallStateChangeEvent CallReference="5" CallState="${state}"><PhoneIP>10.0.0.9</PhoneIP><MACAddress>${mac}</MACAddress>` +
    `<LineNumber>1</LineNumber><TimeStamp>2026-11-26T10:00:00+01:00</TimeStamp><CallLineInfo><LineKeyNum>1</LineKeyNum><LineDirNum>11</LineDirNum>` +
    `<LineState>Active</LineState><CallInfo><CallState>${state}</CallState><CallType>Incoming</CallType><UIAppearanceIndex>1*</UIAppearanceIndex>` +
    `<CalledPartyName>11</CalledPartyName><CalledPartyDirNum>11</CalledPartyDirNum><CallingPartyName>Dora</CallingPartyName>` +
    `<CallingPartyDirNum>${CALLER}</CallingPartyDirNum><CallReference>5</CallReference><CallDuration>0</CallDuration></CallInfo></CallLineInfo></CallStateChangeEvent>`;
}
