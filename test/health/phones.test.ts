import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import request from 'supertest';
import type { PhoneHealthReport } from '../../src/services/phone-health.ts';
import type { TestApp } from '../support/app.ts';
import { auth, fire, type DeskPhone } from '../support/office.ts';
import { DORA, ev, missedCall, NOTIFY_SECRET, office, startFollowUpApp } from '../notify/follow-up-app.ts';
import { startWebhookReceiver } from '../notify/receivers.ts';

const START = '2026-11-26T09:00:00.000Z';

/** A sign of life from the phone (its "registered" action URL) at the test clock's now. */
async function heartbeat(t: TestApp, p: DeskPhone): Promise<void> {
  await fire(t.app, p, 'action_url.registered', { mac: p.mac, active_user: p.extension });
}

async function health(t: TestApp): Promise<PhoneHealthReport> {
  return (await request(t.app).get('/api/health/phones').set(auth).expect(200)).body as PhoneHealthReport;
}

test('an offline phone is listed with its team\'s misses meanwhile, and the admins are alerted once per outage', async () => {
  const hook = await startWebhookReceiver(NOTIFY_SECRET);
  const t = await startFollowUpApp({ offlineMinutes: 60, admins: [{ name: 'Ops', webhook: hook.url }], startedAt: START });
  try {
    const { phones } = await office(t, { channels: [] });
    const [p11, p12] = phones as [DeskPhone, DeskPhone];
    await heartbeat(t, p11);
    await heartbeat(t, p12);
    // Desk 12 keeps calling in every 20 minutes; desk 11 falls silent.
    const step = async (minutes: number): Promise<void> => {
      for (let m = 0; m < minutes; m += 20) {
        t.clock.advance(20 * 60);
        await heartbeat(t, p12);
        await t.phoneHealth.check(t.clock.now());
        await t.tick();
      }
    };
    await step(60); // 10:00: silent exactly an hour, not more
    assert.deepEqual((await health(t)).offline, []);
    t.clock.advance(10 * 60); // 10:10: a call only desk 12 rings for
    await missedCall(t, [p12], DORA, 'c1');
    await step(60); // 11:10
    const report = await health(t);
    assert.deepEqual(report.offline.map((p) => [p.mac, p.state, p.offlineSince, p.missedWhileOffline?.count]),
      [['805ec0000011', 'offline', START, 1]]);
    assert.deepEqual(report.incidents.map((i) => [i.kind, i.subject]), [['phone-offline', '805ec0000011']]);
    assert.equal(report.phones.find((p) => p.mac === '805ec0000012')?.state, 'online');
    await step(120); // 13:10: still offline, checked every 20 minutes
    const alerts = () => hook.accepted().flatMap((d) => d.payload.items);
    assert.deepEqual(alerts().map((i) => [i.kind, i.incident?.subject]), [['phone-offline', '805ec0000011']], 'one alert, not one per check');
    assert.match(alerts()[0]?.title ?? '', /^Phone Desk 11 \(ext\. 11\) not seen since 10:00$/);
    assert.ok(hook.deliveries.every((d) => d.signed));

    await heartbeat(t, p11); // back
    await t.phoneHealth.check(t.clock.now());
    assert.deepEqual((await health(t)).incidents, []);
    await step(120); // silent again: a new outage
    assert.equal(alerts().length, 2);
  } finally {
    await t.close();
    await hook.close();
  }
});

test('after a restart silent phones settle first, and an outage already alerted is not alerted again', async () => {
  const hook = await startWebhookReceiver(NOTIFY_SECRET);
  const dir = await mkdtemp(join(tmpdir(), 'ringback-health-'));
  try {
    const first = await startFollowUpApp({ dir, offlineMinutes: 60, admins: [{ name: 'Ops', webhook: hook.url }], startedAt: START });
    const { phones } = await office(first, { channels: [] });
    const [p11, p12] = phones as [DeskPhone, DeskPhone];
    await heartbeat(first, p11);
    await heartbeat(first, p12);
    first.clock.advance(90 * 60);
    await heartbeat(first, p12);
    await first.phoneHealth.check(first.clock.now());
    await first.tick();
    assert.equal(hook.accepted().length, 1, 'desk 11 is offline');
    const stoppedAt = first.clock.ms;
    await first.close();

    // Down for two hours; desk 12 could not reach us either.
    const restartedAt = new Date(stoppedAt + 2 * 3_600_000).toISOString();
    const second = await startFollowUpApp({ dir, offlineMinutes: 60, admins: [{ name: 'Ops', webhook: hook.url }], startedAt: restartedAt });
    try {
      second.clock.ms = Date.parse(restartedAt) + 30 * 60_000;
      await second.phoneHealth.check(second.clock.now());
      const settling = await health(second);
      assert.equal(settling.settlingUntil, new Date(Date.parse(restartedAt) + 3_600_000).toISOString());
      assert.deepEqual(settling.phones.map((p) => p.state), ['settling', 'settling']);
      assert.equal(settling.incidents.length, 1, "desk 11's outage stays open while we cannot tell");
      await heartbeat(second, p12);
      second.clock.advance(31 * 60);
      await second.phoneHealth.check(second.clock.now());
      await second.tick();
      assert.deepEqual((await health(second)).offline.map((p) => p.mac), ['805ec0000011']);
      second.clock.advance(30 * 60);
      await heartbeat(second, p12);
      await second.phoneHealth.check(second.clock.now());
      await second.tick();
      assert.equal(hook.accepted().length, 1, 'the same outage: no second alert');
    } finally {
      await second.close();
    }
  } finally {
    await hook.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('a team that misses every call for an hour is flagged as a likely fault and the admins hear of it once', async () => {
  const hook = await startWebhookReceiver(NOTIFY_SECRET);
  const t = await startFollowUpApp({ offlineMinutes: 600, admins: [{ name: 'Ops', webhook: hook.url }] });
  try {
    const { teamId, phones } = await office(t, { channels: [] });
    for (const [i, caller] of ['+4930100001', '+4930100002', '+4930100003'].entries()) {
      await missedCall(t, phones, { number: caller, name: '' }, `c${i}`);
      t.clock.advance(15 * 60);
    }
    await t.phoneHealth.check(t.clock.now());
    await t.phoneHealth.check(t.clock.now());
    await t.tick();
    const report = await health(t);
    assert.deepEqual(report.faults.map((f) => [f.rule, f.subject, f.calls, f.missed]), [['team-all-missed', teamId, 3, 3]]);
    const items = hook.accepted().flatMap((d) => d.payload.items);
    assert.deepEqual(items.map((i) => i.kind), ['team-all-missed']);
    assert.match(items[0]?.title ?? '', /^Reception missed every call for an hour \(3 of 3\): likely a routing or device fault$/);
    // One answered call ends the episode.
    for (const p of phones) await fire(t.app, p, 'action_url.incoming_call', ev(p, DORA, 'ok'));
    await fire(t.app, phones[0]!, 'action_url.call_established', ev(phones[0]!, DORA, 'ok'));
    t.clock.advance(60);
    await t.phoneHealth.check(t.clock.now());
    assert.deepEqual((await health(t)).faults, []);
    assert.deepEqual((await health(t)).incidents, []);
  } finally {
    await t.close();
    await hook.close();
  }
});
