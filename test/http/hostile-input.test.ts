import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import request from 'supertest';
import { VENDOR_NAMES } from '../../src/domain/types.ts';
import { vendors } from '../../src/vendors/index.ts';
import { USER_AGENTS } from '../vendors/user-agents.ts';
import { createLimitedServer, DEFAULT_SERVER_LIMITS } from '../../src/http/server-limits.ts';
import { PROV_PASSWORD, PROV_USER, startProvisioningApp, type ProvisioningTestApp } from '../provisioning/harness.ts';
import { ADMIN, WEBHOOK_SECRET } from '../support/app.ts';
import { auth, createPhone, createTeam, fire } from '../support/office.ts';
import { rng, seedFrom } from '../support/random.ts';
import { RawHttpClient } from '../support/raw-http.ts';
import { strictXmlErrors } from '../support/strict-xml.ts';
import { FAMILIES, generate, type FuzzFixture, type FuzzPhone } from './hostile-requests.ts';

const REQUESTS = 10_500;
/** How often each family is drawn: the phone and API families carry most of the logic. */
const WEIGHTS: Record<(typeof FAMILIES)[number], number> = {
  'phone-event': 14, 'phone-event-post': 7, 'phone-screen': 22, provision: 10, 'api-read': 14, 'api-write': 14, webhook: 8, health: 3, dashboard: 4, unknown: 3, framing: 4,
};

let t: ProvisioningTestApp;
let server: Server;
let fx: FuzzFixture;

before(async () => {
  t = await startProvisioningApp();
  const team = await createTeam(t.app, { name: 'Reception <&> &#0;', extensions: VENDOR_NAMES.map((_, i) => `1${i}`), numbers: ['+49 30 5550'] });
  const victimTeam = await createTeam(t.app, { name: 'Victim', extensions: ['90'] });
  const phones: FuzzPhone[] = [];
  for (const [i, vendor] of VENDOR_NAMES.entries()) {
    const p = await createPhone(t.app, { mac: `0000000000c${i}`, vendor, extension: `1${i}`, teamIds: [team], label: `Desk &nbsp; ${i}`, userName: 'Anna "&#x1F;"' });
    const files = vendors[vendor].provisioning?.files(t.store.phone(p.mac)!).map((f) => f.name) ?? [];
    // A real User-Agent of this vendor, carrying this phone's MAC where the vendor puts one.
    const userAgent = USER_AGENTS[vendor][0]!.replace(/([0-9a-f]{2}:){5}[0-9a-f]{2}|[0-9a-f]{12}/i, p.mac);
    phones.push({ vendor, mac: p.mac, token: p.token, events: p.events, files, userAgent });
  }
  const victim = await createPhone(t.app, { mac: '0000000000d0', vendor: 'poly', extension: '90', teamIds: [victimTeam] });
  const yealink = phones.find((p) => p.vendor === 'yealink')!;
  for (const [i, name] of ['&#0;', '<b>&amp;</b>', '"]]>\u0001', 'Ada'].entries()) {
    await fire(t.app, { ...yealink, extension: '10', screen: '' }, 'action_url.missed_call', { remote: `sip:+4930123456${i}@pbx`, display_remote: name, active_user: '10', mac: yealink.mac, call_id: `m${i}` });
    t.clock.advance(120);
  }
  const r = await request(t.app).get('/api/missed-calls').set(auth).expect(200);
  const missedIds = (r.body as { items: { id: string }[] }).items.map((m) => m.id);
  assert.ok(missedIds.length >= 4);
  fx = {
    phones, missedIds, teamIds: [team, victimTeam], victimMac: victim.mac, victimTeam, admin: ADMIN, webhookSecret: WEBHOOK_SECRET,
    provUser: PROV_USER, provPassword: PROV_PASSWORD, nowSeconds: () => Math.floor(t.clock.ms / 1000),
  };
  // The limits main.ts sets, on a real socket: the fuzz goes through them too.
  server = createLimitedServer(t.app, DEFAULT_SERVER_LIMITS).listen(0, '127.0.0.1');
  await once(server, 'listening');
});
after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await t.close();
});

function pickFamily(r: ReturnType<typeof rng>): (typeof FAMILIES)[number] {
  const total = Object.values(WEIGHTS).reduce((a, b) => a + b, 0);
  let x = r.int(total);
  for (const f of FAMILIES) if ((x -= WEIGHTS[f]) < 0) return f;
  return 'unknown';
}

test(`${REQUESTS.toLocaleString('en')} seeded hostile requests over every route family get no 5xx, and every XML answer is well-formed for a strict parser`, async (ctx) => {
  const seed = seedFrom(20261126);
  const r = rng(seed);
  const client = new RawHttpClient((server.address() as AddressInfo).port);
  const failures: string[] = [];
  const xml: { label: string; body: string }[] = [];
  const statuses = new Map<string, Map<number, number>>();
  try {
    for (let i = 0; i < REQUESTS; i++) {
      t.clock.advance(1); // phones' login brake and webhook timestamps see time pass
      const family = pickFamily(r);
      const req = generate(r, fx, family);
      const label = `#${i} ${family} ${req.bytes.subarray(0, 160).toString('latin1').split('\r\n')[0]}`;
      const result = await client.send(req.bytes, { ...(req.fresh ? { fresh: true } : {}), ...(req.head ? { head: true } : {}) }).catch((e: unknown) => ({ ok: false as const, reason: String(e) }));
      if (!result.ok) {
        if (family !== 'framing') failures.push(`${label}: ${result.reason}`);
        continue;
      }
      const { status, headers, body } = result.response;
      const byStatus = statuses.get(family) ?? new Map<number, number>();
      byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
      statuses.set(family, byStatus);
      if (status >= 500) failures.push(`${label}: ${status} ${body.toString('utf8').slice(0, 200)}`);
      const text = body.toString('utf8');
      // HEAD has no body and a 206 is a slice of a file (the dashboard's SVG icon): neither is a document.
      if (req.head !== true && status !== 206 && (/xml/.test(headers['content-type'] ?? '') || text.startsWith('<?xml'))) xml.push({ label, body: text });
    }
  } finally {
    client.close();
  }
  const malformed = await strictXmlErrors(xml.map((d) => d.body));
  for (const [i, e] of malformed) failures.push(`${xml[i]!.label}: malformed XML (${e}) ${xml[i]!.body.slice(0, 300)}`);
  const summary = [...statuses].map(([f, m]) => `${f}: ${[...m].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}×${n}`).join(' ')}`).join('\n');
  const errors = t.logs.filter((l) => /"level":(50|60)/.test(l)).slice(0, 5).map((l) => l.slice(0, 600));
  assert.deepEqual(failures.slice(0, 20), [], `seed ${seed} (replay with RINGBACK_TEST_SEED=${seed}); ${failures.length} failures\n${summary}\nserver errors:\n${errors.join('\n')}`);
  for (const f of FAMILIES) assert.ok((statuses.get(f)?.size ?? 0) > 0 || f === 'framing', `family ${f} was sent`);
  assert.ok(xml.length >= 700, `${xml.length} XML answers checked`);
  const successes = [...statuses.values()].reduce((n, m) => n + [...m].filter(([s]) => s < 300).reduce((a, [, c]) => a + c, 0), 0);
  assert.ok(successes >= REQUESTS / 5, `${successes} requests reached a 2xx: the fuzz gets past the front door`);

  ctx.diagnostic(`seed ${seed}: ${REQUESTS} requests, ${FAMILIES.length} families, ${successes} answered 2xx, ${xml.length} XML answers checked by libxml2, 0 5xx`);
  ctx.diagnostic(summary.replace(/\n/g, ' | '));

  // The office still works afterwards.
  assert.equal((await request(t.app).get('/healthz')).status, 200);
  const yealink = fx.phones.find((p) => p.vendor === 'yealink')!;
  const list = await request(t.app).get(`/phone/yealink/missed?t=${yealink.token}`);
  assert.equal(list.status, 200);
  assert.equal((await strictXmlErrors([list.text])).size, 0);
});

test('secrets never appear in the logs', () => {
  const all = t.logs.join('\n');
  for (const p of fx.phones) assert.ok(!all.includes(p.token), `${p.vendor} phone token logged`);
  assert.ok(!all.includes(ADMIN), 'admin token logged');
  assert.ok(!all.includes(PROV_PASSWORD), 'provisioning password logged');
});
