import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import cron from 'node-cron';
import { createJobs, type Jobs, type JobsLog } from '../../src/jobs/scheduler.ts';

const START = Date.UTC(2026, 0, 1, 10, 0, 30); // 10:00:30Z, half a minute before the first slot

/** Moves mocked time on and lets node-cron's async heartbeat and the job's promises settle. */
async function advance(t: TestContext, ms: number): Promise<void> {
  t.mock.timers.tick(ms);
  await new Promise((resolve) => setImmediate(resolve));
}

function withMockedTime(t: TestContext, opts: Parameters<typeof createJobs>[0] = {}): Jobs {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: START });
  const jobs = createJobs({ timezone: 'UTC', ...opts });
  t.after(() => jobs.stop());
  return jobs;
}

function recordingLog(): JobsLog & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    warn: (_details, message) => lines.push(`warn ${message}`),
    error: (_details, message) => lines.push(`error ${message}`),
  };
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

test('a job runs when time reaches its slot and records its last and next run', async (t) => {
  const jobs = withMockedTime(t);
  const seen: string[] = [];
  jobs.add('tick', '0 * * * * *', async (now) => {
    seen.push(now.toISOString());
  });
  assert.deepEqual(jobs.list(), [{
    name: 'tick', schedule: '0 * * * * *', lastRun: null, nextRun: '2026-01-01T10:01:00.000Z', lastError: null, running: false,
  }]);
  await advance(t, 29_000);
  assert.deepEqual(seen, [], 'not before its slot');
  await advance(t, 1_000);
  await advance(t, 60_000);
  assert.deepEqual(seen, ['2026-01-01T10:01:00.000Z', '2026-01-01T10:02:00.000Z']);
  const [info] = jobs.list();
  assert.equal(info?.lastRun, '2026-01-01T10:02:00.000Z');
  assert.equal(info?.nextRun, '2026-01-01T10:03:00.000Z');
});

test('a failing job records its error, is logged, and keeps its schedule', async (t) => {
  const log = recordingLog();
  const jobs = withMockedTime(t, { log });
  let calls = 0;
  jobs.add('flaky', '0 * * * * *', async () => {
    calls += 1;
    if (calls === 1) throw new Error('store not writable');
  });
  await advance(t, 30_000);
  assert.equal(jobs.list()[0]?.lastError, 'store not writable');
  assert.equal(jobs.list()[0]?.nextRun, '2026-01-01T10:02:00.000Z');
  assert.deepEqual(log.lines, ['error job flaky failed']);
  await advance(t, 60_000);
  assert.equal(calls, 2, 'the schedule went on');
  assert.equal(jobs.list()[0]?.lastError, null, 'a successful run clears the error');
});

test('a job still running when its next slot comes is not started twice, also not by run()', async (t) => {
  const log = recordingLog();
  const jobs = withMockedTime(t, { log });
  const gate = deferred();
  let starts = 0;
  jobs.add('slow', '0 * * * * *', async () => {
    starts += 1;
    await gate.promise;
  });
  await advance(t, 30_000);
  assert.equal(jobs.list()[0]?.running, true);
  await advance(t, 60_000);
  await advance(t, 60_000);
  const manual = jobs.run('slow');
  assert.equal(starts, 1);
  assert.ok(log.lines.some((line) => /overlap/.test(line)), 'node-cron reported the blocked slot');
  gate.resolve();
  const info = await manual;
  assert.equal(info.running, false);
  await advance(t, 0); // node-cron marks its own execution finished a few promise turns later
  await advance(t, 60_000);
  assert.equal(starts, 2, 'the next free slot runs again');
});

test('run() starts a job now and resolves with its state, a failure recorded rather than thrown', async (t) => {
  const jobs = withMockedTime(t);
  jobs.add('retention', '0 3 * * *', async () => {
    throw new Error('disk full');
  });
  const info = await jobs.run('retention');
  assert.equal(info.lastRun, new Date(START).toISOString());
  assert.equal(info.lastError, 'disk full');
  assert.equal(info.nextRun, '2026-01-02T03:00:00.000Z');
  await assert.rejects(jobs.run('nope'), /no job named "nope"/);
});

test('stop() destroys every task: nothing runs afterwards and nothing is left scheduled', async (t) => {
  const jobs = withMockedTime(t);
  let runs = 0;
  const before = cron.getTasks().size;
  jobs.add('a', '* * * * * *', async () => {
    runs += 1;
  });
  jobs.add('b', '0 * * * * *', async () => {
    runs += 1;
  });
  assert.equal(cron.getTasks().size, before + 2);
  await jobs.stop();
  assert.equal(cron.getTasks().size, before);
  await advance(t, 3_600_000);
  assert.equal(runs, 0);
  assert.deepEqual(jobs.list().map((j) => [j.nextRun, j.running]), [[null, false], [null, false]]);
  assert.throws(() => jobs.add('c', '* * * * *', async () => {}), /stopped/);
  await assert.rejects(jobs.run('a'), /stopped/);
});

test('stop() waits for a job in progress to finish', async (t) => {
  const jobs = withMockedTime(t);
  const gate = deferred();
  let finished = false;
  jobs.add('export', '0 * * * * *', async () => {
    await gate.promise;
    finished = true;
  });
  await advance(t, 30_000);
  const stopping = jobs.stop();
  gate.resolve();
  await stopping;
  assert.equal(finished, true);
});

test('cron expressions are read in the configured time zone', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: START });
  const jobs = createJobs({ timezone: 'Europe/Berlin' });
  t.after(() => jobs.stop());
  jobs.add('digest', '0 0 8 * * *', async () => {});
  assert.equal(jobs.list()[0]?.nextRun, '2026-01-02T07:00:00.000Z');
});

test('an invalid cron expression, a duplicate name or an unknown zone is refused with a clear error', (t) => {
  const jobs = withMockedTime(t);
  assert.throws(() => jobs.add('bad', '61 * * * *', async () => {}), /job "bad": invalid cron expression "61 \* \* \* \*": .*minute/);
  assert.throws(() => jobs.add('short', '* * *', async () => {}), /expected 5 or 6 fields/);
  jobs.add('once', '* * * * *', async () => {});
  assert.throws(() => jobs.add('once', '* * * * *', async () => {}), /already exists/);
  assert.throws(() => createJobs({ timezone: 'Mars/Olympus' }), /unknown time zone "Mars\/Olympus"/);
});

test('scheduled jobs do not keep the process alive', async () => {
  const scheduler = fileURLToPath(new URL('../../src/jobs/scheduler.ts', import.meta.url));
  const script = `import { createJobs } from ${JSON.stringify(scheduler)};
    createJobs({ timezone: 'UTC' }).add('every-second', '* * * * * *', async () => {});`;
  // Without unref this child would run forever; the kill timeout only turns a hang into a failure.
  const exit = await new Promise<{ code: number | null; killed: boolean }>((resolve) => {
    const child = execFile(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { timeout: 15_000 });
    child.on('exit', (code) => resolve({ code, killed: child.killed }));
  });
  assert.deepEqual(exit, { code: 0, killed: false });
});
