import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import request from 'supertest';
import { cutoffDay } from '../../src/services/retention.ts';
import { ADMIN } from '../support/app.ts';
import { openTestStore, TEST_ENGINE } from '../support/engine.ts';
import { auth } from '../support/office.ts';
import { fillActionUrl, pathOf } from '../support/phone-sim.ts';
import { ev, missedCall, office, startFollowUpApp } from '../notify/follow-up-app.ts';

const DAY = 86_400_000;

test('the cutoff keeps every call at least N whole days', () => {
  assert.equal(cutoffDay(new Date('2026-11-26T03:17:00Z'), 3), '2026-11-23');
  assert.equal(cutoffDay(new Date('2026-11-26T23:59:59Z'), 3), '2026-11-23');
  assert.equal(cutoffDay(new Date('2026-03-01T00:00:00Z'), 1), '2026-02-28');
});

test('retention drops exactly the days older than N, records what it removed, and the server keeps serving meanwhile', async () => {
  const t = await startFollowUpApp({ retentionDays: 3 });
  const server = t.app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    t.clock.ms = Date.parse('2026-11-16T09:00:00.000Z');
    const { teamId, phones } = await office(t, { channels: [] });
    for (let day = 0; day <= 10; day++) {
      t.clock.ms = Date.parse('2026-11-16T09:00:00.000Z') + day * DAY;
      await missedCall(t, phones, { number: `+49301000${String(day).padStart(3, '0')}`, name: `Caller ${day}` }, `c${day}`);
    }
    const all = await t.store.history.days();
    assert.deepEqual(all, ['2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20', '2026-11-21', '2026-11-22',
      '2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26']);
    await t.store.flush();

    // The drop and a burst of phone events and API reads, all at once.
    const p11 = phones[0]!;
    const template = p11.events['action_url.incoming_call']!;
    const drop = t.retention.run(t.clock.now());
    const traffic = Array.from({ length: 40 }, async (_, i) => {
      const r = i % 2 === 0
        ? await fetch(`${base}${pathOf(fillActionUrl(template, ev(p11, { number: `+4930200${String(i).padStart(4, '0')}`, name: '' }, `live${i}`)))}`)
        : await fetch(`${base}/api/missed-calls?limit=500`, { headers: { Authorization: `Bearer ${ADMIN}` } });
      await r.arrayBuffer();
      return r.status;
    });
    const [run, statuses] = await Promise.all([drop, Promise.all(traffic)]);
    assert.deepEqual(new Set(statuses), new Set([200]), 'every request during the drop succeeded');

    assert.deepEqual(run?.days, ['2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20', '2026-11-21', '2026-11-22']);
    assert.deepEqual([run?.cutoffDay, run?.attempts, run?.missed, run?.openMissed], ['2026-11-23', 7, 7, 7]);
    assert.deepEqual(await t.store.history.days(), ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26']);
    const list = await request(t.app).get('/api/missed-calls?limit=500').set(auth).expect(200);
    const callers = (list.body as { items: { caller: { name: string } }[] }).items.map((m) => m.caller.name).filter((n) => n !== '');
    assert.deepEqual(callers, ['Caller 10', 'Caller 9', 'Caller 8', 'Caller 7'], 'the kept days are whole');
    assert.ok(t.store.team(teamId) !== undefined && t.store.phones().length === 2, 'configuration is no call data');

    const status = await request(t.app).get('/api/retention').set(auth).expect(200);
    const body = status.body as { retentionDays: number; oldestKeptDay: string; cutoffDay: string; lastRun: { days: string[] } };
    assert.deepEqual([body.retentionDays, body.oldestKeptDay, body.cutoffDay, body.lastRun.days.length], [3, '2026-11-23', '2026-11-23', 7]);
    assert.equal(await t.retention.run(t.clock.now()), null, 'a second run finds nothing to do');
    const trail = await request(t.app).get('/api/audit?action=retention').set(auth).expect(200);
    const entries = (trail.body as { items: { actor: { kind: string }; details: { days: string; missed: number } }[] }).items;
    assert.equal(entries.length, 1, 'each run that removed something is in the audit trail, once');
    assert.deepEqual([entries[0]?.actor.kind, entries[0]?.details.days.split(',').length, entries[0]?.details.missed], ['system', 7, 7]);

    await t.store.flush();
    if (TEST_ENGINE === 'embedded') {
      // The embedded engine's day files go with their days (PostgreSQL: the rows, checked by the reopen below).
      const files = (await readdir(join(t.dir, 'calls'))).sort();
      assert.deepEqual(files, ['2026-11-23.json', '2026-11-24.json', '2026-11-25.json', '2026-11-26.json']);
    }

    // Reopened from disk: the same days, and the run's record.
    await t.store.close();
    const again = await openTestStore(t.dir);
    try {
      assert.deepEqual(await again.history.days(), ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26']);
      assert.equal(again.list('retentionRuns').length, 1);
    } finally {
      await again.close();
    }
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await t.close();
  }
});
