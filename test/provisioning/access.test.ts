import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import request from 'supertest';
import { auth, createPhone, createTeam } from '../support/office.ts';
import { HOST, PhoneClient, PROV_PASSWORD, startProvisioningApp, type ProvisioningTestApp } from './harness.ts';
import { bootCisco, bootFanvil, bootGrandstream, bootPoly, bootSnom, bootYealink } from './phones.ts';

let t: ProvisioningTestApp;
let team: string;
const YEALINK = '805ec0aabb01';
const UA = 'Yealink SIP-T46U 108.86.0.20 80:5e:c0:aa:bb:01';

beforeEach(async () => {
  t = await startProvisioningApp();
  team = await createTeam(t.app, { name: 'Reception', extensions: ['11', '12'], timeZone: 'Europe/Berlin' });
  await createPhone(t.app, { mac: YEALINK, vendor: 'yealink', model: 'T46U', teamIds: [team], lines: [{ extension: '11', sipPassword: 'sip-pw-11' }] });
});
afterEach(async () => t.close());

const get = (path: string, ua = UA) => request(t.app).get(path).set('User-Agent', ua).set('Host', HOST);

describe('credentials', () => {
  test('a request without credentials is challenged with Digest and Basic, and gets nothing', async () => {
    const r = await get(`/provision/${YEALINK}.cfg`).expect(401);
    assert.equal(r.text, '');
    const challenges = String(r.headers['www-authenticate']);
    assert.match(challenges, /Digest realm="ringback", qop="auth", algorithm=MD5, nonce="[^"]+"/);
    assert.match(challenges, /Basic realm="ringback"/);
  });

  test('wrong credentials are refused with 401, by Basic and by Digest', async () => {
    for (const scheme of ['basic', 'digest'] as const) {
      const phone = new PhoneClient(t.app, { userAgent: UA, scheme, password: 'not-the-password-123' });
      const r = await phone.get(`/provision/${YEALINK}.cfg`);
      assert.equal(r.status, 401, scheme);
      assert.equal(r.text, '');
    }
  });

  test('the right credentials work by Basic and by Digest', async () => {
    for (const scheme of ['basic', 'digest'] as const) {
      const r = await new PhoneClient(t.app, { userAgent: UA, scheme }).get(`/provision/${YEALINK}.cfg`);
      assert.equal(r.status, 200, scheme);
    }
  });

  test('a Digest answer cannot be replayed, and an expired nonce comes back stale so the phone retries', async () => {
    const phone = new PhoneClient(t.app, { userAgent: UA });
    const path = `/provision/${YEALINK}.cfg`;
    const challenge = String((await get(path).expect(401)).headers['www-authenticate']).split(/,\s*(?=Basic\s)/);
    const header = phone.authorization('GET', path, challenge);
    await get(path).set('Authorization', header).expect(200);
    await get(path).set('Authorization', header).expect(401);
    const fresh = phone.authorization('GET', path, challenge);
    t.clock.advance(600);
    const stale = await get(path).set('Authorization', fresh).expect(401);
    assert.match(String(stale.headers['www-authenticate']), /stale=true/);
    assert.equal((await phone.get(path)).status, 200);
  });

  test('a Digest answer for one file does not open another', async () => {
    const phone = new PhoneClient(t.app, { userAgent: UA });
    const challenge = String((await get(`/provision/${YEALINK}.boot`).expect(401)).headers['www-authenticate']).split(/,\s*(?=Basic\s)/);
    await get(`/provision/${YEALINK}.cfg`).set('Authorization', phone.authorization('GET', `/provision/${YEALINK}.boot`, challenge)).expect(401);
  });

  test('repeated wrong logins from one address are slowed down (429, even with the right password) until the pause is over', async () => {
    const wrong = new PhoneClient(t.app, { userAgent: UA, scheme: 'basic', password: 'guess-guess-guess' });
    for (let i = 0; i < 6; i++) assert.equal((await wrong.get(`/provision/${YEALINK}.cfg`)).status, 401, `attempt ${i + 1}`);
    const right = new PhoneClient(t.app, { userAgent: UA, scheme: 'basic' });
    const blocked = await right.get(`/provision/${YEALINK}.cfg`);
    assert.equal(blocked.status, 429);
    assert.equal(blocked.headers['retry-after'], '1');
    t.clock.advance(1);
    assert.equal((await right.get(`/provision/${YEALINK}.cfg`)).status, 200);
    // A correct login clears the record; after that, each failure past the free ones doubles the pause.
    for (let i = 0; i < 6; i++) assert.equal((await wrong.get(`/provision/${YEALINK}.cfg`)).status, 401);
    assert.equal((await right.get(`/provision/${YEALINK}.cfg`)).headers['retry-after'], '1');
    t.clock.advance(1);
    assert.equal((await wrong.get(`/provision/${YEALINK}.cfg`)).status, 401);
    const longer = await right.get(`/provision/${YEALINK}.cfg`);
    assert.equal(longer.status, 429);
    assert.equal(longer.headers['retry-after'], '2');
  });

  test('a network outside RINGBACK_PROVISION_ALLOW is refused before anything else', async () => {
    const closed = await startProvisioningApp({ allow: ['10.0.0.0/8'] });
    try {
      const r = await new PhoneClient(closed.app, { userAgent: UA }).get(`/provision/${YEALINK}.cfg`);
      assert.equal(r.status, 403);
      assert.equal(r.text, '');
    } finally {
      await closed.close();
    }
  });

  test('failed logins are logged without the password tried or the real one', async () => {
    await new PhoneClient(t.app, { userAgent: UA, scheme: 'basic', password: 'guessed-password-77' }).get(`/provision/${YEALINK}.cfg`);
    const logs = t.logs.join('');
    assert.match(logs, /provisioning login refused/);
    assert.ok(!logs.includes('guessed-password-77') && !logs.includes(PROV_PASSWORD));
  });
});

describe('which files a phone gets', () => {
  test('a phone asking for another phone\'s file (its User-Agent names its own MAC) is refused with 403 and logged', async () => {
    await createPhone(t.app, { mac: '805ec0aabb02', vendor: 'yealink', extension: '12', lines: [{ extension: '12', sipPassword: 'other-secret' }] });
    const r = await new PhoneClient(t.app, { userAgent: UA }).get('/provision/805ec0aabb02.cfg');
    assert.equal(r.status, 403);
    assert.equal(r.text, '');
    assert.match(t.logs.join(''), /provisioning request for another phone refused/);
  });

  test('an unknown MAC is a 404 with an empty body, like a file that does not exist', async () => {
    const phone = new PhoneClient(t.app, { userAgent: 'Yealink SIP-T46U 108.86.0.20 80:5e:c0:00:00:99' });
    for (const name of ['805ec0000099.cfg', '805ec0000099.boot', 'y000000000000.boot']) {
      const r = await phone.get(`/provision/${name}`);
      assert.equal(r.status, 404, name);
      assert.equal(r.text, '', name);
    }
  });

  test('path traversal and odd file names are 404', async () => {
    const phone = new PhoneClient(t.app, { userAgent: UA });
    for (const path of ['..%2f..%2fpackage.json', '%2e%2e%2fconfig.json', '.env', `${YEALINK}.cfg.bak`, 'y000000000999.cfg', `${'a'.repeat(300)}.cfg`,
      `${YEALINK}.cfg%00.txt`, 'admin-token', `${YEALINK}%2fcfg`]) {
      const r = await phone.get(`/provision/${path}`);
      assert.equal(r.status, 404, path);
      assert.equal(r.text, '', path);
    }
    assert.equal((await phone.get('/provision/a/b')).status, 404);
  });

  test('a phone of another vendor does not get a file by a name its vendor does not use', async () => {
    const r = await new PhoneClient(t.app, { userAgent: UA }).get(`/provision/${YEALINK}.xml`);
    assert.equal(r.status, 404);
  });

  test('SIP passwords and tokens appear only in the owning phone\'s files, never in another phone\'s or a shared one', async () => {
    const owners = [
      { mac: '805ec0aabb03', vendor: 'yealink', model: 'T46U', ua: 'Yealink SIP-T46U 108.86.0.20 805ec0aabb03', boot: bootYealink },
      { mac: '805ec0aabb04', vendor: 'yealink', model: 'T46U', ua: 'Yealink SIP-T46U 108.86.0.20 805ec0aabb04', boot: bootYealink },
      { mac: '0004f2aabb05', vendor: 'poly', model: 'VVX410', ua: 'PolycomVVX-VVX_410-UA/5.9.0', boot: bootPoly },
      { mac: '0004f2aabb06', vendor: 'poly', model: 'VVX410', ua: 'PolycomVVX-VVX_410-UA/5.9.0', boot: bootPoly },
      { mac: '00562baabb07', vendor: 'cisco', model: 'CP-8841-3PCC', ua: 'Cisco-CP8841-3PCC/11.3.7', boot: (c: PhoneClient, m: string) => bootCisco(c, m, '8841') },
      { mac: '000413aabb08', vendor: 'snom', model: 'D785', ua: 'snomD785-SIP 10.1.54.13', boot: bootSnom },
      { mac: '000b82aabb09', vendor: 'grandstream', model: 'GXP2170', ua: 'Grandstream GXP2170 1.0.11.3 000b82aabb09', boot: bootGrandstream },
      { mac: '0c383eaabb10', vendor: 'fanvil', model: 'X4U', ua: 'Fanvil X4U 2.12.2 0c383eaabb10', boot: bootFanvil },
    ];
    const secrets = new Map<string, string[]>();
    for (const o of owners) {
      const created = await request(t.app).post('/api/phones').set(auth).send({
        mac: o.mac, vendor: o.vendor, model: o.model, teamIds: [team], lines: [{ extension: '11', sipPassword: `pw-of-${o.mac}` }],
      }).expect(201);
      secrets.set(o.mac, [`pw-of-${o.mac}`, (created.body as { token: string }).token]);
    }
    const files = new Map<string, { owner: string | null; text: string }>();
    for (const o of owners) {
      const booted = await o.boot(new PhoneClient(t.app, { userAgent: o.ua }), o.mac);
      for (const [name, text] of booted.files) files.set(name, { owner: name.includes(o.mac) ? o.mac : null, text });
    }
    assert.ok(files.has('y000000000108.cfg') && files.has('8841.xml'));
    for (const [name, f] of files) {
      for (const [mac, values] of secrets) {
        if (f.owner === mac) continue;
        for (const secret of values) assert.ok(!f.text.includes(secret), `${name} must not hold a secret of ${mac}`);
      }
    }
    for (const o of owners) {
      const own = [...files].filter(([, f]) => f.owner === o.mac).map(([, f]) => f.text).join('\n');
      for (const secret of secrets.get(o.mac) ?? []) assert.ok(own.includes(secret), `${o.mac}'s own files carry its ${secret === `pw-of-${o.mac}` ? 'password' : 'token'}`);
    }
  });
});
