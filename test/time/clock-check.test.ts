import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { test } from 'node:test';
import { createClockCheck } from '../../src/time/clock-check.ts';
import type { ClockLog } from '../../src/time/types.ts';
import { startNtpResponder, type NtpResponder } from './ntp-responder.ts';

const TIMEOUT_MS = 400;
// Loopback answers in about a millisecond; the slack only absorbs a busy CI machine.
const SLACK_MS = 300;

async function withResponders<T>(options: Parameters<typeof startNtpResponder>[0][], body: (r: NtpResponder[]) => Promise<T>): Promise<T> {
  const responders = await Promise.all(options.map((o) => startNtpResponder(o)));
  try {
    return await body(responders);
  } finally {
    await Promise.all(responders.map((r) => r.close()));
  }
}

function recordingLog(): ClockLog & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (_details, message) => lines.push(`info ${message}`),
    warn: (_details, message) => lines.push(`warn ${message}`),
  };
}

test('a server 2 s ahead makes the clock "drifting" with an offset of about 2000 ms', async () => {
  await withResponders([{ offsetMs: 2000 }], async ([r]) => {
    const clock = createClockCheck({ servers: [r!.server], driftThresholdMs: 500, timeoutMs: TIMEOUT_MS });
    const result = await clock.check(new Date('2026-11-26T09:00:00.000Z'));
    assert.equal(result.status, 'drifting');
    assert.ok(Math.abs(result.offsetMs! - 2000) < 50, `offset ${result.offsetMs}`);
    assert.equal(result.measuredAt, '2026-11-26T09:00:00.000Z');
    assert.deepEqual(result.servers, [{ server: r!.server, ok: true, offsetMs: result.offsetMs, error: null }]);
    assert.equal(clock.status(), result);
  });
});

test('a server 2 s behind gives a negative offset', async () => {
  await withResponders([{ offsetMs: -2000 }], async ([r]) => {
    const clock = createClockCheck({ servers: [r!.server], driftThresholdMs: 500, timeoutMs: TIMEOUT_MS });
    const result = await clock.check();
    assert.equal(result.status, 'drifting');
    assert.ok(Math.abs(result.offsetMs! + 2000) < 50, `offset ${result.offsetMs}`);
  });
});

test('a server with the same time makes the clock "ok"', async () => {
  await withResponders([{ offsetMs: 0 }], async ([r]) => {
    const clock = createClockCheck({ servers: [r!.server], driftThresholdMs: 500, timeoutMs: TIMEOUT_MS, sampleCount: 4 });
    const result = await clock.check();
    assert.equal(result.status, 'ok');
    assert.ok(Math.abs(result.offsetMs!) < 50, `offset ${result.offsetMs}`);
    assert.equal(r!.requests(), 4, 'one request per sample');
  });
});

test('a server name is resolved before asking it', async () => {
  await withResponders([{ offsetMs: 1000 }], async ([r]) => {
    const server = r!.server.replace('127.0.0.1', 'localhost');
    const clock = createClockCheck({ servers: [server], driftThresholdMs: 500, timeoutMs: TIMEOUT_MS });
    const result = await clock.check();
    assert.equal(result.servers[0]?.server, server);
    assert.ok(Math.abs(result.offsetMs! - 1000) < 50, `offset ${result.offsetMs}`);
  });
});

test('a server that never answers gives "unknown" within the timeout, without throwing', async () => {
  await withResponders([{ answers: 0 }], async ([r]) => {
    const clock = createClockCheck({ servers: [r!.server], driftThresholdMs: 500, timeoutMs: TIMEOUT_MS });
    const started = performance.now();
    const result = await clock.check();
    const elapsed = performance.now() - started;
    assert.ok(elapsed < TIMEOUT_MS + SLACK_MS, `took ${elapsed} ms`);
    assert.equal(result.status, 'unknown');
    assert.equal(result.offsetMs, null);
    assert.equal(result.servers[0]?.ok, false);
    assert.match(result.servers[0]?.error ?? '', /NTP response|no answer/);
  });
});

test('a server that answers once and then goes silent does not hang the check', async () => {
  await withResponders([{ offsetMs: 2000, answers: 1 }], async ([r]) => {
    const clock = createClockCheck({ servers: [r!.server], driftThresholdMs: 500, timeoutMs: TIMEOUT_MS, sampleCount: 4 });
    const started = performance.now();
    const result = await clock.check();
    const elapsed = performance.now() - started;
    assert.ok(elapsed < TIMEOUT_MS + SLACK_MS, `took ${elapsed} ms`);
    // The one answer it gave is a real measurement; the library's endless retry loop is never entered.
    assert.equal(result.status, 'drifting');
    assert.ok(Math.abs(result.offsetMs! - 2000) < 50, `offset ${result.offsetMs}`);
    assert.ok(r!.requests() <= 4, `${r!.requests()} requests: sampling stopped after the first silence`);
  });
});

test('a slow server is cut off at the deadline and counts with the samples it gave by then', async () => {
  await withResponders([{ offsetMs: 2000, delayMs: 40 }], async ([r]) => {
    const clock = createClockCheck({ servers: [r!.server], driftThresholdMs: 500, timeoutMs: TIMEOUT_MS, sampleCount: 1000 });
    const started = performance.now();
    const result = await clock.check();
    const elapsed = performance.now() - started;
    assert.ok(elapsed >= TIMEOUT_MS - 5 && elapsed < TIMEOUT_MS + SLACK_MS, `took ${elapsed} ms`);
    assert.equal(result.status, 'drifting');
    assert.ok(Math.abs(result.offsetMs! - 2000) < 50, `offset ${result.offsetMs}`);
    const requestsAtDeadline = r!.requests();
    assert.ok(requestsAtDeadline > 1 && requestsAtDeadline < 1000, `${requestsAtDeadline} requests`);
  });
});

test('with two servers and one dead, each server is listed and the live one decides', async () => {
  await withResponders([{ offsetMs: 0 }, { answers: 0 }], async ([live, dead]) => {
    const clock = createClockCheck({ servers: [live!.server, dead!.server], driftThresholdMs: 500, timeoutMs: TIMEOUT_MS });
    const result = await clock.check();
    assert.equal(result.status, 'ok');
    assert.deepEqual(result.servers.map((s) => [s.server, s.ok]), [[live!.server, true], [dead!.server, false]]);
    assert.equal(result.servers[1]?.offsetMs, null);
    assert.ok(result.servers[1]?.error);
  });
});

test('the median of three servers outvotes one wrong server', async () => {
  await withResponders([{ offsetMs: 0 }, { offsetMs: 100 }, { offsetMs: 5000 }], async (rs) => {
    const clock = createClockCheck({ servers: rs.map((r) => r.server), driftThresholdMs: 500, timeoutMs: TIMEOUT_MS });
    const result = await clock.check();
    assert.equal(result.status, 'ok');
    assert.ok(Math.abs(result.offsetMs! - 100) < 50, `offset ${result.offsetMs}`);
  });
});

test('concurrent check() calls share one run', async () => {
  await withResponders([{ offsetMs: 0 }], async ([r]) => {
    const clock = createClockCheck({ servers: [r!.server], driftThresholdMs: 500, timeoutMs: TIMEOUT_MS, sampleCount: 2 });
    const first = clock.check();
    const second = clock.check();
    assert.equal(first, second);
    await Promise.all([first, second]);
    assert.equal(r!.requests(), 2, 'only one run sent requests');
    await clock.check();
    assert.equal(r!.requests(), 4, 'a call after the run ended starts a new one');
  });
});

test('a drift is logged once when it starts and once when it ends, not on every check', async () => {
  await withResponders([{ offsetMs: 2000 }], async ([r]) => {
    const log = recordingLog();
    const clock = createClockCheck({ servers: [r!.server], driftThresholdMs: 500, timeoutMs: TIMEOUT_MS, log });
    for (let i = 0; i < 3; i++) assert.equal((await clock.check()).status, 'drifting');
    assert.equal(log.lines.length, 1);
    assert.match(log.lines[0]!, /^warn clock check: server clock is off by \d+ ms$/);
    r!.setOffset(0);
    await clock.check();
    await clock.check();
    assert.equal(log.lines.length, 2);
    assert.match(log.lines[1]!, /^info clock check: server clock back within 500 ms$/);
  });
});

test('losing every server is logged once and does not end a drift', async () => {
  await withResponders([{ offsetMs: 2000, answers: 1 }], async ([r]) => {
    const log = recordingLog();
    const clock = createClockCheck({ servers: [r!.server], driftThresholdMs: 500, timeoutMs: TIMEOUT_MS, sampleCount: 1, log });
    assert.equal((await clock.check()).status, 'drifting');
    assert.equal((await clock.check()).status, 'unknown');
    assert.equal((await clock.check()).status, 'unknown');
    assert.deepEqual(log.lines.map((l) => l.split(':')[0]), ['warn clock check', 'warn clock check']);
    assert.match(log.lines[1]!, /no NTP server answered/);
  });
});

test('an empty server list is "unknown" at once, without network', async () => {
  const clock = createClockCheck({ servers: [], driftThresholdMs: 500, timeoutMs: 60_000 });
  const started = performance.now();
  const result = await clock.check(new Date('2026-11-26T09:00:00.000Z'));
  assert.ok(performance.now() - started < 5000, 'well before the 60 s timeout');
  assert.deepEqual(result, { status: 'unknown', offsetMs: null, measuredAt: '2026-11-26T09:00:00.000Z', servers: [] });
});

test('before the first check the status is "unknown" and never measured', () => {
  const clock = createClockCheck({ servers: ['127.0.0.1:1'], driftThresholdMs: 500, timeoutMs: TIMEOUT_MS });
  assert.deepEqual(clock.status(), { status: 'unknown', offsetMs: null, measuredAt: null, servers: [] });
});

test('a malformed server address or option is refused when the check is created', () => {
  const base = { driftThresholdMs: 500, timeoutMs: TIMEOUT_MS };
  assert.throws(() => createClockCheck({ ...base, servers: ['ntp.example.lan:99999'] }), /is not host\[:port\]/);
  assert.throws(() => createClockCheck({ ...base, servers: ['[::1]:123'] }), /is not host\[:port\]/);
  assert.throws(() => createClockCheck({ ...base, servers: [''] }), /is not host\[:port\]/);
  assert.throws(() => createClockCheck({ ...base, servers: [], timeoutMs: 0 }), /timeoutMs/);
  assert.throws(() => createClockCheck({ ...base, servers: [], sampleCount: 0 }), /sampleCount/);
});
