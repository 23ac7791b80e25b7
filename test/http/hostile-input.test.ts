import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { XMLValidator } from 'fast-xml-parser';
import request from 'supertest';
import { ADMIN, startTestApp, type TestApp } from '../support/app.ts';
import { auth, createPhone, createTeam, fire, type DeskPhone } from '../support/office.ts';

/** A seeded generator: a failure names its seed, so it can be replayed exactly. */
function rng(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = s;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)] as T;
  return { next, int, pick };
}

const NASTY = [
  '', '%', '%zz', '%E0%A4%A', '%FF%FE', '%00', '%0D%0ASet-Cookie:%20x=1', '<script>', '"><x>', ']]>', '&amp;', '\'',
  '$remote', '$$', 'sip:', '<sip:@>', '+', '++49', '../../etc/passwd', '%2e%2e%2f', '☎️', '\u202e', 'A'.repeat(5000),
  '9'.repeat(300), '-1', '1e309', 'NaN', '[object Object]', '__proto__', 'constructor', 'null', 'true',
];

let t: TestApp;
let phone: DeskPhone;
let missedId: string;

before(async () => {
  t = await startTestApp();
  const team = await createTeam(t.app, { name: 'Reception <&>', extensions: ['11'] });
  phone = await createPhone(t.app, { mac: '805ec0000011', vendor: 'yealink', extension: '11', teamIds: [team] });
  await fire(t.app, phone, 'action_url.missed_call', { remote: 'sip:+4930123456@pbx', display_remote: '"<b>&\u0001"', active_user: '11', mac: phone.mac, call_id: '1' });
  const r = await request(t.app).get('/api/missed-calls').set(auth).expect(200);
  missedId = (r.body as { items: { id: string }[] }).items[0]!.id;
});
after(async () => t.close());

function randomValue(r: ReturnType<typeof rng>): string {
  switch (r.int(4)) {
    case 0: return r.pick(NASTY);
    case 1: return Array.from({ length: r.int(40) }, () => `%${r.int(256).toString(16).padStart(2, '0')}`).join('');
    case 2: return r.pick(NASTY) + r.pick(NASTY);
    default: return String(r.int(1e6));
  }
}

function randomQuery(r: ReturnType<typeof rng>, token: string): string {
  const keys = ['t', 'e', 'remote', 'local', 'name', 'cid', 'mac', 'p', 'outcome', 'x', '', '%', 'limit', 'cursor', 'status', 'from', 'to', 'team', 'caller'];
  const pairs = Array.from({ length: r.int(8) }, () => `${r.pick(keys)}=${randomValue(r)}`);
  if (r.next() < 0.7) pairs.unshift(`t=${r.next() < 0.8 ? token : randomValue(r)}`);
  return pairs.join('&');
}

test('1,200 generated hostile requests get no 5xx, and every XML answer is well-formed', async () => {
  const seed = 20261126;
  const r = rng(seed);
  const vendors = ['yealink', 'poly', 'cisco', 'snom', 'grandstream', 'fanvil', 'polycom', 'YEALINK', 'nokia', '%00', '..'];
  const failures: string[] = [];
  for (let i = 0; i < 1200; i++) {
    const vendor = r.next() < 0.6 ? 'yealink' : r.pick(vendors);
    const kind = r.int(7);
    let req: request.Test;
    let label: string;
    if (kind === 0) {
      label = `GET /phone/${vendor}/event`;
      req = request(t.app).get(`/phone/${vendor}/event?${randomQuery(r, phone.token)}`);
    } else if (kind === 1) {
      label = `POST /phone/${vendor}/event`;
      const body = r.next() < 0.5 ? `<PolycomIPPhone><IncomingCallEvent><MACAddress>${randomValue(r)}</MACAddress>` : randomValue(r).repeat(r.int(50));
      req = request(t.app).post(`/phone/${vendor}/event?t=${phone.token}`).set('Content-Type', r.pick(['text/xml', 'application/xml', 'text/plain; charset=klingon', 'application/json'])).send(body);
    } else if (kind === 2) {
      label = 'GET screen';
      const path = r.pick(['', `/${missedId}`, `/${randomValue(r)}`, `/${missedId}/${r.pick(['mine', 'return', 'ignore', 'reopen', 'release', 'outcome', randomValue(r)])}`]);
      req = request(t.app).get(`/phone/${vendor}/missed${path}?${randomQuery(r, phone.token)}`);
    } else if (kind === 3) {
      label = 'GET /api';
      const path = r.pick(['/api/missed-calls', `/api/missed-calls/${randomValue(r)}`, '/api/calls', '/api/phones', `/api/phones/${randomValue(r)}`, '/api/teams', `/api/teams/${randomValue(r)}`]);
      req = request(t.app).get(`${path}?${randomQuery(r, '')}`).set(r.next() < 0.85 ? auth : { Authorization: `Bearer ${randomValue(r).replace(/[^\x21-\x7e]/g, "")}` });
    } else if (kind === 4) {
      label = 'POST /api json';
      const path = r.pick(['/api/teams', '/api/phones', `/api/missed-calls/${missedId}/actions`, `/api/missed-calls/${randomValue(r)}/actions`, `/api/phones/${randomValue(r)}/token`]);
      const body = r.next() < 0.5 ? `{"${randomValue(r)}": ${r.pick(['1', '"x"', 'null', '[', '{"a":', '[1,2]', '{"__proto__":{"x":1}}'])}}`
        : JSON.stringify({ name: randomValue(r), action: r.pick(['assign', 'return', 'nope', randomValue(r)]), mac: randomValue(r), vendor: r.pick(vendors), extension: randomValue(r), teamIds: [randomValue(r)], outcome: randomValue(r) });
      req = request(t.app).post(path).set(auth).set('Content-Type', 'application/json').send(body);
    } else if (kind === 5) {
      label = 'PATCH/DELETE /api';
      const method = r.pick(['patch', 'delete'] as const);
      req = request(t.app)[method](r.pick([`/api/teams/${randomValue(r)}`, `/api/phones/${randomValue(r)}`])).set(auth).send({ teamIds: randomValue(r) });
    } else {
      label = 'GET huge';
      req = request(t.app).get(`/phone/${vendor}/event?t=${phone.token}&e=missed&remote=${'9'.repeat(r.int(60_000))}`);
    }
    const res = await req;
    if (res.status >= 500) failures.push(`#${i} ${label}: ${res.status} ${res.text.slice(0, 200)}`);
    const type = res.headers['content-type'] ?? '';
    if (/xml/.test(type) && XMLValidator.validate(res.text) !== true) failures.push(`#${i} ${label}: malformed XML ${res.text.slice(0, 200)}`);
  }
  assert.deepEqual(failures, [], `seed ${seed}`);
  const health = await request(t.app).get('/healthz');
  assert.equal(health.status, 200);
});

test('secrets never appear in the logs', () => {
  const all = t.logs.join('\n');
  assert.ok(!all.includes(phone.token), 'phone token logged');
  assert.ok(!all.includes(ADMIN), 'admin token logged');
});
