import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import request from 'supertest';
import { auth } from '../support/office.ts';
import { DORA, missedCall, missedList, office, startFollowUpApp, type FollowUpApp } from './follow-up-app.ts';
import { startWebhookReceiver, type WebhookReceiver } from './receivers.ts';
import { NOTIFY_SECRET } from './follow-up-app.ts';

async function withReceiver(fn: (hook: WebhookReceiver) => Promise<void>): Promise<void> {
  const hook = await startWebhookReceiver(NOTIFY_SECRET);
  try {
    await fn(hook);
  } finally {
    await hook.close();
  }
}

async function withApp(fn: (t: FollowUpApp) => Promise<void>): Promise<void> {
  const t = await startFollowUpApp();
  try {
    await fn(t);
  } finally {
    await t.close();
  }
}

test('a settled miss reaches a real webhook receiver once, signed, with the documented payload', () => withReceiver((hook) => withApp(async (t) => {
  const { teamId, phones } = await office(t, { channels: [{ name: 'Tickets', webhook: hook.url }], targetMinutes: 600 });
  await missedCall(t, phones, DORA, 'c1');
  await t.tick();
  assert.equal(hook.deliveries.length, 0, 'not before it settles: an answer could still retract it');
  t.clock.advance(91);
  const report = await t.tick();
  assert.equal(report.sent, 1);
  const [d] = hook.deliveries;
  assert.ok(d?.signed, 'X-Ringback-Signature is sha256=HMAC(secret, "<timestamp>.<body>")');
  assert.match(String(d.headers['content-type']), /^application\/json/);
  assert.equal(d.headers['x-ringback-delivery'], d.payload.id);
  const [call] = await missedList(t);
  assert.equal(d.payload.type, 'ringback.notification');
  assert.equal(d.payload.recipient.name, 'Tickets');
  assert.equal(d.payload.summary, 'Missed call for Reception from Dora Schmidt (+4930123456)');
  const [item] = d.payload.items;
  assert.equal(item?.key, `missed:${call?.id}`);
  assert.equal(item?.kind, 'missed');
  assert.deepEqual(item?.team, { id: teamId, name: 'Reception' });
  assert.deepEqual(item?.calls.map((c) => [c.id, c.caller.number, c.caller.name, c.attempts, c.status]), [[call?.id, '+4930123456', 'Dora Schmidt', 1, 'pending']]);
  assert.match(d.payload.text, /Caller: Dora Schmidt \(\+4930123456\)/);
  await t.tick();
  t.clock.advance(3600);
  await t.tick();
  assert.equal(hook.deliveries.length, 1, 'never again');
  const outbox = await request(t.app).get('/api/notify/outbox').set(auth).expect(200);
  const body = JSON.stringify(outbox.body);
  assert.doesNotMatch(body, /s3cret-path/, 'webhook URLs are masked in the API');
  assert.equal((outbox.body as { messages: { status: string }[] }).messages[0]?.status, 'sent');
})));

test('a delivery answered 500 is retried with back-off and taken once, with the same delivery id', () => withReceiver((hook) => withApp(async (t) => {
  const { phones } = await office(t, { channels: [{ name: 'Tickets', webhook: hook.url }], targetMinutes: 600 });
  await missedCall(t, phones, DORA, 'c1');
  t.clock.advance(91);
  hook.answers.push(500);
  assert.deepEqual(await t.tick(), { escalated: 0, queued: 1, messages: 1, dropped: 0, sent: 0, retrying: 1, failed: 0 });
  t.clock.advance(29);
  await t.tick();
  assert.equal(hook.deliveries.length, 1, 'the back-off is 30 s');
  t.clock.advance(1);
  assert.equal((await t.tick()).sent, 1);
  await t.tick();
  assert.deepEqual(hook.deliveries.map((d) => [d.status, d.signed]), [[500, true], [200, true]]);
  assert.equal(hook.deliveries[0]?.headers['x-ringback-delivery'], hook.deliveries[1]?.headers['x-ringback-delivery']);
  assert.equal(hook.deliveries[0]?.payload.summary, hook.deliveries[1]?.payload.summary);
})));

test('a 4xx answer fails the message at once and the API shows why', () => withReceiver((hook) => withApp(async (t) => {
  const { phones } = await office(t, { channels: [{ name: 'Tickets', webhook: hook.url }], targetMinutes: 600 });
  await missedCall(t, phones, DORA, 'c1');
  t.clock.advance(91);
  hook.answers.push(410);
  assert.equal((await t.tick()).failed, 1);
  t.clock.advance(3600);
  await t.tick();
  assert.equal(hook.deliveries.length, 1);
  const outbox = await request(t.app).get('/api/notify/outbox?status=failed').set(auth).expect(200);
  const [m] = (outbox.body as { messages: { lastError: string; target: { address: string } }[] }).messages;
  assert.match(m?.lastError ?? '', /answered HTTP 410/);
  assert.equal(m?.target.address, `${new URL(hook.url).origin}/…`);
})));

test('nothing is lost or sent twice across a restart: a pending retry and a held item go out once each after reopening', () => withReceiver(async (hook) => {
  const dir = await mkdtemp(join(tmpdir(), 'ringback-notify-restart-'));
  try {
    const first = await startFollowUpApp({ dir });
    const { phones } = await office(first, { channels: [{ name: 'Tickets', webhook: hook.url }], windowMinutes: 10, targetMinutes: 600 });
    await missedCall(first, phones, { number: '+4930111111', name: 'A' }, 'a');
    first.clock.advance(91);
    await first.tick(); // A goes out
    await missedCall(first, phones, { number: '+4930222222', name: 'B' }, 'b');
    first.clock.advance(91);
    await first.tick(); // B waits for the 10-minute window
    assert.equal(hook.deliveries.length, 1);
    first.clock.advance(600);
    hook.answers.push(500);
    await first.tick(); // B's message fails once: pending, retry in 30 s
    await missedCall(first, phones, { number: '+4930333333', name: 'C' }, 'c');
    first.clock.advance(91);
    await first.tick(); // C waits for the window opened by B's message
    const resumeAt = first.clock.ms;
    await first.close(); // the restart

    const second = await startFollowUpApp({ dir });
    try {
      second.clock.ms = resumeAt;
      await second.tick(); // B's retry is due
      second.clock.advance(600);
      await second.tick(); // C's window has passed
      second.clock.advance(3600);
      await second.tick();
      await second.tick();
    } finally {
      await second.close();
    }
    const taken = hook.accepted().flatMap((d) => d.payload.items.map((i) => i.title));
    assert.deepEqual(taken, ['Missed call for Reception from A (+4930111111)', 'Missed call for Reception from B (+4930222222)',
      'Missed call for Reception from C (+4930333333)']);
    assert.ok(hook.deliveries.every((d) => d.signed));
    const b = hook.deliveries.filter((d) => d.payload.items[0]?.title.includes(' B '));
    assert.deepEqual(b.map((d) => d.status), [500, 200]);
    assert.equal(b[0]?.payload.id, b[1]?.payload.id, 'the retry after the restart is the same delivery');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}));
