import assert from 'node:assert/strict';
import { test } from 'node:test';
import cron from 'node-cron';
import request from 'supertest';
import { CLOCK_CHECK_SCHEDULE } from '../../src/time/clock-check.ts';
import { startTestApp } from '../support/app.ts';
import { auth } from '../support/office.ts';
import { TEST_ENGINE } from '../support/engine.ts';

test('the server has a clock check, notify, retention and phone-health job (and on PostgreSQL change-log), each on a valid cron expression', async () => {
  const t = await startTestApp();
  try {
    assert.deepEqual(t.jobs.map((j) => j.name), ['clock-check', 'notify', 'retention', 'phone-health', ...(TEST_ENGINE === 'postgres' ? ['change-log'] : [])]);
    for (const job of t.jobs) assert.equal(cron.validate(job.schedule), true, `${job.name}: ${job.schedule}`);
  } finally {
    await t.close();
  }
});

test('the clock job runs the check with its slot time, so the status says when it was measured', async () => {
  const t = await startTestApp();
  try {
    const job = t.jobs.find((j) => j.name === 'clock-check');
    assert.ok(job !== undefined);
    await job.run(new Date('2026-11-26T09:10:07.000Z'));
    const r = await request(t.app).get('/api/time').set(auth).expect(200);
    assert.equal((r.body as { measuredAt: string }).measuredAt, '2026-11-26T09:10:07.000Z');
  } finally {
    await t.close();
  }
});

test('the suggested clock schedule is a valid cron expression', () => {
  assert.equal(cron.validate(CLOCK_CHECK_SCHEDULE), true);
});
