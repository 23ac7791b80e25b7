/** Caller names from a real OpenLDAP directory (Debian's slapd), behind a cache that never holds a phone up. */
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import type { CallerNames } from '../../src/directory/ldap-names.ts';
import { createNameCache } from '../../src/directory/name-cache.ts';
import { loadConfig } from '../../src/config.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { auth, createPhone, createTeam, fire, type DeskPhone } from '../support/office.ts';
import { pathOf } from '../support/phone-sim.ts';
import { ROOT_DN, SUFFIX, freePort, startSlapd, type Slapd } from '../support/slapd.ts';

const SECRET = 'ldap-Bind-Secret-4711';
let slapd: Slapd;

before(async () => {
  slapd = await startSlapd([
    { cn: 'Dora Directory', company: 'Acme GmbH', numbers: [{ attribute: 'telephoneNumber', value: '+49 30 123456' }] },
    { cn: 'Emil National', displayName: 'Emil N. (Sales)', numbers: [{ attribute: 'mobile', value: '0170 7654321' }] },
    { cn: 'Carl Ldap', numbers: [{ attribute: 'telephoneNumber', value: '+49 40 555000' }] },
  ], SECRET);
});
after(async () => slapd.stop());

interface Office { t: TestApp; names: CallerNames; phone: DeskPhone; searches: () => number; logs: () => string }

/** An office whose server is configured for the directory as main.ts reads it (RINGBACK_LDAP_*). */
async function office(url: string, env: Record<string, string> = {}): Promise<Office> {
  const t = await startTestApp({
    env: {
      RINGBACK_LDAP_URL: url, RINGBACK_LDAP_BASE_DN: `ou=people,${SUFFIX}`, RINGBACK_LDAP_BIND_DN: ROOT_DN, RINGBACK_LDAP_BIND_PASSWORD: SECRET, ...env,
    },
  });
  const names = t.services.names;
  assert.ok(names !== null, 'the composition built the directory lookup');
  const team = await createTeam(t.app, { name: 'Desk', extensions: ['31'] });
  const phone = await createPhone(t.app, { mac: '805ec0000031', vendor: 'yealink', extension: '31', teamIds: [team] });
  return { t, names, phone, searches: () => names.status().lookups, logs: () => t.logs.join('') };
}

async function missedFrom(o: Office, number: string, displayName: string): Promise<void> {
  // `fire` asserts the empty 200: the acknowledgement itself.
  await fire(o.t.app, o.phone, 'action_url.missed_call', { mac: o.phone.mac, active_user: '31', remote: `sip:${number}@pbx`, display_remote: displayName, call_id: '7' });
  o.t.clock.advance(1);
}

async function apiCaller(o: Office, number: string): Promise<{ name: string; contact: { name: string; company: string } | null }> {
  const r = await request(o.t.app).get('/api/missed-calls?status=pending').set(auth).expect(200);
  const items = (r.body as { items: { caller: { number: string; name: string; contact: { name: string; company: string } | null } }[] }).items;
  const item = items.find((i) => i.caller.number === number);
  assert.ok(item !== undefined, `an entry for ${number}`);
  return item.caller;
}

describe('caller names from an LDAP directory', () => {
  let o: Office;
  before(async () => {
    o = await office(slapd.url);
  });
  after(async () => o.t.close());

  test('a missed call from a number in LDAP shows the directory name on the phone screen and in the API', async () => {
    await missedFrom(o, '+4930123456', 'PBX Name');
    // The lookup started when the call was recorded; wait for that very lookup (no sleep).
    assert.equal((await o.names.lookup({ key: '+4930123456' }))?.name, 'Dora Directory');
    const screen = await request(o.t.app).get(pathOf(o.phone.screen)).expect(200);
    assert.match(screen.text, /Dora Directory/);
    assert.doesNotMatch(screen.text, /PBX Name/);
    const caller = await apiCaller(o, '+4930123456');
    assert.equal(caller.contact?.name, 'Dora Directory');
    assert.equal(caller.contact?.company, 'Acme GmbH');
    assert.equal(caller.name, 'PBX Name', 'what the phone said is kept beside it');
  });

  test('a number stored in national form with spaces (and a displayName) is found from the E.164 caller', async () => {
    await missedFrom(o, '+491707654321', '');
    assert.equal((await o.names.lookup({ key: '+491707654321' }))?.name, 'Emil N. (Sales)');
    assert.match((await request(o.t.app).get(pathOf(o.phone.screen)).expect(200)).text, /Emil N\. \(Sales\)/);
  });

  test('CSV and API contacts win over the directory; the directory names only callers they do not know', async () => {
    await request(o.t.app).post('/api/contacts').set(auth).send({ name: 'Carla Contact', company: 'Own List', numbers: ['040 555000'] }).expect(201);
    await missedFrom(o, '+4940555000', 'PBX Name');
    await o.names.lookup({ key: '+4940555000' });
    const caller = await apiCaller(o, '+4940555000');
    assert.equal(caller.contact?.name, 'Carla Contact');
    const screen = await request(o.t.app).get(pathOf(o.phone.screen)).expect(200);
    assert.match(screen.text, /Carla Contact/);
    assert.doesNotMatch(screen.text, /Carl Ldap/);
  });

  test('a caller not in the directory keeps the phone name, and the "not found" is cached', async () => {
    await missedFrom(o, '+4989999999', 'Phone Says');
    const before = o.searches();
    assert.equal(await o.names.lookup({ key: '+4989999999' }), undefined);
    for (let i = 0; i < 5; i++) await request(o.t.app).get(pathOf(o.phone.screen)).expect(200);
    assert.equal(await o.names.lookup({ key: '+4989999999' }), undefined);
    assert.equal(o.searches(), before, 'screen refreshes and lookups are answered from the negative cache');
    assert.match((await request(o.t.app).get(pathOf(o.phone.screen)).expect(200)).text, /Phone Says/);
    assert.equal((await apiCaller(o, '+4989999999')).contact, null);
    // After the negative TTL the directory is asked again.
    o.t.clock.advance(301);
    await o.names.lookup({ key: '+4989999999' });
    assert.equal(o.searches(), before + 1);
  });

  test('the bind password never appears in logs or API answers', async () => {
    for (const path of ['/api/missed-calls', '/api/settings', '/api/jobs', '/api/calls']) {
      const r = await request(o.t.app).get(path).set(auth);
      assert.ok(!r.text.includes(SECRET), path);
    }
    assert.ok(!o.logs().includes(SECRET));
  });
});

describe('when the directory is down or hangs', () => {
  test('LDAP down: the event is still acknowledged and the name falls back to the phone; lookups pause', async () => {
    const o = await office(`ldap://127.0.0.1:${await freePort()}`);
    try {
      await missedFrom(o, '+4930123456', 'Fallback Name');
      assert.equal(await o.names.lookup({ key: '+4930123456' }), undefined);
      assert.match((await request(o.t.app).get(pathOf(o.phone.screen)).expect(200)).text, /Fallback Name/);
      assert.equal((await apiCaller(o, '+4930123456')).contact, null);
      assert.match(o.logs(), /LDAP lookup failed/);
      assert.ok(!o.logs().includes(SECRET));
      const tried = o.searches();
      await missedFrom(o, '+4930222222', 'Other');
      await o.names.lookup({ key: '+4930222222' });
      assert.equal(o.searches(), tried, 'a down server is not asked again at once');
    } finally {
      await o.t.close();
    }
  });

  test('a server that accepts and never answers does not hold the acknowledgement; CSV contacts still name the caller', async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((s) => {
      sockets.add(s);
      s.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const o = await office(`ldap://127.0.0.1:${(silent.address() as { port: number }).port}`, { RINGBACK_LDAP_TIMEOUT_MS: '60000' });
    try {
      await request(o.t.app).post('/api/contacts').set(auth).send({ name: 'Known Locally', numbers: ['+49 30 123456'] }).expect(201);
      await missedFrom(o, '+4930333333', 'Still Shown');
      assert.equal(o.names.status().inFlight, 1, 'the acknowledgement came while the lookup still hangs');
      await missedFrom(o, '+4930123456', 'PBX');
      assert.match((await request(o.t.app).get(pathOf(o.phone.screen)).expect(200)).text, /Still Shown/);
      assert.equal((await apiCaller(o, '+4930123456')).contact?.name, 'Known Locally');
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => silent.close(resolve));
      await o.t.close();
    }
  });

  test('a wrong bind password is a failed lookup (fallback), not a crash, and is not logged', async () => {
    const o = await office(slapd.url, { RINGBACK_LDAP_BIND_PASSWORD: 'wrong-password-0815' });
    try {
      await missedFrom(o, '+4930123456', 'Fallback');
      assert.equal(await o.names.lookup({ key: '+4930123456' }), undefined);
      assert.match(o.logs(), /LDAP lookup failed/);
      assert.ok(!o.logs().includes('wrong-password-0815'));
    } finally {
      await o.t.close();
    }
  });
});

describe('the cache and the settings', () => {
  test('the cache is bounded: the least recently used entry goes first', () => {
    const cache = createNameCache<string>({ ttlMs: 1000, negativeTtlMs: 100, maxEntries: 2 });
    cache.set('a', 'A', 0);
    cache.set('b', null, 0);
    assert.equal(cache.get('a', 1), 'A'); // a is now the most recent
    cache.set('c', 'C', 2);
    assert.equal(cache.size(), 2);
    assert.equal(cache.get('b', 3), undefined, 'b was evicted');
    assert.equal(cache.get('a', 3), 'A');
    assert.equal(cache.get('a', 1000), undefined, 'expired after the TTL');
  });

  test('RINGBACK_LDAP_* settings are checked together and never echo the password', () => {
    const env = { RINGBACK_LDAP_URL: 'ldap://127.0.0.1:389', RINGBACK_LDAP_BIND_PASSWORD: 'pw-Secret-123', RINGBACK_LDAP_NAME_ATTRIBUTES: 'cn,(bad)' };
    const r = loadConfig(env);
    assert.ok(!r.ok);
    const text = r.errors.join('\n');
    assert.match(text, /RINGBACK_LDAP_BASE_DN/);
    assert.match(text, /RINGBACK_LDAP_BIND_DN/);
    assert.match(text, /RINGBACK_LDAP_NAME_ATTRIBUTES/);
    assert.ok(!text.includes('pw-Secret-123'));
    const user = loadConfig({ RINGBACK_LDAP_URL: 'ldap://reader:pw-Secret-123@127.0.0.1', RINGBACK_LDAP_BASE_DN: SUFFIX });
    assert.ok(!user.ok && !user.errors.join('').includes('pw-Secret-123'));
    const good = loadConfig({ RINGBACK_LDAP_URL: 'ldaps://dir.example.org', RINGBACK_LDAP_BASE_DN: SUFFIX });
    assert.ok(good.ok);
    assert.equal(good.config.ldap?.url, 'ldaps://dir.example.org');
    assert.deepEqual(good.config.ldap?.numberAttributes, ['telephoneNumber', 'mobile', 'homePhone']);
    const off = loadConfig({});
    assert.ok(off.ok && off.config.ldap === null);
  });
});
