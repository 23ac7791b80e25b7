import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { auth, createPhone, createTeam, fire, type DeskPhone } from '../support/office.ts';
import { pathOf } from '../support/phone-sim.ts';

interface MenuItem { Prompt: string; URI: string; Dial?: string }
interface SoftKey { Label: string; URI: string }
interface Screen { Title?: string; Text?: string; MenuItem?: MenuItem | MenuItem[]; SoftKey?: SoftKey | SoftKey[] }

const parser = new XMLParser({ ignoreAttributes: true, processEntities: true, parseTagValue: false, isArray: (name) => name === 'MenuItem' || name === 'SoftKey' });
let t: TestApp;
let anna: DeskPhone;
let ben: DeskPhone;

/** What a Yealink phone does: GET the URL and read the object it gets back. */
async function browse(url: string): Promise<Screen> {
  const r = await request(t.app).get(pathOf(url)).expect(200).expect('Content-Type', /xml/);
  const doc = parser.parse(r.text) as Record<string, Screen>;
  return doc['YealinkIPPhoneTextMenu'] ?? doc['YealinkIPPhoneTextScreen'] ?? {};
}

const items = (s: Screen) => (Array.isArray(s.MenuItem) ? s.MenuItem : []);
const softkey = (s: Screen, label: string) => {
  const k = (Array.isArray(s.SoftKey) ? s.SoftKey : []).find((x) => x.Label === label);
  assert.ok(k !== undefined, `no ${label} softkey in ${JSON.stringify(s)}`);
  return k.URI;
};

async function missed() {
  const r = await request(t.app).get('/api/missed-calls').set(auth).expect(200);
  return (r.body as { items: { status: string; assignee: string | null; returned: { by: string; via: string; outcome: string } | null; history: unknown[] }[] }).items;
}

before(async () => {
  t = await startTestApp();
  const team = await createTeam(t.app, { name: 'Reception', extensions: ['11', '12'], timeZone: 'Europe/Berlin' });
  anna = await createPhone(t.app, { mac: '805ec0000011', vendor: 'yealink', extension: '11', userName: 'Anna', teamIds: [team] });
  ben = await createPhone(t.app, { mac: '805ec0000012', vendor: 'yealink', extension: '12', userName: 'Ben', teamIds: [team] });
  for (const p of [anna, ben]) {
    await fire(t.app, p, 'action_url.incoming_call', { mac: p.mac, active_user: p.extension, remote: 'sip:+4930123456@pbx', display_remote: '"Dora Schmidt"', call_id: '1' });
  }
  t.clock.advance(20);
  for (const p of [anna, ben]) {
    await fire(t.app, p, 'action_url.missed_call', { mac: p.mac, active_user: p.extension, remote: 'sip:+4930123456@pbx', display_remote: '"Dora Schmidt"', call_id: '1' });
  }
});
after(async () => t.close());

test("the list shows the caller's name, the time in the team's zone and a number to dial", async () => {
  const list = await browse(anna.screen);
  assert.equal(list.Title, 'Reception (1)');
  assert.equal(items(list)[0]?.Prompt, '10:00 Dora Schmidt');
  assert.equal(items(list)[0]?.Dial, '+4930123456');
});

test('pressing Mine claims the call for this phone\'s user, and the other phone sees who has it', async () => {
  const detail = await browse(items(await browse(anna.screen))[0]!.URI);
  // Yealink shows four keys: Call, Returned, More, Back; Mine is under More.
  const more = await browse(softkey(detail, 'More'));
  const mine = items(more).find((i) => i.Prompt === 'Mine')?.URI;
  assert.ok(mine !== undefined, JSON.stringify(more));
  const claimed = await browse(mine);
  assert.match(claimed.Text ?? '', /It is yours now/);
  assert.equal((await missed())[0]?.assignee, 'Anna');
  t.clock.advance(120);
  assert.equal(items(await browse(ben.screen))[0]?.Prompt, '10:00 Dora Schmidt - Anna, 2 min ago');
  const history = (await missed())[0]?.history.length;
  await browse(mine);
  assert.equal((await missed())[0]?.history.length, history, 'pressing Mine again changes nothing');
});

test('pressing Returned and choosing "Reached" marks the call returned by that phone', async () => {
  const detail = await browse(items(await browse(anna.screen))[0]!.URI);
  const outcomes = await browse(softkey(detail, 'Returned'));
  const reached = items(outcomes).find((i) => i.Prompt === 'Reached');
  assert.ok(reached !== undefined);
  const after = await browse(reached.URI);
  assert.match(after.Text ?? '', /Returned by Anna/);
  const [m] = await missed();
  assert.equal(m?.status, 'returned');
  assert.deepEqual({ by: m?.returned?.by, via: m?.returned?.via, outcome: m?.returned?.outcome }, { by: 'Anna', via: 'phone', outcome: 'reached' });
  const list = await browse(ben.screen);
  assert.match(list.Text ?? '', /No missed calls waiting/);
});

test('a phone cannot open a call of a team it is not in', async () => {
  const other = await createTeam(t.app, { name: 'Sales', extensions: ['21'] });
  const outsider = await createPhone(t.app, { mac: '805ec0000021', vendor: 'yealink', extension: '21', teamIds: [other] });
  const r = await request(t.app).get('/api/missed-calls').set(auth).expect(200);
  const id = (r.body as { items: { id: string }[] }).items[0]!.id;
  const screen = await browse(outsider.screen.replace('/missed?', `/missed/${id}?`));
  assert.match(screen.Text ?? '', /no longer in your list/);
});
