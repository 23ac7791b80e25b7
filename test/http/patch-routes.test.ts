/**
 * Every PATCH route of the API changes only the fields it is sent: each field is patched alone and
 * every other field of the record, as the API reads it back, must be what it was. The two PUTs that
 * take a part of something (server settings by key) keep the rest too; a team's notify settings are
 * a PUT of the whole (what is not sent takes the default), as documented.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { auth, createTeam } from '../support/office.ts';

type Body = Record<string, unknown>;

/** A week of business hours: every day named (the API wants all seven), these days open. */
const week = (open: Record<number, string[]>) => Object.fromEntries([0, 1, 2, 3, 4, 5, 6].map((d) => [String(d), open[d] ?? []]));

let t: TestApp;
before(async () => {
  // The settings this test saves must not be set by the environment (which would win).
  t = await startTestApp({ env: { RINGBACK_NTP_SERVERS: undefined } });
});
after(async () => { await t.close(); });

async function read(path: string): Promise<Body> {
  return (await request(t.app).get(path).set(auth).expect(200)).body as Body;
}

/** Patch `field` alone and check the record: the field took `expected`, nothing else moved but `alsoChanges`. */
async function patchAlone(path: string, field: string, value: unknown, expected: unknown, alsoChanges: string[] = []): Promise<void> {
  const before = await read(path);
  const r = await request(t.app).patch(path).set(auth).send({ [field]: value });
  assert.equal(r.status, 200, `${path} ${field}: ${r.status} ${r.text}`);
  const answered = r.body as Body;
  const after = await read(path);
  assert.deepEqual(answered, after, `${field}: the PATCH answer is the stored record`);
  assert.deepEqual(after[field], expected, `${field} took the new value`);
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (key === field || alsoChanges.includes(key)) continue;
    assert.deepEqual(after[key], before[key], `PATCH of ${field} alone left ${key} as it was`);
  }
}

describe('PATCH /api/teams/:id', () => {
  test('a team patched one field at a time keeps every field it was not sent', async () => {
    const id = await createTeam(t.app, {
      name: 'Sales', extensions: ['11', '12'], numbers: ['+4930123456'], timeZone: 'Europe/Berlin',
      policy: { minRingSeconds: 4 }, businessHours: { weekly: week({ 1: ['08:00-17:00'] }), holidays: ['2026-12-24'] },
    });
    const path = `/api/teams/${id}`;
    await patchAlone(path, 'businessHours', { weekly: week({ 2: ['09:00-12:00'] }) }, { weekly: week({ 2: ['09:00-12:00'] }), holidays: [] });
    await patchAlone(path, 'name', 'Sales Berlin', 'Sales Berlin');
    await patchAlone(path, 'extensions', ['13'], ['13']);
    await patchAlone(path, 'numbers', ['+49 30 999999'], ['+4930999999']);
    await patchAlone(path, 'timeZone', 'Europe/Vienna', 'Europe/Vienna');
    await patchAlone(path, 'policy', { countAnonymous: false }, { countAnonymous: false });
    const team = await read(path);
    assert.deepEqual(team['extensions'], ['13']);
    assert.deepEqual(team['numbers'], ['+4930999999']);
  });
});

describe('PATCH /api/phones/:mac', () => {
  test('a phone patched one field at a time keeps every field it was not sent', async () => {
    const sales = await createTeam(t.app, { name: 'Phones A', extensions: ['21'] });
    const other = await createTeam(t.app, { name: 'Phones B', extensions: ['22'] });
    await request(t.app).post('/api/phones').set(auth).send({
      mac: '805ec0aa0001', vendor: 'yealink', model: 'T46U', label: 'Desk 21', userName: 'Anna', teamIds: [sales],
      lines: [{ extension: '21', sipUser: '21', sipPassword: 'line secret 21', sipServer: 'pbx.example.com' }],
    }).expect(201);
    const path = '/api/phones/805ec0aa0001';
    await patchAlone(path, 'label', 'Front desk', 'Front desk');
    await patchAlone(path, 'userName', 'Ben', 'Ben');
    await patchAlone(path, 'model', 'T54W', 'T54W');
    await patchAlone(path, 'teamIds', [other], [other]);
    await patchAlone(path, 'vendor', 'snom', 'snom');
    // The primary line follows a new extension; its SIP user, server and password stay.
    await patchAlone(path, 'extension', '23', '23', ['lines']);
    const phone = await read(path);
    assert.deepEqual(phone['lines'], [{ extension: '23', sipUser: '21', sipServer: 'pbx.example.com', hasSipPassword: true }]);
    await patchAlone(path, 'lines', [{ extension: '24' }, { extension: '25' }],
      [{ extension: '24', sipUser: null, sipServer: null, hasSipPassword: false }, { extension: '25', sipUser: null, sipServer: null, hasSipPassword: false }],
      ['extension']);
    assert.equal((await read(path))['extension'], '24');
  });
});

describe('PATCH /api/contacts/:id', () => {
  test('a contact patched one field at a time keeps every field it was not sent', async () => {
    const created = await request(t.app).post('/api/contacts').set(auth)
      .send({ name: 'Dr. Weber', company: 'Praxis Weber', numbers: ['+4930555123'], crmId: 'C-17', vip: true }).expect(201);
    const path = `/api/contacts/${(created.body as { id: string }).id}`;
    // updatedAt records the change itself.
    await patchAlone(path, 'name', 'Dr. A. Weber', 'Dr. A. Weber', ['updatedAt']);
    await patchAlone(path, 'company', 'Weber GmbH', 'Weber GmbH', ['updatedAt']);
    await patchAlone(path, 'crmId', 'C-18', 'C-18', ['updatedAt']);
    await patchAlone(path, 'vip', false, false, ['updatedAt']);
    await patchAlone(path, 'numbers', ['+4930555999'], ['+4930555999'], ['updatedAt']);
  });
});

describe('PATCH /api/users/:id', () => {
  test('a user patched one field at a time keeps every field it was not sent', async () => {
    const a = await createTeam(t.app, { name: 'Users A', extensions: ['31'] });
    const b = await createTeam(t.app, { name: 'Users B', extensions: ['32'] });
    const created = await request(t.app).post('/api/users').set(auth)
      .send({ login: 'carla', name: 'Carla', password: 'a long enough secret', role: 'manager', teams: [a], numbers: 'masked' }).expect(201);
    const path = `/api/users/${(created.body as { id: string }).id}`;
    await patchAlone(path, 'name', 'Carla M.', 'Carla M.');
    await patchAlone(path, 'numbers', 'full', 'full');
    await patchAlone(path, 'teams', [b], [b]);
    await patchAlone(path, 'role', 'agent', 'agent');
    await patchAlone(path, 'disabled', true, true);
    const before = await read(path);
    await request(t.app).patch(path).set(auth).send({ password: 'another long secret' }).expect(200);
    assert.deepEqual(await read(path), before, 'a new password changes nothing the API shows');
  });
});

describe('PUT /api/settings', () => {
  test('a setting saved alone leaves the other saved settings as they were', async () => {
    const put = (values: Record<string, string | null>) => request(t.app).put('/api/settings').set(auth).send({ values }).expect(200);
    await put({ retentionDays: '30', smtpFrom: 'Desk <desk@example.com>', ntpServers: '127.0.0.1' });
    const before = await read('/api/settings');
    await put({ retentionDays: '45' });
    const after = await read('/api/settings');
    type Item = { key: string; value: string | null; source: string };
    const byKey = (b: Body) => new Map((b['items'] as Item[]).map((i) => [i.key, i]));
    const [was, now] = [byKey(before), byKey(after)];
    assert.equal(now.get('retentionDays')?.value, '45');
    for (const [key, item] of was) if (key !== 'retentionDays') assert.deepEqual(now.get(key), item, `${key} unchanged`);
    assert.equal(now.get('smtpFrom')?.value, 'Desk <desk@example.com>');
  });
});
