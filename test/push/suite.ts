/**
 * The push behaviour every vendor with a push must show, run against that vendor's emulator
 * (one `test/push/<vendor>.test.ts` calls it): credentials, coalescing, back-off, clear on empty.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import request from 'supertest';
import { auth, createPhone } from '../support/office.ts';
import { until } from '../support/until.ts';
import { deadAddress, startEmulator, type PhoneEmulator } from './emulator.ts';
import { SECRET, WINDOW_SECONDS, startPushOffice, type PushOffice } from './office.ts';

export interface SuiteOptions {
  vendor: 'yealink' | 'poly' | 'cisco';
  mac: string;
  model?: string;
  /** Extra settings for the office (Yealink: provisioning on, so the missed key and its LED are known). */
  env?: Record<string, string>;
  /** Pushes one screen change takes (Yealink: status + LED). */
  requestsPerUpdate: number;
}

const WAITING = /^\d+ missed calls? waiting · /;

export function pushSuite(o: SuiteOptions): void {
  async function setUp(address: (emu: PhoneEmulator) => string = (e) => e.address, emuOpts: { hang?: boolean } = {}) {
    const emu = await startEmulator({ vendor: o.vendor, password: SECRET, ...emuOpts });
    const office = await startPushOffice(o.env);
    await createPhone(office.t.app, { mac: o.mac, vendor: o.vendor, model: o.model ?? '', extension: '12', teamIds: [office.team], push: { address: address(emu), password: SECRET } });
    return { emu, office, async close() { await office.close(); await emu.close(); } };
  }

  async function pushState(office: PushOffice, state: string) {
    await until(async () => (await office.phone(o.mac)).push['state'] === state, `push state ${state}`, 20_000);
    return (await office.phone(o.mac)).push;
  }

  test(`${o.vendor}: a settled miss reaches the idle screen, pushed with the phone's own secret`, async () => {
    const { emu, office, close } = await setUp();
    try {
      await office.miss('+4930111111');
      office.scheduler.advance(5);
      assert.equal(emu.receipts.length, 0, 'nothing is shown while a colleague could still answer');
      office.settle();
      await emu.waitFor((e) => WAITING.test(e.screen[0] ?? ''), 'the banner');
      assert.equal(emu.screen[0], '1 missed call waiting · just now');
      assert.equal(emu.screen[1], 'nobody is on it yet');
      assert.deepEqual(emu.invalid, []);
      const push = await pushState(office, 'ok');
      assert.equal(push['hasPassword'], true);
      assert.equal(push['showing'], true);
      const listed = JSON.stringify((await request(office.t.app).get('/api/phones').set(auth).expect(200)).body);
      assert.ok(!listed.includes(SECRET), 'the push secret never leaves the server');
      assert.ok(!office.t.logs.join('').includes(SECRET), 'nor appears in the log');
    } finally {
      await close();
    }
  });

  test(`${o.vendor}: wrong push credentials are refused by the phone and counted as a failure`, async () => {
    const { emu, office, close } = await setUp();
    try {
      await request(office.t.app).patch(`/api/phones/${o.mac}`).set(auth).send({ push: { password: 'not-the-phones-secret' } }).expect(200);
      await office.miss('+4930222222');
      office.settle();
      const push = await pushState(office, 'rejected');
      assert.ok(emu.refused >= 1, 'the phone saw and refused our answer to its challenge');
      assert.equal(push['failures'], 1);
      assert.deepEqual(emu.screen, []);
      assert.equal(emu.receipts.length, 0);
    } finally {
      await close();
    }
  });

  test(`${o.vendor}: a storm of changes is one update per phone per window, showing the last state`, async () => {
    const { emu, office, close } = await setUp();
    try {
      await office.miss(...Array.from({ length: 12 }, (_, i) => `+49301000${String(i).padStart(2, '0')}`));
      office.settle();
      await emu.waitFor((e) => e.screen[0]?.startsWith('12 missed calls waiting') === true, '12 waiting');
      await office.t.services.push?.idle();
      const before = emu.receipts.length;
      assert.equal(before, o.requestsPerUpdate, 'twelve calls settling together are one update');
      const ids = await office.openIds();
      for (const id of ids.slice(0, 8)) await office.act(id, { action: 'assign', assignee: 'Anna' });
      await office.t.services.push?.idle();
      assert.equal(emu.receipts.length, before, 'nothing is sent again inside the window');
      office.scheduler.advance(WINDOW_SECONDS);
      await emu.waitFor((e) => e.screen[1] === 'Anna on 8 · 4 free', 'the claims');
      await office.t.services.push?.idle();
      const statuses = emu.receipts.slice(before).filter((r) => r.purpose === 'status');
      assert.equal(statuses.length, 1, 'eight claims in one window are one push');
      assert.deepEqual(emu.invalid, []);
    } finally {
      await close();
    }
  });

  test(`${o.vendor}: an unreachable phone is backed off, doubling, and shown as unreachable on the phones API`, async () => {
    const dead = await deadAddress();
    const { office, close } = await setUp(() => dead);
    try {
      await office.miss('+4930333333');
      office.settle();
      const first = await pushState(office, 'unreachable');
      assert.equal(first['error'], 'connection refused');
      assert.equal(first['target'], dead);
      assert.equal(Date.parse(String(first['retryAt'])) - Date.parse(String(first['lastAttemptAt'])), 30_000);
      office.scheduler.advance(29);
      await office.t.services.push?.idle();
      assert.equal((await office.phone(o.mac)).push['failures'], 1, 'no retry before the back-off ends');
      office.scheduler.advance(1);
      await until(async () => (await office.phone(o.mac)).push['failures'] === 2, 'the second attempt', 20_000);
      const second = (await office.phone(o.mac)).push;
      assert.equal(Date.parse(String(second['retryAt'])) - Date.parse(String(second['lastAttemptAt'])), 60_000);
      const dash = (await request(office.t.app).get('/api/dashboard/phones').set(auth).expect(200)).body as { items: { mac: string; push: { state: string } }[] };
      assert.equal(dash.items.find((p) => p.mac === o.mac)?.push.state, 'unreachable');
    } finally {
      await close();
    }
  });

  test(`${o.vendor}: a phone that never answers is given up on at the timeout and backed off`, async () => {
    const { emu, office, close } = await setUp(undefined, { hang: true });
    try {
      await office.miss('+4930444444');
      office.settle();
      const push = await pushState(office, 'unreachable');
      assert.equal(push['error'], 'timed out');
      assert.ok(emu.requests >= 1);
    } finally {
      await close();
    }
  });

  test(`${o.vendor}: the screen is cleared when the last waiting call is returned`, async () => {
    const { emu, office, close } = await setUp();
    try {
      await office.miss('+4930555555');
      office.settle();
      await emu.waitFor((e) => WAITING.test(e.screen[0] ?? ''), 'the banner');
      if (o.requestsPerUpdate > 1) await emu.waitFor((e) => e.led === 'slowflash', 'the missed key blinking');
      const [id] = await office.openIds();
      assert.ok(id !== undefined);
      await office.act(id, { action: 'return', outcome: 'reached' });
      office.scheduler.advance(WINDOW_SECONDS);
      await emu.waitFor((e) => e.screen.length === 0, 'the cleared screen');
      if (o.requestsPerUpdate > 1) await emu.waitFor((e) => e.led === 'off', 'the LED off');
      await until(async () => (await office.phone(o.mac)).push['showing'] === false, 'showing: false', 20_000);
      assert.deepEqual(emu.invalid, []);
    } finally {
      await close();
    }
  });
}
