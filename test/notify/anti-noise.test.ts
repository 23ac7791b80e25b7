import assert from 'node:assert/strict';
import { test } from 'node:test';
import request from 'supertest';
import { auth, fire } from '../support/office.ts';
import { DORA, ev, missedCall, missedList, office, startFollowUpApp, type Caller, type FollowUpApp } from './follow-up-app.ts';
import { startWebhookReceiver, type WebhookReceiver } from './receivers.ts';
import { NOTIFY_SECRET } from './follow-up-app.ts';

const EMIL = { number: '+4930555555', name: 'Emil Weber' };

/** `vip`: a caller put into the contact directory as a VIP first (through the API, as an admin would). */
async function scene(fn: (t: FollowUpApp, hook: WebhookReceiver) => Promise<void>, vip?: Caller): Promise<void> {
  const hook = await startWebhookReceiver(NOTIFY_SECRET);
  const t = await startFollowUpApp();
  try {
    if (vip !== undefined) await request(t.app).post('/api/contacts').set(auth).send({ name: vip.name, numbers: [vip.number], vip: true }).expect(201);
    await fn(t, hook);
  } finally {
    await t.close();
    await hook.close();
  }
}

const settingsFor = (hook: WebhookReceiver) => ({ channels: [{ name: 'Tickets', webhook: hook.url }], targetMinutes: 600, windowMinutes: 10 });

test('a call answered elsewhere within the window never notifies, even when a tick saw the miss first', () => scene(async (t, hook) => {
  const { phones } = await office(t, settingsFor(hook));
  const [p11, p12] = phones as [typeof phones[0], typeof phones[0]];
  for (const p of phones) await fire(t.app, p, 'action_url.incoming_call', ev(p, DORA, 'c1'));
  t.clock.advance(15);
  await fire(t.app, p11, 'action_url.missed_call', ev(p11, DORA, 'c1'));
  assert.equal((await missedList(t)).length, 1, 'shown at once');
  await t.tick(); // the miss is there, but not settled
  t.clock.advance(5);
  await fire(t.app, p12, 'action_url.call_established', ev(p12, DORA, 'c1'));
  t.clock.advance(600);
  await t.tick();
  assert.deepEqual(await missedList(t), []);
  assert.equal(hook.deliveries.length, 0);
  assert.equal(t.store.list('outboxItems').length, 0, 'nothing was ever queued');
}));

test('three attempts by one caller give one message', () => scene(async (t, hook) => {
  const { phones } = await office(t, settingsFor(hook));
  for (const [i, gap] of [0, 240, 300].entries()) {
    t.clock.advance(gap);
    await missedCall(t, phones, DORA, `c${i}`);
    t.clock.advance(91);
    await t.tick();
  }
  t.clock.advance(3600);
  await t.tick();
  const [entry] = await missedList(t);
  assert.equal(entry?.attempts, 3);
  assert.equal(hook.deliveries.length, 1);
  assert.deepEqual(hook.deliveries[0]?.payload.items.map((i) => i.key), [`missed:${entry?.id}`]);
}));

test('attempts made while the message waits for the window fold into it', () => scene(async (t, hook) => {
  const { phones } = await office(t, settingsFor(hook));
  await missedCall(t, phones, EMIL, 'e1');
  t.clock.advance(91);
  await t.tick(); // Emil's message opens the 10-minute window
  for (const [i, gap] of [0, 120, 120].entries()) {
    t.clock.advance(gap);
    await missedCall(t, phones, DORA, `d${i}`);
    t.clock.advance(91);
    await t.tick();
  }
  assert.equal(hook.deliveries.length, 1, 'Dora waits for the window');
  t.clock.advance(600);
  await t.tick();
  assert.equal(hook.deliveries.length, 2);
  const item = hook.deliveries[1]?.payload.items[0];
  assert.equal(item?.title, 'Missed call for Reception from Dora Schmidt (+4930123456), 3 attempts');
  assert.equal(item?.calls[0]?.attempts, 3);
}));

test('a call claimed while its message waits is dropped, not sent', () => scene(async (t, hook) => {
  const { phones } = await office(t, settingsFor(hook));
  await missedCall(t, phones, EMIL, 'e1');
  t.clock.advance(91);
  await t.tick();
  await missedCall(t, phones, DORA, 'd1');
  t.clock.advance(91);
  await t.tick();
  const [dora] = await missedList(t); // newest first
  await request(t.app).post(`/api/missed-calls/${dora?.id ?? ''}/actions`).set(auth).send({ action: 'assign', actor: 'Ben' }).expect(200);
  t.clock.advance(600);
  const report = await t.tick();
  assert.equal(report.dropped, 1);
  assert.equal(hook.deliveries.length, 1, "only Emil's");
  const outbox = await request(t.app).get('/api/notify/outbox').set(auth).expect(200);
  assert.deepEqual((outbox.body as { queued: unknown[] }).queued, []);
}));

test("a VIP caller's miss goes out at once, through the window another message opened", () => scene(async (t, hook) => {
  const { phones } = await office(t, settingsFor(hook));
  await missedCall(t, phones, EMIL, 'e1');
  t.clock.advance(91);
  await t.tick();
  await missedCall(t, phones, DORA, 'd1');
  t.clock.advance(91);
  await t.tick();
  assert.equal(hook.deliveries.length, 2);
  const item = hook.deliveries[1]?.payload.items[0];
  assert.equal(item?.priority, 'high');
  assert.equal(item?.calls[0]?.caller.vip, true);
  assert.match(item?.title ?? '', /from VIP Dora Schmidt/);
}, DORA));
