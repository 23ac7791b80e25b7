import assert from 'node:assert/strict';
import { test } from 'node:test';
import cron from 'node-cron';
import { CLOCK_CHECK_SCHEDULE, clockCheckJob } from '../../src/jobs/clock-job.ts';
import { createClockCheck } from '../../src/time/clock-check.ts';

test('the clock job runs the check with its slot time, so the status says when it was measured', async () => {
  const clock = createClockCheck({ servers: [], driftThresholdMs: 500, timeoutMs: 1000 });
  const job = clockCheckJob(clock);
  await job(new Date('2026-11-26T09:10:07.000Z'));
  assert.equal(clock.status().measuredAt, '2026-11-26T09:10:07.000Z');
});

test('the suggested clock schedule is a valid cron expression', () => {
  assert.equal(cron.validate(CLOCK_CHECK_SCHEDULE), true);
});
