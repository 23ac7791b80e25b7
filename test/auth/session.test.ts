import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { startTestApp, ADMIN, type TestApp } from '../support/app.ts';
import { auth } from '../support/office.ts';
import { bearer, missCall, missedItems, tokenFor, twoTeams, type Office } from './fixtures.ts';

interface SessionBody { name: string; role: string; teams: string[]; csrfToken: string | null; expiresAt: string | null }

function cookieOf(r: request.Response): string {
  const set = r.headers['set-cookie'] as unknown as string[] | undefined;
  const first = set?.[0];
  assert.ok(first !== undefined, 'a Set-Cookie header');
  return first.split(';')[0] ?? '';
}

describe('dashboard sessions: password login, cookie, CSRF', () => {
  let t: TestApp;
  let o: Office;
  let userId: string;

  before(async () => {
    t = await startTestApp();
    o = await twoTeams(t);
    const u = await request(t.app).post('/api/users').set(auth)
      .send({ login: 'Anna', name: 'Anna Berg', password: 'correct horse battery', role: 'agent', teams: [o.sales] }).expect(201);
    userId = (u.body as { id: string }).id;
    assert.doesNotMatch(JSON.stringify(u.body), /scrypt|password/i);
    await missCall(t, o.salesPhone, '+4930111111', 'Dora Schmidt');
  });
  after(async () => t.close());

  test('a login sets an HttpOnly, SameSite=Strict cookie and answers who is logged in with a CSRF token', async () => {
    const r = await request(t.app).post('/api/session').send({ login: 'anna', password: 'correct horse battery' }).expect(200);
    const setCookie = String((r.headers['set-cookie'] as unknown as string[])[0]);
    assert.match(setCookie, /^ringback_session=[\w-]{40,};/);
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /SameSite=Strict/);
    assert.match(setCookie, /Path=\//);
    const body = r.body as SessionBody;
    assert.equal(body.name, 'Anna Berg');
    assert.equal(body.role, 'agent');
    assert.ok(body.csrfToken !== null && body.csrfToken.length > 20);
    const me = await request(t.app).get('/api/session').set('Cookie', cookieOf(r)).expect(200);
    assert.equal((me.body as SessionBody).csrfToken, body.csrfToken);
    assert.equal((await missedItems(t.app, { Cookie: cookieOf(r) })).length, 1);
  });

  test('a cookie-authenticated change needs the CSRF header; a bearer-token request does not', async () => {
    const r = await request(t.app).post('/api/session').send({ login: 'anna', password: 'correct horse battery' }).expect(200);
    const cookie = cookieOf(r);
    const csrf = (r.body as SessionBody).csrfToken ?? '';
    const [call] = await missedItems(t.app, auth);
    const path = `/api/missed-calls/${call?.id ?? ''}/actions`;
    const denied = await request(t.app).post(path).set('Cookie', cookie).send({ action: 'note', note: 'x' }).expect(403);
    assert.equal((denied.body as { error: { code: string } }).error.code, 'csrf');
    await request(t.app).post(path).set('Cookie', cookie).set('X-CSRF-Token', `${csrf}x`).send({ action: 'note', note: 'x' }).expect(403);
    const ok = await request(t.app).post(path).set('Cookie', cookie).set('X-CSRF-Token', csrf).send({ action: 'assign' }).expect(200);
    assert.equal((ok.body as { assignee: string }).assignee, 'Anna Berg');
    const agent = await tokenFor(t.app, { name: 'Kiosk', role: 'agent', teams: [o.sales] });
    await request(t.app).post(path).set(bearer(agent)).send({ action: 'note', note: 'from a token' }).expect(200);
  });

  test('a wrong password is 401 and audited; repeated failures are throttled', async () => {
    const r = await request(t.app).post('/api/session').send({ login: 'anna', password: 'wrong password!' }).expect(401);
    assert.equal(r.headers['set-cookie'], undefined);
    await request(t.app).post('/api/session').send({ login: 'nobody', password: 'whatever it is' }).expect(401);
    const audit = await request(t.app).get('/api/audit?action=session.login&outcome=failed').set(auth).expect(200);
    assert.ok((audit.body as { items: unknown[] }).items.length >= 2);
    assert.doesNotMatch(JSON.stringify(audit.body), /wrong password/);
    for (let i = 0; i < 4; i++) await request(t.app).post('/api/session').send({ login: 'anna', password: 'wrong again!!' });
    await request(t.app).post('/api/session').send({ login: 'anna', password: 'correct horse battery' }).expect(429);
    t.clock.advance(16 * 60);
    await request(t.app).post('/api/session').send({ login: 'anna', password: 'correct horse battery' }).expect(200);
  });

  test('logout, a password change and disabling the user end the session', async () => {
    const login = async () => {
      const r = await request(t.app).post('/api/session').send({ login: 'anna', password: 'correct horse battery' }).expect(200);
      return { cookie: cookieOf(r), csrf: (r.body as SessionBody).csrfToken ?? '' };
    };
    const a = await login();
    await request(t.app).delete('/api/session').set('Cookie', a.cookie).set('X-CSRF-Token', a.csrf).expect(204);
    await request(t.app).get('/api/session').set('Cookie', a.cookie).expect(401);

    const b = await login();
    t.clock.advance(1);
    await request(t.app).patch(`/api/users/${userId}`).set(auth).send({ password: 'another long secret' }).expect(200);
    await request(t.app).get('/api/session').set('Cookie', b.cookie).expect(401);
    await request(t.app).post('/api/session').send({ login: 'anna', password: 'correct horse battery' }).expect(401);
    await request(t.app).patch(`/api/users/${userId}`).set(auth).send({ password: 'correct horse battery' }).expect(200);

    const c = await login();
    t.clock.advance(1);
    await request(t.app).patch(`/api/users/${userId}`).set(auth).send({ disabled: true }).expect(200);
    await request(t.app).get('/api/session').set('Cookie', c.cookie).expect(401);
    await request(t.app).post('/api/session').send({ login: 'anna', password: 'correct horse battery' }).expect(401);
    await request(t.app).patch(`/api/users/${userId}`).set(auth).send({ disabled: false }).expect(200);
  });

  test('a session expires after 12 hours', async () => {
    const r = await request(t.app).post('/api/session').send({ login: 'anna', password: 'correct horse battery' }).expect(200);
    assert.match(String((r.headers['set-cookie'] as unknown as string[])[0]), /Max-Age=43200/);
    t.clock.advance(12 * 3600);
    await request(t.app).get('/api/session').set('Cookie', cookieOf(r)).expect(401);
  });

  test('a token logs in too, and its session ends when the token is revoked', async () => {
    const created = await request(t.app).post('/api/tokens').set(auth).send({ name: 'Wallboard', role: 'manager', teams: [o.sales] }).expect(201);
    const { token, id } = created.body as { token: string; id: string };
    const r = await request(t.app).post('/api/session').send({ token }).expect(200);
    assert.equal((r.body as SessionBody).role, 'manager');
    await request(t.app).get('/api/reports/summary').set('Cookie', cookieOf(r)).expect(200);
    await request(t.app).delete(`/api/tokens/${id}`).set(auth).expect(204);
    await request(t.app).get('/api/session').set('Cookie', cookieOf(r)).expect(401);
    const admin = await request(t.app).post('/api/session').send({ token: ADMIN }).expect(200);
    assert.equal((admin.body as SessionBody).role, 'admin');
  });

  test('login takes JSON only, so a cross-site form cannot post it', async () => {
    await request(t.app).post('/api/session').type('form').send('login=anna&password=correct+horse+battery').expect(415);
    await request(t.app).post('/api/session').set('Content-Type', 'text/plain').send('{"login":"anna","password":"correct horse battery"}').expect(415);
  });

  test('passwords and session cookies never reach the logs', async () => {
    const r = await request(t.app).post('/api/session').send({ login: 'anna', password: 'correct horse battery' }).expect(200);
    const logs = t.logs.join('');
    assert.ok(!logs.includes('correct horse battery'));
    assert.ok(!logs.includes(cookieOf(r).split('=')[1] ?? 'x'));
  });
});

describe('secure cookies', () => {
  test('with RINGBACK_COOKIE_SECURE=always the cookie is Secure and uses the __Host- prefix', async () => {
    const t = await startTestApp({ env: { RINGBACK_COOKIE_SECURE: 'always' } });
    try {
      const r = await request(t.app).post('/api/session').send({ token: ADMIN }).expect(200);
      const setCookie = String((r.headers['set-cookie'] as unknown as string[])[0]);
      assert.match(setCookie, /^__Host-ringback_session=/);
      assert.match(setCookie, /; Secure/);
      await request(t.app).get('/api/session').set('Cookie', setCookie.split(';')[0] ?? '').expect(200);
    } finally {
      await t.close();
    }
  });
});
