import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { openStore } from '../../src/store/embedded/open-store.ts';
import { tempDir } from './fixtures.ts';
import { all } from '../support/collect.ts';

const CHILD = fileURLToPath(new URL('./crash-child.ts', import.meta.url));
const TOTAL = 2000;

/**
 * Runs the child, collects the ids it acknowledged, SIGKILLs it once `killAfter` acks were read
 * (plus whatever it printed before dying), and returns every acknowledged id.
 */
function runAndKill(dir: string, killAfter: number): Promise<{ acked: Set<string>; killed: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, String(TOTAL), '64'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acked = new Set<string>();
    let buffered = '';
    let stderr = '';
    let killed = false;
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? ''; // only complete lines are acknowledgements
      for (const line of lines) if (line.startsWith('c')) acked.add(line);
      if (!killed && acked.size >= killAfter) {
        killed = child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`child ended without being killed (code ${code}): ${stderr}`));
      else resolve({ acked, killed });
    });
  });
}

async function reopenAndCheck(dir: string, acked: Set<string>): Promise<number> {
  const logs: string[] = [];
  const store = await openStore({ dir, log: (msg) => logs.push(msg) });
  try {
    const found = new Set<string>([
      ...(await all(store.history.attemptsIn({}))).map((a) => a.id),
      ...(await all(store.history.missedCalls({}))).map((m) => m.id),
    ]);
    const lost = [...acked].filter((id) => !found.has(id));
    assert.deepEqual(lost, [], `acknowledged but lost after SIGKILL: ${lost.length}`);
    assert.ok(found.size >= acked.size);
    return found.size;
  } finally {
    await store.close();
  }
}

test('every change acknowledged before a SIGKILL mid-way is found after reopening', async () => {
  const { dir, done } = await tempDir();
  try {
    const { acked } = await runAndKill(dir, TOTAL / 2);
    assert.ok(acked.size >= TOTAL / 2 && acked.size < TOTAL, `acked ${acked.size}`);
    await reopenAndCheck(dir, acked);
  } finally {
    await done();
  }
});

test('all 2,000 acknowledged changes survive a SIGKILL right after the last acknowledgement', async () => {
  const { dir, done } = await tempDir();
  try {
    const { acked } = await runAndKill(dir, TOTAL);
    assert.equal(acked.size, TOTAL);
    assert.equal(await reopenAndCheck(dir, acked), TOTAL);
  } finally {
    await done();
  }
});
