import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import request from 'supertest';
import { auth, createPhone, createTeam } from '../support/office.ts';
import { BASE, PhoneClient, PROV_PASSWORD, startProvisioningApp, type ProvisioningTestApp } from './harness.ts';
import { bootPoly, bootYealink } from './phones.ts';

let t: ProvisioningTestApp;
let siteDir: string;
/** The site's template layer, `<siteDir>/templates`. */
let site: string;
let team: string;
const YEALINK = '805ec0aabb01';
const POLY = '0004f2aabb02';
const YUA = 'Yealink SIP-T46U 108.86.0.20 80:5e:c0:aa:bb:01';
const PUA = 'PolycomVVX-VVX_410-UA/5.9.0.9373';

interface Drift {
  items: { mac: string; status: string; files: { name: string; state: string }[]; overrides: { file: string; keys: string[] | null }[] }[];
  total: number;
  current: number;
}

beforeEach(async () => {
  siteDir = await mkdtemp(join(tmpdir(), 'ringback-site-'));
  site = join(siteDir, 'templates');
  await mkdir(site);
  t = await startProvisioningApp({ siteDir });
  team = await createTeam(t.app, { name: 'Reception', extensions: ['11', '12'], timeZone: 'Europe/Berlin' });
  await createPhone(t.app, { mac: YEALINK, vendor: 'yealink', model: 'T46U', label: 'Desk 11', teamIds: [team], lines: [{ extension: '11', sipPassword: 'sip-pw-yealink' }] });
  await createPhone(t.app, { mac: POLY, vendor: 'poly', model: 'VVX410', label: 'Desk 12', teamIds: [team], lines: [{ extension: '12', sipPassword: 'sip-pw-poly' }] });
});
afterEach(async () => {
  await t.close();
  await rm(siteDir, { recursive: true, force: true });
});

async function drift(): Promise<Drift> {
  return (await request(t.app).get('/api/provisioning/drift').set(auth).set('Host', 'ringback.test:8080').expect(200)).body as Drift;
}

describe('the preview', () => {
  test('shows every file the phone will receive, in its fetch order, with SIP password, token and provisioning password masked', async () => {
    const r = await request(t.app).get(`/api/phones/${YEALINK}/config`).set(auth).set('Host', 'ringback.test:8080').expect(200);
    const body = r.body as { files: { name: string; body: string; sha256: string }[]; templates: string[] };
    assert.deepEqual(body.files.map((f) => f.name), [`${YEALINK}.boot`, 'y000000000108.cfg', `${YEALINK}.cfg`]);
    const text = JSON.stringify(r.body);
    const token = t.store.phone(YEALINK)?.token ?? '';
    for (const secret of ['sip-pw-yealink', token, PROV_PASSWORD]) assert.ok(!text.includes(secret), 'no secret in the preview');
    const mac = body.files[2]?.body ?? '';
    assert.match(mac, /account\.1\.password = \*{8}/);
    assert.match(mac, /action_url\.missed_call = http:\/\/ringback\.test:8080\/phone\/yealink\/event\?t=\*{8}&e=missed/);
    assert.ok(body.templates.some((f) => f.endsWith('yealink/common.json')));
    // The hash is of what the phone really gets.
    const real = await new PhoneClient(t.app, { userAgent: YUA }).get(`/provision/${YEALINK}.cfg`);
    const { createHash } = await import('node:crypto');
    assert.equal(body.files[2]?.sha256, createHash('sha256').update(real.text).digest('hex'));
  });

  test('the API never returns a SIP password', async () => {
    const r = await request(t.app).get('/api/phones').set(auth).expect(200);
    assert.ok(!JSON.stringify(r.body).includes('sip-pw-'));
    assert.ok(!t.logs.join('').includes('sip-pw-'));
  });
});

describe('the drift view', () => {
  test('lists phones that never fetched, clears once they fetched, and lists them again when the inventory changes', async () => {
    let d = await drift();
    assert.deepEqual(d.items.map((i) => [i.mac, i.status]).sort(), [[POLY, 'never-fetched'], [YEALINK, 'never-fetched']]);
    await bootYealink(new PhoneClient(t.app, { userAgent: YUA }), YEALINK);
    await bootPoly(new PhoneClient(t.app, { userAgent: PUA }), POLY);
    d = await drift();
    assert.deepEqual(d.items, []);
    assert.equal(d.current, 2);
    await request(t.app).patch(`/api/phones/${YEALINK}`).set(auth).send({ label: 'Front desk' }).expect(200);
    d = await drift();
    assert.deepEqual(d.items.map((i) => [i.mac, i.status, i.files.map((f) => `${f.name}:${f.state}`)]), [[YEALINK, 'outdated', ['y000000000108.cfg:current', `${YEALINK}.cfg:outdated`]]]);
    await bootYealink(new PhoneClient(t.app, { userAgent: YUA }), YEALINK);
    assert.deepEqual((await drift()).items, []);
  });

  test('lists the phones whose files a template change altered (after a reload), and a broken template is refused', async () => {
    await bootYealink(new PhoneClient(t.app, { userAgent: YUA }), YEALINK);
    await bootPoly(new PhoneClient(t.app, { userAgent: PUA }), POLY);
    await mkdir(join(site, 'yealink'));
    await writeFile(join(site, 'yealink', 'T46U.json'), JSON.stringify({ vars: { missedKey: '5' }, settings: { 'lang.gui': 'German' } }));
    await request(t.app).post('/api/provisioning/templates/reload').set(auth).expect(200);
    const d = await drift();
    assert.deepEqual(d.items.map((i) => i.mac), [YEALINK]);
    const booted = await bootYealink(new PhoneClient(t.app, { userAgent: YUA }), YEALINK);
    assert.equal(booted.settings.get('lang.gui'), 'German');
    assert.equal(booted.settings.get('linekey.5.type'), '27');
    await writeFile(join(site, 'yealink', 'T46U.json'), JSON.stringify({ settings: { 'lang.gui': 'x {{password}}' } }));
    const bad = await request(t.app).post('/api/provisioning/templates/reload').set(auth).expect(400);
    assert.match((bad.body as { error: { message: string } }).error.message, /T46U\.json: lang\.gui: unknown placeholder \{\{password\}\}/);
    assert.deepEqual((await drift()).items, [], 'the old templates stay in force');
  });

  test('shows Poly phones whose uploaded local settings override keys we serve (names only)', async () => {
    await bootPoly(new PhoneClient(t.app, { userAgent: PUA }), POLY);
    const upload = '<?xml version="1.0"?><PHONE_CONFIG><OVERRIDES apps.telNotification.URL="http://elsewhere/" reg.1.auth.password="typed-by-user" up.backlight.idleIntensity="1"/></PHONE_CONFIG>';
    const put = await new PhoneClient(t.app, { userAgent: PUA }).put(`/provision/${POLY}-phone.cfg`, upload);
    assert.equal(put.status, 201);
    const d = await drift();
    const item = d.items.find((i) => i.mac === POLY);
    assert.deepEqual([item?.status, item?.overrides], ['current', [{ file: `${POLY}-phone.cfg`, keys: ['apps.telNotification.URL', 'reg.1.auth.password'] }]]);
    assert.ok(!JSON.stringify(d).includes('typed-by-user'));
  });
});

describe('Poly uploads', () => {
  test('are stored per phone, read back by the phone, visible to admins with passwords masked, and deletable', async () => {
    const phone = new PhoneClient(t.app, { userAgent: PUA });
    const body = '<PHONE_CONFIG><OVERRIDES reg.1.auth.password="secret-1" voice.volume.persist.handset="1"/></PHONE_CONFIG>';
    assert.equal((await phone.put(`/provision/${POLY}-phone.cfg`, body)).status, 201);
    assert.equal((await phone.put(`/provision/${POLY}-phone.cfg`, body)).status, 204);
    assert.equal((await phone.get(`/provision/${POLY}-phone.cfg`)).text, body);
    const list = await request(t.app).get(`/api/phones/${POLY}/uploads`).set(auth).expect(200);
    assert.deepEqual((list.body as { items: { name: string; kind: string; size: number }[] }).items.map((u) => [u.name, u.kind, u.size]), [[`${POLY}-phone.cfg`, 'overrides', body.length]]);
    const view = await request(t.app).get(`/api/phones/${POLY}/uploads/${POLY}-phone.cfg`).set(auth).expect(200);
    assert.ok(!view.text.includes('secret-1') && view.text.includes('voice.volume.persist.handset="1"'));
    await request(t.app).delete(`/api/phones/${POLY}/uploads/${POLY}-phone.cfg`).set(auth).expect(204);
    assert.equal((await phone.get(`/provision/${POLY}-phone.cfg`)).status, 404);
  });

  test('are size-capped: settings over 64 KB are refused, a log keeps its last 16 KB', async () => {
    const phone = new PhoneClient(t.app, { userAgent: PUA });
    assert.equal((await phone.put(`/provision/${POLY}-web.cfg`, 'x'.repeat(64 * 1024 + 1))).status, 413);
    assert.equal((await phone.put(`/provision/${POLY}-app.log`, Buffer.alloc(2 * 1024 * 1024, 'a'))).status, 413);
    const log = `${'old line\n'.repeat(5000)}last line\n`;
    assert.equal((await phone.put(`/provision/${POLY}-app.log`, log)).status, 201);
    const stored = t.provisioning.upload(POLY, `${POLY}-app.log`);
    assert.equal(stored?.truncated, true);
    assert.equal(stored?.body.length, 16 * 1024);
    assert.ok(stored?.body.endsWith('last line\n'));
  });

  test('cannot be written over a rendered file or for another phone', async () => {
    const phone = new PhoneClient(t.app, { userAgent: PUA });
    assert.equal((await phone.put(`/provision/${POLY}-ringback.cfg`, '<x/>')).status, 405);
    const other = new PhoneClient(t.app, { userAgent: 'PolycomVVX-VVX_410-UA/5.9.0 0004f2ffffff' });
    assert.equal((await other.put(`/provision/${POLY}-phone.cfg`, '<x/>')).status, 403);
  });
});

describe('hostile inventory values', () => {
  test('quotes, &, <, = and ; in labels and passwords give well-formed files that set exactly our keys', async () => {
    const mac = '805ec0aabb09';
    await createPhone(t.app, {
      mac, vendor: 'yealink', model: 'T46U', label: 'Desk "A" & <B> = x; y', userName: 'O\'Brien <&>', teamIds: [team],
      lines: [{ extension: '13', sipPassword: 'p"w&<x>=y;z#' }],
    });
    const booted = await bootYealink(new PhoneClient(t.app, { userAgent: 'Yealink SIP-T46U 108.86.0.20 805ec0aabb09' }), mac);
    assert.equal(booted.settings.get('account.1.label'), 'Desk "A" & <B> = x; y');
    assert.equal(booted.settings.get('account.1.password'), 'p"w&<x>=y;z#');
    assert.ok(![...booted.settings.keys()].some((k) => k.startsWith('y') || k.includes(' ')));
    const poly = '0004f2aabb09';
    await createPhone(t.app, { mac: poly, vendor: 'poly', label: 'Desk "A" & <B>', teamIds: [team], lines: [{ extension: '14', sipPassword: 'p"w&<x>' }] });
    const p = await bootPoly(new PhoneClient(t.app, { userAgent: PUA }), poly);
    assert.equal(p.settings.get('reg.1.label'), 'Desk "A" & <B>');
    assert.equal(p.settings.get('reg.1.auth.password'), 'p"w&<x>');
  });

  test('newlines and 10 KB labels are refused by the API with a clear message', async () => {
    for (const body of [
      { mac: '805ec0aabb10', vendor: 'yealink', extension: '15', label: 'Desk\naccount.1.password = x' },
      { mac: '805ec0aabb10', vendor: 'yealink', extension: '15', label: 'x'.repeat(10 * 1024) },
      { mac: '805ec0aabb10', vendor: 'yealink', lines: [{ extension: '15', sipPassword: 'a\r\nb' }] },
    ]) {
      const r = await request(t.app).post('/api/phones').set(auth).send(body).expect(400);
      assert.match((r.body as { error: { message: string } }).error.message, /label|sipPassword/);
    }
  });

  test('a value no config format can carry (a Unicode line separator, a password with an edge blank) is refused by the API, naming the field', async () => {
    const r = await request(t.app).post('/api/phones').set(auth)
      .send({ mac: '805ec0aabb11', vendor: 'yealink', label: 'Desk\u2028account.1.password = x', teamIds: [team], lines: [{ extension: '16', sipPassword: ' pw' }] });
    assert.equal(r.status, 400);
    const message = (r.body as { error: { message: string } }).error.message;
    assert.match(message, /label: no control characters or line breaks/);
    assert.match(message, /lines\.0\.sipPassword: no leading or trailing blanks/);
    await request(t.app).get('/api/phones/805ec0aabb11').set(auth).expect(404);
  });
});
