import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PbxCall } from '../../src/domain/types.ts';
import { createLogLimit } from '../../src/log-limit.ts';
import { startAmiClient } from '../../src/pbx/asterisk/client.ts';
import { startFakeAmi } from './ami-server.ts';
import { markerCall } from './ami-sequences.ts';

test('repeated warnings of one kind: the first five are logged, then one count per minute', () => {
  let clock = 0;
  const out: string[] = [];
  const limit = createLogLimit({ now: () => clock, summary: (key, n, overMs) => out.push(`${key}: ${n} more over ${overMs} ms`) });
  for (let i = 0; i < 1000; i++) limit.note('malformed-line', () => out.push(`malformed-line #${i}`));
  limit.note('line-too-long', () => out.push('line-too-long'));
  assert.deepEqual(out, ['malformed-line #0', 'malformed-line #1', 'malformed-line #2', 'malformed-line #3', 'malformed-line #4', 'line-too-long']);
  clock = 59_999;
  limit.flush();
  assert.equal(out.length, 6, 'no summary before the minute is over');
  clock = 60_000;
  limit.flush();
  assert.deepEqual(out.slice(6), ['malformed-line: 995 more over 60000 ms'], 'a kind with nothing suppressed gets no summary');
  limit.note('malformed-line', () => out.push('malformed-line again'));
  assert.equal(out.at(-1), 'malformed-line again', 'a new minute logs again');
});

test('a warning after a quiet spell first reports what the last interval held back', () => {
  let clock = 0;
  const out: string[] = [];
  const limit = createLogLimit({ first: 1, intervalMs: 1000, now: () => clock, summary: (key, n) => out.push(`${key}: ${n} more`) });
  for (let i = 0; i < 3; i++) limit.note('k', () => out.push('k'));
  clock = 5000;
  limit.note('k', () => out.push('k'));
  limit.note('k', () => out.push('k'));
  limit.flush(true);
  assert.deepEqual(out, ['k', 'k: 2 more', 'k', 'k: 1 more']);
});

test('an AMI peer streaming 2,000 malformed lines gets five warnings and one count in the log, not 2,000 lines', async () => {
  const server = await startFakeAmi({ username: 'ringback', secret: 'secret-0123456789' });
  let clock = Date.parse('2026-11-26T09:00:00Z');
  const logs: string[] = [];
  const calls: PbxCall[] = [];
  const waiters = new Map<string, () => void>();
  const client = startAmiClient({
    connection: { host: '127.0.0.1', port: server.port, username: 'ringback', secret: 'secret-0123456789' },
    now: () => clock,
    log: (level, message) => logs.push(`${level} ${message}`),
    onCall: (c) => {
      calls.push(c);
      waiters.get(c.pbxCallId)?.();
    },
  });
  const called = (id: string) => new Promise<void>((resolve) => waiters.set(`ami:${id}`, resolve));
  try {
    const session = await server.nextSession();
    await session.action('CoreShowChannels');
    const first = called('1900000000.1');
    session.send(`${'this line has no colon\n'.repeat(2000)}\n${markerCall('1900000000.1')}`);
    await first;
    const warnings = () => logs.filter((l) => l.startsWith('warn AMI stream'));
    assert.deepEqual(warnings(), Array(5).fill('warn AMI stream: malformed-line'));

    clock += 61_000;
    const second = called('1900000000.2');
    session.send(`one more without a colon\n\n${markerCall('1900000000.2')}`);
    await second;
    assert.deepEqual(warnings().slice(5), ['warn AMI stream: 1995 more malformed-line not logged in the last 61 s', 'warn AMI stream: malformed-line']);
    assert.equal(calls.length, 2, 'the calls around the garbage still count');
  } finally {
    await client.close();
    await server.close();
  }
});
