import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { auth, createPhone, createTeam, fire, type DeskPhone } from '../support/office.ts';
import { pathOf } from '../support/phone-sim.ts';

/** A screen as a phone reads it, whatever the vendor: title, text, items and keys with their URLs. */
interface Read { title: string; text: string; items: { label: string; url: string }[]; keys: { label: string; url: string }[] }

const parser = new XMLParser({
  ignoreAttributes: true, processEntities: true, parseTagValue: false,
  isArray: (name) => ['MenuItem', 'SoftKey', 'SoftKeyItem'].includes(name),
});
let t: TestApp;
let anna: DeskPhone;
let ben: DeskPhone;
let cisco: DeskPhone;

async function read(url: string): Promise<Read> {
  const r = await request(t.app).get(pathOf(url)).expect(200).expect('Content-Type', /xml/);
  const doc = parser.parse(r.text) as Record<string, Record<string, unknown>>;
  const root = Object.values(doc).find((v) => typeof v === 'object') ?? {};
  const list = (k: string) => (Array.isArray(root[k]) ? root[k] as Record<string, string>[] : []);
  return {
    title: String(root['Title'] ?? ''), text: String(root['Text'] ?? ''),
    items: list('MenuItem').map((i) => ({ label: i['Prompt'] ?? i['Name'] ?? '', url: i['URI'] ?? i['URL'] ?? '' })),
    keys: [...list('SoftKey').map((k) => ({ label: k['Label'] ?? '', url: k['URI'] ?? '' })),
      ...list('SoftKeyItem').map((k) => ({ label: k['Name'] ?? '', url: k['URL'] ?? '' }))],
  };
}

function key(s: Read, label: string): string {
  const k = s.keys.find((x) => x.label === label);
  assert.ok(k !== undefined, `no ${label} key in ${JSON.stringify(s.keys)}`);
  return k.url;
}

function item(s: Read, label: RegExp): string {
  const i = s.items.find((x) => label.test(x.label));
  assert.ok(i !== undefined, `no item ${label} in ${JSON.stringify(s.items)}`);
  return i.url;
}

async function missedCall(phone: DeskPhone, number: string, name: string, callId: string): Promise<void> {
  await fire(t.app, phone, 'action_url.incoming_call', { mac: phone.mac, active_user: phone.extension, remote: `sip:${number}@pbx`, display_remote: `"${name}"`, call_id: callId });
  t.clock.advance(20);
  await fire(t.app, phone, 'action_url.missed_call', { mac: phone.mac, active_user: phone.extension, remote: `sip:${number}@pbx`, display_remote: `"${name}"`, call_id: callId });
}

async function entries() {
  const r = await request(t.app).get('/api/missed-calls').set(auth).expect(200);
  return (r.body as { items: { id: string; status: string; assignee: string | null; scheduled: { at: string; by: string } | null; caller: { name: string } }[] }).items;
}

before(async () => {
  t = await startTestApp();
  const team = await createTeam(t.app, {
    name: 'Reception', extensions: ['11', '12', '13'], timeZone: 'Europe/Berlin',
    businessHours: { weekly: { 0: [], 6: [], 1: ['08:00-18:00'], 2: ['08:00-18:00'], 3: ['08:00-18:00'], 4: ['08:00-18:00'], 5: ['08:00-18:00'] }, holidays: [] },
  });
  anna = await createPhone(t.app, { mac: '805ec0000011', vendor: 'yealink', extension: '11', userName: 'Anna', teamIds: [team] });
  ben = await createPhone(t.app, { mac: '805ec0000012', vendor: 'yealink', extension: '12', userName: 'Ben', teamIds: [team] });
  cisco = await createPhone(t.app, { mac: '00aabbcc0013', vendor: 'cisco', extension: '13', userName: 'Carla', teamIds: [team] });
  await missedCall(anna, '+4930123456', 'Dora Schmidt', '1');
  t.clock.advance(60);
  await missedCall(anna, '+4930999888', 'Emil Weber', '2');
  t.clock.advance(60);
  await missedCall(anna, '+4930999888', 'Emil Weber', '3');
});
after(async () => t.close());

test('list labels carry words, not marks: time, caller, how many calls, who has it', async () => {
  const list = await read(anna.screen);
  assert.deepEqual(list.items.map((i) => i.label), ['10:02 Emil Weber, 2 calls', '10:00 Dora Schmidt']);
  for (const i of list.items) assert.doesNotMatch(i.label, /^[*>]|[<>]{2}|\dx\)/, `no unexplained mark in "${i.label}"`);
});

test('the Yealink detail screen keeps Back among its four keys, as an http key to the list', async () => {
  const detail = await read(item(await read(anna.screen), /Dora/));
  assert.deepEqual(detail.keys.map((k) => k.label), ['Call', 'Returned', 'More', 'Back']);
  const back = key(detail, 'Back');
  assert.match(back, /^http:\/\/.*\/phone\/yealink\/missed\?t=/, 'Yealink has no SoftKey:Back: Back opens the list');
  assert.match((await read(back)).title, /^Reception/);
  const more = await read(key(detail, 'More'));
  assert.deepEqual(more.items.map((i) => i.label), ['Mine', 'Later', 'Ignore']);
  assert.match(key(more, 'Back'), /\/missed\/[^/?]+\?t=/, 'Back from More returns to the call');
});

test('a Cisco phone shows every key of the call at once, Back included', async () => {
  const detail = await read(item(await read(cisco.screen), /Dora/));
  assert.deepEqual(detail.keys.map((k) => k.label), ['Call', 'Returned', 'Mine', 'Later', 'Ignore', 'Back']);
});

test('the claimer gets a Release key for their own claim; a colleague still sees Mine', async () => {
  const detail = await read(item(await read(cisco.screen), /Dora/));
  const claimed = await read(key(detail, 'Mine'));
  assert.match(claimed.text, /It is yours now/);
  assert.ok(claimed.keys.some((k) => k.label === 'Release'), JSON.stringify(claimed.keys));
  const benMore = await read(key(await read(item(await read(ben.screen), /Dora/)), 'More'));
  assert.ok(benMore.items.some((i) => i.label === 'Mine') && !benMore.items.some((i) => i.label === 'Release'));
  const released = await read(key(claimed, 'Release'));
  assert.match(released.text, /Released to the team/);
  assert.equal((await entries()).find((e) => e.caller.name === 'Dora Schmidt')?.status, 'pending');
});

test('Ignore asks first: Cancel leaves the call open, confirming ignores it', async () => {
  const more = await read(key(await read(item(await read(anna.screen), /Dora/)), 'More'));
  const confirm = await read(item(more, /^Ignore$/));
  assert.equal(confirm.title, 'Ignore this call?');
  assert.match(confirm.text, /Dora Schmidt will leave the list on every phone of the team/);
  assert.equal((await entries()).find((e) => e.caller.name === 'Dora Schmidt')?.status, 'pending', 'opening the question changes nothing');
  const cancelled = await read(key(confirm, 'Cancel'));
  assert.equal(cancelled.title, 'Dora Schmidt');
  const done = await read(key(confirm, 'Ignore'));
  assert.match(done.text, /Ignored/);
  assert.equal((await entries()).find((e) => e.caller.name === 'Dora Schmidt')?.status, 'ignored');
  await request(t.app).post(`/api/missed-calls/${(await entries()).find((e) => e.caller.name === 'Dora Schmidt')!.id}/actions`).set(auth)
    .send({ action: 'reopen' }).expect(200);
});

test('"call back later" from the phone: the call waits at the end of the list, then comes back to the top at its time', async () => {
  // 10:05 Berlin: Emil (10:02) is on top, Dora (10:00) below.
  t.clock.ms = Date.parse('2026-11-26T09:05:00.000Z');
  const more = await read(key(await read(item(await read(anna.screen), /Emil/)), 'More'));
  const later = await read(item(more, /^Later$/));
  assert.deepEqual(later.items.map((i) => i.label), ['In 30 minutes (10:45)', 'In 1 hour (11:15)', 'In 2 hours (12:15)', 'When we open (Fri 08:00)']);
  const done = await read(item(later, /^In 1 hour/));
  assert.match(done.text, /It waits until then/);
  assert.match(done.text, /Call back at 11:15 \(set by Anna\)/);
  assert.deepEqual((await read(ben.screen)).items.map((i) => i.label), ['10:00 Dora Schmidt', '10:02 Emil W…, 2 calls - call back 11:15']);
  const scheduled = (await entries()).find((e) => e.caller.name === 'Emil Weber');
  assert.deepEqual(scheduled?.scheduled, { at: '2026-11-26T10:15:00.000Z', by: 'Anna' });

  t.clock.ms = Date.parse('2026-11-26T10:14:59.000Z');
  assert.match((await read(ben.screen)).items[0]?.label ?? '', /Dora/, 'a second before its time it still waits');
  t.clock.ms = Date.parse('2026-11-26T10:15:00.000Z');
  assert.deepEqual((await read(ben.screen)).items.map((i) => i.label), ['10:02 Emil Web…, 2 calls - call back now', '10:00 Dora Schmidt']);
  assert.match((await read(item(await read(ben.screen), /Emil/))).text, /Call back now: it was set for 11:15/);
});

test('a schedule in the past or not a time is refused on the phone with a message, and by the API naming the field', async () => {
  const emil = (await entries()).find((e) => e.caller.name === 'Emil Weber')!;
  const url = key(await read(item(await read(anna.screen), /Emil/)), 'Back').replace(/\/missed\?/, `/missed/${emil.id}/schedule?`);
  assert.match((await read(`${url}&at=2020-01-01T00:00:00Z`)).text, /at: expected a time in the future/);
  assert.match((await read(`${url}&at=%3Cscript%3E`)).text, /at: expected a date and time/);
  const r = await request(t.app).post(`/api/missed-calls/${emil.id}/actions`).set(auth).send({ action: 'schedule' }).expect(400);
  assert.match((r.body as { error: { message: string } }).error.message, /^at: /);
});
