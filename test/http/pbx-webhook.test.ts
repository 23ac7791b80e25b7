import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { signWebhook } from '../../src/pbx/webhook.ts';
import { startTestApp, WEBHOOK_SECRET, type TestApp } from '../support/app.ts';
import { auth, createTeam } from '../support/office.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
  await createTeam(t.app, { name: 'Support', extensions: ['21', '22'], numbers: ['+49 30 5550'] });
});
after(async () => t.close());

function call(id: string, extra: object = {}): string {
  return JSON.stringify({
    id, caller: '+4930111222', callerName: 'Ole', called: '+49305550', startedAt: '2026-11-26T08:59:00Z', endedAt: '2026-11-26T08:59:30Z',
    rang: ['21', '22'], answeredBy: null, ...extra,
  });
}

function post(body: string, opts: { secret?: string; timestamp?: number } = {}) {
  const ts = String(opts.timestamp ?? Math.floor(t.clock.ms / 1000));
  return request(t.app).post('/pbx/webhook').set('Content-Type', 'application/json')
    .set('X-Ringback-Timestamp', ts).set('X-Ringback-Signature', signWebhook(opts.secret ?? WEBHOOK_SECRET, ts, body)).send(body);
}

async function missedCount(): Promise<number> {
  const r = await request(t.app).get('/api/missed-calls').set(auth).expect(200);
  return (r.body as { items: unknown[] }).items.length;
}

describe('the signed PBX webhook', () => {
  test('an unanswered call from a PBX becomes one missed call of the team owning the number', async () => {
    await post(call('c-1')).expect(200);
    const r = await request(t.app).get('/api/missed-calls').set(auth).expect(200);
    const [m] = (r.body as { items: { caller: { number: string }; rule: string; ringSeconds: number }[] }).items;
    assert.equal(m?.caller.number, '+4930111222');
    assert.equal(m?.ringSeconds, 30);
  });

  test('the same call delivered again (signed anew) is not counted twice', async () => {
    t.clock.advance(1);
    await post(call('c-1')).expect(200);
    assert.equal(await missedCount(), 1);
  });

  test('a replayed delivery gets 409', async () => {
    const body = call('c-2', { answeredBy: '21' });
    await post(body).expect(200);
    await post(body).expect(409);
  });

  test('a wrong signature gets 401 and nothing is recorded', async () => {
    await post(call('c-3', { caller: '+4930999999' }), { secret: 'another-secret-0123456789' }).expect(401);
    const r = await request(t.app).get('/api/calls').set(auth).expect(200);
    assert.ok(!JSON.stringify(r.body).includes('+4930999999'));
  });

  test('a stale timestamp gets 401, a malformed or truncated body 400, a 1 MB body 413', async () => {
    await post(call('c-4'), { timestamp: Math.floor(t.clock.ms / 1000) - 3600 }).expect(401);
    await post(call('c-5').slice(0, 40)).expect(400);
    await post(JSON.stringify({ id: 'c-6', caller: '<!ENTITY x SYSTEM "file:///etc/passwd">' })).expect(400);
    const big = await post('x'.repeat(1024 * 1024));
    assert.equal(big.status, 413);
  });
});
