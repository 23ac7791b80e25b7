import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import request from 'supertest';
import { auth, createPhone, createTeam } from '../support/office.ts';
import { PhoneClient, startProvisioningApp, type ProvisioningTestApp } from '../provisioning/harness.ts';
import { bootCisco, bootPoly, bootYealink } from '../provisioning/phones.ts';

const SECRET = 'push-secret-0123456789';
let t: ProvisioningTestApp;
let team: string;

before(async () => {
  t = await startProvisioningApp();
  team = await createTeam(t.app, { name: 'Front desk', extensions: ['21', '22', '23'] });
});
after(async () => { await t.close(); });

test('a provisioned Yealink takes pushes from our address, with its own secret, and blocks them during calls', async () => {
  await createPhone(t.app, { mac: '805ec0aabb21', vendor: 'yealink', model: 'SIP-T46U', extension: '21', teamIds: [team], push: { password: SECRET } });
  const { settings } = await bootYealink(new PhoneClient(t.app, { userAgent: 'Yealink SIP-T46U 108.86.0.20 805ec0aabb21' }), '805ec0aabb21');
  assert.equal(settings.get('push_xml.server'), 'ringback.test');
  assert.equal(settings.get('push_xml.username'), 'ringback');
  assert.equal(settings.get('push_xml.password'), SECRET);
  assert.equal(settings.get('push_xml.block_in_calling'), '1');
});

test('a provisioned Poly accepts Digest-authenticated pushes of every priority, silently', async () => {
  await createPhone(t.app, { mac: '0004f2aabb22', vendor: 'poly', extension: '22', teamIds: [team], push: { password: SECRET } });
  const { settings } = await bootPoly(new PhoneClient(t.app, { userAgent: 'PolycomVVX-VVX_410-UA/5.9.0.9373' }), '0004f2aabb22');
  assert.equal(settings.get('apps.push.username'), 'ringback');
  assert.equal(settings.get('apps.push.password'), SECRET);
  assert.equal(settings.get('apps.push.messageType'), '5');
  assert.equal(settings.get('apps.push.serverRootURL'), 'http://ringback.test:8080');
  assert.equal(settings.get('apps.push.alertSound'), '0');
});

test('a provisioned Cisco MPP runs /CGI/Execute only with Digest credentials (Remote Credential)', async () => {
  await createPhone(t.app, { mac: '00562baabb23', vendor: 'cisco', model: 'CP-8841-3PCC', extension: '23', teamIds: [team], push: { password: SECRET } });
  const { settings } = await bootCisco(new PhoneClient(t.app, { userAgent: 'Cisco-CP8841-3PCC/11.3.7 (00562baabb23)' }), '00562baabb23', '8841');
  assert.equal(settings.get('CISCO_XML_EXE_Enable'), 'Yes');
  assert.equal(settings.get('CISCO_XML_EXE_Auth_Mode'), 'Remote Credential');
  assert.equal(settings.get('XML_User_Name'), 'ringback');
  assert.equal(settings.get('XML_Password'), SECRET);
});

test('the push secret is generated for a new phone, never shown by the API, and masked in the config preview', async () => {
  const created = await request(t.app).post('/api/phones').set(auth).set('Host', 'ringback.test:8080')
    .send({ mac: '805ec0aabb24', vendor: 'yealink', model: 'SIP-T46U', extension: '21', teamIds: [team] }).expect(201);
  const body = created.body as { push: { hasPassword: boolean; state: string; supported: boolean } };
  assert.deepEqual([body.push.hasPassword, body.push.state, body.push.supported], [true, 'never', true]);
  const secret = t.store.phone('805ec0aabb24')?.push?.password ?? '';
  assert.match(secret, /^[A-Za-z0-9_-]{20,}$/);
  const seen = JSON.stringify([
    created.body,
    (await request(t.app).get('/api/phones').set(auth).expect(200)).body,
    (await request(t.app).get('/api/phones/805ec0aabb24/config').set(auth).set('Host', 'ringback.test:8080').expect(200)).body,
  ]);
  assert.ok(!seen.includes(secret), 'the secret never leaves the server');
  assert.match(seen, /push_xml\.password = \*{8}/);
  const snom = await request(t.app).post('/api/phones').set(auth).send({ mac: '000413aabb25', vendor: 'snom', extension: '22', teamIds: [team] }).expect(201);
  assert.deepEqual([(snom.body as { push: { supported: boolean; hasPassword: boolean } }).push.supported, (snom.body as { push: { hasPassword: boolean } }).push.hasPassword], [false, false]);
});

test('bad push settings are refused with a 400 naming the field', async () => {
  await createPhone(t.app, { mac: '805ec0aabb26', vendor: 'yealink', extension: '21', teamIds: [team] });
  for (const push of [{ address: 'http://10.0.0.5/' }, { address: '10.0.0.5:99999x' }, { password: 'short' }, { password: 'has space in it' }, { password: 'new\nline-secret' }, { other: 1 }]) {
    const r = await request(t.app).patch('/api/phones/805ec0aabb26').set(auth).send({ push }).expect(400);
    assert.match((r.body as { error: { message: string } }).error.message, /^push/);
  }
  await request(t.app).patch('/api/phones/805ec0aabb26').set(auth).send({ push: { address: '10.0.0.26:8080', enabled: false } }).expect(200);
  const r = await request(t.app).get('/api/phones/805ec0aabb26').set(auth).expect(200);
  assert.deepEqual((r.body as { push: { address: string; target: string; enabled: boolean } }).push.address, '10.0.0.26:8080');
  assert.equal((r.body as { push: { enabled: boolean } }).push.enabled, false);
});
