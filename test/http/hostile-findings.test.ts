/** Defects the seeded hostile-input run (hostile-input.test.ts) found, each pinned by its own test. */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import net, { type AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import request from 'supertest';
import { PROV_PASSWORD, PROV_USER, startProvisioningApp } from '../provisioning/harness.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { auth, createPhone, createTeam } from '../support/office.ts';

let t: TestApp;
before(async () => { t = await startTestApp(); });
after(async () => t.close());

test('a HEAD of the live stream is answered and ended at once, so the connection serves the next request', async () => {
  const server = t.app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const socket = net.connect((server.address() as AddressInfo).port, '127.0.0.1');
  try {
    await once(socket, 'connect');
    let got = '';
    const both = new Promise<void>((resolve) => {
      socket.on('data', (d: Buffer) => {
        got += d.toString('latin1');
        if ((got.match(/HTTP\/1\.1 \d{3}/g) ?? []).length >= 2) resolve();
      });
      // Closed early: the assertion below says what came.
      socket.once('close', () => resolve());
    });
    socket.write(`HEAD /api/live HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${auth.Authorization}\r\n\r\nGET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    // A HEAD that is never ended leaves the second answer unsent: the runner's timeout fails the test.
    await both;
    assert.match(got, /^HTTP\/1\.1 200[^]*text\/event-stream[^]*HTTP\/1\.1 200/);
  } finally {
    socket.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

test('a dashboard file asked for with an impossible Range gets a JSON error that says it is JSON', async () => {
  const r = await request(t.app).get('/assets/icon.svg').set('Range', 'bytes=999999999-');
  assert.equal(r.status, 416);
  assert.match(String(r.headers['content-type']), /^application\/json/);
  assert.equal((r.body as { error: { code: string } }).error.code !== undefined, true);
});

test('a provisioning request whose Host is too long for the phone\'s URL fields gets 400, a Host longer than any DNS name is ignored, never 500', async () => {
  const p = await startProvisioningApp();
  try {
    const team = await createTeam(p.app, { name: 'Reception', extensions: ['11'] });
    await createPhone(p.app, { mac: '0000000000e1', vendor: 'cisco', extension: '11', teamIds: [team] });
    await createPhone(p.app, { mac: '0000000000e2', vendor: 'fanvil', extension: '11', teamIds: [team] });
    const basic = `Basic ${Buffer.from(`${PROV_USER}:${PROV_PASSWORD}`).toString('base64')}`;
    const get = (host: string) => request(p.app).get('/provision/0000000000e1.xml').set('Host', host).set('Authorization', basic).set('User-Agent', 'Cisco-CP8841-3PCC/11.3.7');
    assert.equal((await get(`${'a'.repeat(240)}.example`)).status, 400);
    assert.equal((await get('ringback.test:8080')).status, 200);
    // Longer than any DNS name: not a host at all, so the files name localhost (as for any hostile Host).
    const fanvil = await request(p.app).get('/provision/0000000000e2.cfg').set('Host', 'a'.repeat(2000)).set('Authorization', basic).set('User-Agent', 'Fanvil X4U 2.12.2 0000000000e2');
    assert.equal(fanvil.status, 200);
    assert.ok(!fanvil.text.includes('a'.repeat(300)));
  } finally {
    await p.close();
  }
});
