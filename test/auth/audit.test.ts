import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { pathOf } from '../support/phone-sim.ts';
import { auth } from '../support/office.ts';
import { until } from '../support/until.ts';
import { bearer, missCall, missedItems, tokenFor, twoTeams, type Office } from './fixtures.ts';

interface Entry {
  id: string;
  action: string;
  outcome: string;
  actor: { kind: string; id: string | null; name: string; role: string | null };
  target: { type: string; id: string } | null;
  team: string | null;
  details: Record<string, unknown>;
}

async function entries(t: TestApp, query = ''): Promise<Entry[]> {
  const r = await request(t.app).get(`/api/audit${query}`).set(auth).expect(200);
  return (r.body as { items: Entry[] }).items;
}

describe('the audit trail', () => {
  let t: TestApp;
  let o: Office;
  let manager: string;

  before(async () => {
    t = await startTestApp();
    o = await twoTeams(t);
    manager = await tokenFor(t.app, { name: 'Sales lead', role: 'manager', teams: [o.sales] });
    await missCall(t, o.salesPhone, '+4930111111', 'Dora Schmidt');
  });
  after(async () => t.close());

  test('a status change through the API is recorded with who, what, from and to', async () => {
    const [call] = await missedItems(t.app, auth);
    await request(t.app).post(`/api/missed-calls/${call?.id ?? ''}/actions`).set(bearer(manager)).send({ action: 'ignore' }).expect(200);
    const [e] = await entries(t, `?target=${call?.id ?? ''}`);
    assert.equal(e?.action, 'missed-call.ignore');
    assert.deepEqual(e?.actor, { kind: 'token', id: e?.actor.id, name: 'Sales lead', role: 'manager' });
    assert.equal(e?.team, o.sales);
    assert.equal(e?.details['from'], 'pending');
    assert.equal(e?.details['to'], 'ignored');
    // Repeating it changes nothing, so nothing new is recorded.
    await request(t.app).post(`/api/missed-calls/${call?.id ?? ''}/actions`).set(bearer(manager)).send({ action: 'ignore' }).expect(200);
    assert.equal((await entries(t, `?target=${call?.id ?? ''}`)).length, 1);
  });

  test("a phone's softkey action is recorded with the phone's user as actor", async () => {
    const [call] = await missedItems(t.app, auth);
    const id = call?.id ?? '';
    await request(t.app).get(`/api/missed-calls/${id}`).set(auth).expect(200);
    await request(t.app).post(`/api/missed-calls/${id}/actions`).set(auth).send({ action: 'reopen' }).expect(200);
    const url = o.salesPhone.screen.replace('/missed?', `/missed/${id}/mine?`);
    await request(t.app).get(pathOf(url)).expect(200);
    const [e] = await entries(t, `?target=${id}`);
    assert.equal(e?.action, 'missed-call.assign');
    assert.deepEqual(e?.actor, { kind: 'phone', id: null, name: 'Anna', role: null });
  });

  test('exports, imports and admin actions are recorded; other API changes get a generic entry', async () => {
    await request(t.app).get('/api/missed-calls/export?format=csv').set(bearer(manager)).expect(200);
    await request(t.app).post('/api/contacts/import').set(auth).type('text/csv').send('name,number\nDora,+4930111111\n').expect(200);
    await request(t.app).post('/api/teams').set(auth).send({ name: 'Backoffice' }).expect(201);
    const all = await entries(t);
    const exp = all.find((e) => e.action === 'export.missed-calls');
    assert.equal(exp?.actor.name, 'Sales lead');
    assert.equal(exp?.details['rows'], 1);
    assert.equal(exp?.details['numbers'], 'masked');
    assert.equal(all.find((e) => e.action === 'contacts.import')?.details['created'], 1);
    assert.ok(all.some((e) => e.action === 'token.create' && e.details['role'] === 'manager'));
    const generic = all.find((e) => e.action === 'api.request' && e.details['path'] === '/api/teams');
    assert.equal(generic?.details['method'], 'POST');
    assert.equal(generic?.actor.kind, 'admin-token');
  });

  test('a refused request is recorded as denied', async () => {
    await request(t.app).get('/api/tokens').set(bearer(manager)).expect(403);
    const [e] = await entries(t, '?outcome=denied');
    assert.equal(e?.action, 'access.denied');
    assert.equal(e?.details['path'], '/tokens');
  });

  test('entries cannot be changed or deleted, and the trail is newest first with cursor paging', async () => {
    const all = await entries(t);
    const first = all.at(-1)?.id ?? '';
    await request(t.app).delete(`/api/audit/${first}`).set(auth).expect(404);
    await request(t.app).patch(`/api/audit/${first}`).set(auth).send({}).expect(404);
    const ids = all.map((e) => e.id);
    assert.deepEqual(ids, [...ids].sort().reverse());
    const page1 = await request(t.app).get('/api/audit?limit=2').set(auth).expect(200);
    const b1 = page1.body as { items: Entry[]; nextCursor: string };
    const page2 = await request(t.app).get(`/api/audit?limit=2&cursor=${b1.nextCursor}`).set(auth).expect(200);
    assert.deepEqual([...b1.items, ...(page2.body as { items: Entry[] }).items].map((e) => e.id), ids.slice(0, 4));
  });

  test('admins export the trail as CSV, and that export is itself recorded', async () => {
    const r = await request(t.app).get('/api/audit/export?format=csv').set(auth).expect(200);
    assert.match(String(r.headers['content-type']), /text\/csv/);
    const rows = parse(r.text, { bom: true, columns: true }) as Record<string, string>[];
    assert.ok(rows.some((row) => row['action'] === 'missed-call.ignore' && row['actor_name'] === 'Sales lead'));
    assert.equal((await entries(t))[0]?.action, 'export.audit');
    await request(t.app).get('/api/audit/export').set(bearer(manager)).expect(403);
  });

  test('the trail survives a restart', async () => {
    const before = await entries(t);
    const dir = t.dir;
    await t.store.close();
    const again = await startTestApp({ dir });
    try {
      const r = await request(again.app).get('/api/audit').set(auth).expect(200);
      assert.deepEqual((r.body as { items: Entry[] }).items.map((e) => e.id), before.map((e) => e.id));
      await request(again.app).post('/api/teams').set(auth).send({ name: 'After restart' }).expect(201);
      // The catch-all `api.request` entry is written when the answer has gone out (api/auth/audit-trail.ts).
      let newest = '';
      await until(async () => {
        newest = (await entries(again))[0]?.id ?? '';
        return newest !== (before[0]?.id ?? '');
      }, 'the team creation in the audit trail');
      assert.ok(newest > (before[0]?.id ?? ''), 'ids keep growing after a restart');
    } finally {
      await again.store.close();
      await rm(dir, { recursive: true, force: true });
      t = await startTestApp();
    }
  });
});
