import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const CHILD = join(import.meta.dirname, 'churn-child.ts');

async function churn(nodeArgs: string[], mode: 'server' | 'default'): Promise<{ set: boolean; peakMb: number }> {
  const { stdout } = await run(process.execPath, [...nodeArgs, '--import', 'tsx', CHILD, mode]);
  return JSON.parse(stdout) as { set: boolean; peakMb: number };
}

test('after a burst of short-lived records the server\'s heap stays near what is live, unless the operator chose their own growth', async () => {
  const unbounded = await churn([], 'default');
  const server = await churn([], 'server');
  const operator = await churn(['--heap-growing-percent=300'], 'server');
  assert.equal(server.set, true);
  assert.equal(operator.set, false, 'a --heap-growing-percent on the command line wins');
  assert.ok(server.peakMb < unbounded.peakMb * 0.6, `server heap peaked at ${server.peakMb} MB, V8's default growth at ${unbounded.peakMb} MB`);
  assert.ok(operator.peakMb > server.peakMb * 1.5, `the operator's growth (${operator.peakMb} MB) applies, not the server's (${server.peakMb} MB)`);
});
