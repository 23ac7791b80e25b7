import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createReplayCache, signWebhook, verifyAndParseWebhook, type WebhookInput } from '../../src/pbx/webhook.ts';

const SECRET = 'whsec-0123456789';
const NOW = Date.parse('2026-11-26T09:20:00.000Z');
const TS = String(NOW / 1000);

const BODY = {
  id: 'call-7f3a',
  caller: '+4930555123',
  callerName: 'ACME GmbH',
  called: '600',
  startedAt: '2026-11-26T10:15:00+01:00',
  endedAt: '2026-11-26T09:15:31.250Z',
  rang: ['11', '12'],
  answeredBy: null,
  abandonedInQueue: false,
  direction: 'inbound',
};

/** A delivery signed the way a PBX would sign it, written out here independently of signWebhook. */
function delivery(body: unknown = BODY, over: Partial<WebhookInput> & { ts?: string } = {}): WebhookInput {
  const rawBody = typeof body === 'string' ? body : JSON.stringify(body);
  const ts = over.ts ?? TS;
  const sig = createHmac('sha256', SECRET).update(`${ts}.${rawBody}`).digest('hex');
  return {
    rawBody,
    headers: { 'x-ringback-timestamp': ts, 'x-ringback-signature': `sha256=${sig}`, 'content-type': 'application/json' },
    secret: SECRET,
    now: NOW,
    replay: createReplayCache(),
    ...over,
  };
}

test('accepts a correctly signed delivery and turns it into a PbxCall keyed webhook:<id>', () => {
  const r = verifyAndParseWebhook(delivery());
  assert.deepEqual(r, {
    ok: true,
    value: {
      pbxCallId: 'webhook:call-7f3a', caller: '+4930555123', callerName: 'ACME GmbH', called: '600',
      startedAt: '2026-11-26T09:15:00.000Z', endedAt: '2026-11-26T09:15:31.250Z',
      rang: ['11', '12'], answeredBy: null, abandonedInQueue: false, direction: 'inbound',
    },
  });
});

test('fills optional fields with their defaults', () => {
  const { callerName, called, abandonedInQueue, direction, ...minimal } = BODY;
  const r = verifyAndParseWebhook(delivery({ ...minimal, answeredBy: '12' }));
  assert.ok(r.ok);
  assert.equal(r.value.callerName, '');
  assert.equal(r.value.called, '');
  assert.equal(r.value.abandonedInQueue, false);
  assert.equal(r.value.direction, 'inbound');
  assert.equal(r.value.answeredBy, '12');
});

test('matches header names case-insensitively', () => {
  const d = delivery();
  const headers = Object.fromEntries(Object.entries(d.headers).map(([k, v]) => [k.toUpperCase(), v]));
  assert.equal(verifyAndParseWebhook({ ...d, headers }).ok, true);
});

test('signWebhook produces the header a sender must send', () => {
  const d = delivery();
  assert.equal(signWebhook(SECRET, TS, d.rawBody), d.headers['x-ringback-signature']);
});

test('rejects a wrong HMAC with 401', () => {
  const d = delivery();
  const wrong = createHmac('sha256', 'other-secret').update(`${TS}.${d.rawBody}`).digest('hex');
  const r = verifyAndParseWebhook({ ...d, headers: { ...d.headers, 'x-ringback-signature': `sha256=${wrong}` } });
  assert.deepEqual(r, { ok: false, code: 'unauthorized', message: 'signature does not match' });
});

test('rejects a body changed after signing with 401', () => {
  const d = delivery();
  const r = verifyAndParseWebhook({ ...d, rawBody: d.rawBody.replace('"11"', '"13"') });
  assert.ok(!r.ok && r.code === 'unauthorized');
});

test('rejects missing, malformed or repeated signature and timestamp headers with 401', () => {
  const d = delivery();
  const cases: WebhookInput['headers'][] = [
    { 'x-ringback-timestamp': TS },
    { 'x-ringback-signature': d.headers['x-ringback-signature'] },
    { ...d.headers, 'x-ringback-signature': 'sha1=abcd' },
    { ...d.headers, 'x-ringback-signature': 'sha256=zz' },
    { ...d.headers, 'x-ringback-timestamp': '1.5e9' },
    { ...d.headers, 'x-ringback-timestamp': [TS, TS] },
  ];
  for (const headers of cases) {
    const r = verifyAndParseWebhook({ ...d, headers });
    assert.ok(!r.ok && r.code === 'unauthorized', JSON.stringify(headers));
  }
});

test('rejects a timestamp more than five minutes off, either way, with 401 even when correctly signed', () => {
  for (const offset of [-301, 301]) {
    const r = verifyAndParseWebhook(delivery(BODY, { ts: String(NOW / 1000 + offset) }));
    assert.ok(!r.ok && r.code === 'unauthorized', String(offset));
  }
  assert.equal(verifyAndParseWebhook(delivery(BODY, { ts: String(NOW / 1000 - 299) })).ok, true);
});

test('rejects a replay of the same id and timestamp with 409, and accepts the id re-signed with a new timestamp', () => {
  const replay = createReplayCache();
  assert.equal(verifyAndParseWebhook(delivery(BODY, { replay })).ok, true);
  const again = verifyAndParseWebhook(delivery(BODY, { replay }));
  assert.ok(!again.ok && again.code === 'replayed');
  assert.equal(verifyAndParseWebhook(delivery(BODY, { replay, ts: String(NOW / 1000 + 1) })).ok, true);
});

test('forgets replay entries once their timestamp could no longer be accepted, and stays within its bound', () => {
  const replay = createReplayCache({ maxEntries: 3 });
  assert.equal(replay.claim('a', 100, 0), true);
  assert.equal(replay.claim('a', 100, 50), false);
  assert.equal(replay.claim('a', 300, 100), true, 'expired at 100');
  for (const k of ['b', 'c', 'd', 'e']) replay.claim(k, 1000, 150);
  assert.equal(replay.size, 3);
});

test('does not burn the id of a delivery rejected for its fields', () => {
  const replay = createReplayCache();
  assert.equal(verifyAndParseWebhook(delivery({ ...BODY, direction: 'sideways' }, { replay })).ok, false);
  assert.equal(replay.size, 0);
});

test('rejects a body that is not JSON with 400', () => {
  const r = verifyAndParseWebhook(delivery('{"id": "x",'));
  assert.deepEqual(r, { ok: false, code: 'invalid', message: 'body is not valid JSON' });
});

test('rejects every malformed field with 400', () => {
  const broken: Record<string, unknown>[] = [
    { ...BODY, id: '' }, { ...BODY, id: 'a b' }, { ...BODY, id: 'x'.repeat(129) }, { ...BODY, id: 7 },
    { ...BODY, caller: 30 }, { ...BODY, caller: 'x'.repeat(65) }, { ...BODY, callerName: 'Eve\nInjected: 1' },
    { ...BODY, called: null },
    { ...BODY, startedAt: '2026-11-26 09:15:00' }, { ...BODY, startedAt: '2026-02-30T09:15:00Z' },
    { ...BODY, startedAt: '2026-11-26T09:15:00' }, { ...BODY, startedAt: 1795684500 },
    { ...BODY, endedAt: '2026-11-26T09:14:00Z' }, { ...BODY, endedAt: '2026-11-26T09:30:00Z' },
    { ...BODY, rang: '11' }, { ...BODY, rang: ['11', ''] }, { ...BODY, rang: [11] },
    { ...BODY, rang: Array.from({ length: 101 }, (_, i) => String(i)) },
    { ...BODY, answeredBy: '' }, { ...BODY, answeredBy: 12 },
    { ...BODY, abandonedInQueue: 'yes' }, { ...BODY, abandonedInQueue: true, answeredBy: '11' },
    { ...BODY, direction: 'sideways' }, { ...BODY, answered_by: '11' },
  ];
  const { answeredBy, ...noAnswer } = BODY;
  broken.push(noAnswer);
  for (const body of broken) {
    const r = verifyAndParseWebhook(delivery(body));
    assert.ok(!r.ok && r.code === 'invalid', JSON.stringify(body).slice(0, 120));
  }
  for (const raw of ['[]', 'null', '"call"', '42']) {
    const r = verifyAndParseWebhook(delivery(raw));
    assert.ok(!r.ok && r.code === 'invalid', raw);
  }
});

test('rejects an oversized body with 400 before parsing it', () => {
  const r = verifyAndParseWebhook(delivery({ ...BODY, callerName: 'x'.repeat(70_000) }));
  assert.deepEqual(r, { ok: false, code: 'invalid', message: 'body too large' });
});

test('answers 401, never anything else, when no secret is configured', () => {
  const r = verifyAndParseWebhook({ ...delivery(), secret: '' });
  assert.ok(!r.ok && r.code === 'unauthorized');
});
