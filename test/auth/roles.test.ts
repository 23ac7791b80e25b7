import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { auth } from '../support/office.ts';
import { bearer, missCall, missedItems, tokenFor, twoTeams, type Office } from './fixtures.ts';

describe('roles: admin, manager and agent tokens', () => {
  let t: TestApp;
  let o: Office;
  let manager: string;
  let agent: string;
  let salesCall: string;
  let supportCall: string;

  before(async () => {
    t = await startTestApp();
    o = await twoTeams(t);
    manager = await tokenFor(t.app, { name: 'Sales lead', role: 'manager', teams: [o.sales] });
    agent = await tokenFor(t.app, { name: 'Desk agent', role: 'agent', teams: [o.sales] });
    await missCall(t, o.salesPhone, '+4930111111', 'Dora Schmidt');
    await missCall(t, o.supportPhone, '+4930222222', 'Emil Support');
    const all = await missedItems(t.app, auth);
    salesCall = all.find((m) => m.team === o.sales)?.id ?? '';
    supportCall = all.find((m) => m.team === o.support)?.id ?? '';
    assert.ok(salesCall !== '' && supportCall !== '');
  });
  after(async () => t.close());

  test('a manager token cannot read another team\'s calls (403), and sees only its own team without a filter', async () => {
    await request(t.app).get(`/api/missed-calls?team=${o.support}`).set(bearer(manager)).expect(403);
    await request(t.app).get(`/api/missed-calls/${supportCall}`).set(bearer(manager)).expect(403);
    await request(t.app).get(`/api/calls?team=${o.support}`).set(bearer(manager)).expect(403);
    const mine = await missedItems(t.app, bearer(manager));
    assert.deepEqual(mine.map((m) => m.id), [salesCall]);
    const calls = await request(t.app).get('/api/calls').set(bearer(manager)).expect(200);
    assert.ok((calls.body as { items: { destination: string }[] }).items.every((a) => a.destination === o.sales));
  });

  test('a manager token cannot export another team\'s calls (403) but can export its own', async () => {
    await request(t.app).get(`/api/missed-calls/export?format=csv&team=${o.support}`).set(bearer(manager)).expect(403);
    await request(t.app).get(`/api/missed-calls/export?format=xlsx&team=${o.support}`).set(bearer(manager)).expect(403);
    const r = await request(t.app).get('/api/missed-calls/export?format=csv').set(bearer(manager)).expect(200);
    assert.match(r.text, /Dora Schmidt/);
    assert.doesNotMatch(r.text, /Emil Support/);
  });

  test('an agent cannot export (403), nor read reports, but sees and acts on its team\'s calls', async () => {
    await request(t.app).get('/api/missed-calls/export?format=csv').set(bearer(agent)).expect(403);
    await request(t.app).get(`/api/missed-calls/export?format=csv&team=${o.sales}`).set(bearer(agent)).expect(403);
    await request(t.app).get('/api/reports/summary').set(bearer(agent)).expect(403);
    assert.deepEqual((await missedItems(t.app, bearer(agent))).map((m) => m.id), [salesCall]);
    const r = await request(t.app).post(`/api/missed-calls/${salesCall}/actions`).set(bearer(agent))
      .send({ action: 'assign', actor: 'Somebody Else' }).expect(200);
    const item = r.body as { assignee: string; history: { actor: string }[] };
    assert.equal(item.assignee, 'Desk agent', 'an agent acts as itself, whatever actor it claims');
    await request(t.app).post(`/api/missed-calls/${supportCall}/actions`).set(bearer(agent)).send({ action: 'ignore' }).expect(403);
  });

  test('the role matrix: what each role may reach', async () => {
    const matrix: [string, string, number, number, number][] = [
      // method, path, admin, manager, agent
      ['GET', '/api/missed-calls', 200, 200, 200],
      ['GET', '/api/calls', 200, 200, 200],
      ['GET', '/api/reports/summary', 200, 200, 403],
      ['GET', '/api/missed-calls/export?format=csv', 200, 200, 403],
      ['GET', '/api/teams', 200, 200, 200],
      ['GET', `/api/teams/${o.support}`, 200, 403, 403],
      ['GET', '/api/phones', 200, 200, 403],
      ['GET', `/api/phones/${o.supportPhone.mac}`, 200, 403, 403],
      ['GET', '/api/contacts', 200, 200, 200],
      ['GET', '/api/tokens', 200, 403, 403],
      ['GET', '/api/users', 200, 403, 403],
      ['GET', '/api/audit', 200, 403, 403],
      ['GET', '/api/time', 200, 403, 403],
      ['GET', '/api/session', 200, 200, 200],
    ];
    for (const [method, path, ...expected] of matrix) {
      for (const [i, headers] of [auth, bearer(manager), bearer(agent)].entries()) {
        const r = await request(t.app)[method === 'GET' ? 'get' : 'post'](path).set(headers);
        assert.equal(r.status, expected[i], `${['admin', 'manager', 'agent'][i]} ${method} ${path}: ${r.status} ${r.text.slice(0, 200)}`);
      }
    }
    const writes: [string, string, object][] = [
      ['post', '/api/teams', { name: 'X' }], ['post', '/api/contacts', { name: 'X', numbers: ['+4930999999'] }],
      ['post', '/api/tokens', { name: 'x', role: 'admin' }], ['post', '/api/privacy/erase', { number: '+4930111111', confirm: true }],
      ['post', '/api/privacy/subject-access', { number: '+4930111111' }], ['delete', `/api/teams/${o.sales}`, {}],
    ];
    for (const [method, path, body] of writes) {
      for (const token of [manager, agent]) {
        const r = await request(t.app)[method as 'post' | 'delete'](path).set(bearer(token)).send(body);
        assert.equal(r.status, 403, `${method} ${path}`);
      }
    }
  });

  test('managers see caller numbers masked by default; agents and admins in full; a token can be given full access', async () => {
    const [m] = await missedItems(t.app, bearer(manager));
    assert.equal(m?.caller.number, '+49••••••11');
    assert.doesNotMatch(JSON.stringify(m), /30111111/);
    const [a] = await missedItems(t.app, bearer(agent));
    assert.equal(a?.caller.number, '+4930111111');
    const full = await tokenFor(t.app, { name: 'Sales lead with numbers', role: 'manager', teams: [o.sales], numbers: 'full' });
    assert.equal((await missedItems(t.app, bearer(full)))[0]?.caller.number, '+4930111111');
    const csv = await request(t.app).get('/api/missed-calls/export?format=csv').set(bearer(manager)).expect(200);
    assert.doesNotMatch(csv.text, /30111111/);
  });

  test('a token is shown once, listed without its secret, and stops working when revoked', async () => {
    const created = await request(t.app).post('/api/tokens').set(auth).send({ name: 'Temp', role: 'agent', teams: [o.sales] }).expect(201);
    const { token, id } = created.body as { token: string; id: string };
    assert.match(token, /^rbk_/);
    const list = await request(t.app).get('/api/tokens').set(auth).expect(200);
    assert.doesNotMatch(JSON.stringify(list.body), new RegExp(token));
    assert.doesNotMatch(JSON.stringify(list.body), /"hash"/);
    await request(t.app).get('/api/missed-calls').set(bearer(token)).expect(200);
    await request(t.app).delete(`/api/tokens/${id}`).set(auth).expect(204);
    await request(t.app).get('/api/missed-calls').set(bearer(token)).expect(401);
    assert.ok(!t.logs.join('').includes(token), 'the token never appears in the logs');
  });

  test('token input is checked: managers and agents need known teams', async () => {
    await request(t.app).post('/api/tokens').set(auth).send({ name: 'x', role: 'manager', teams: [] }).expect(400);
    await request(t.app).post('/api/tokens').set(auth).send({ name: 'x', role: 'agent', teams: ['no-such-team'] }).expect(400);
    await request(t.app).post('/api/tokens').set(auth).send({ name: 'x', role: 'root' }).expect(400);
  });

  test('no credential or a wrong one is 401, as before', async () => {
    await request(t.app).get('/api/missed-calls').expect(401);
    await request(t.app).get('/api/missed-calls').set(bearer('rbk_not-a-real-token-000000000000')).expect(401);
    await request(t.app).get('/api/teams').set({ Authorization: 'Basic abc' }).expect(401);
  });
});
