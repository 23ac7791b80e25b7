import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { promisify } from 'node:util';
import { lockDir } from '../../src/store/embedded/dir-lock.ts';
import { openStore } from '../../src/store/embedded/open-store.ts';
import { tempDir } from '../store/fixtures.ts';
import { fireMissedCalls, listedCallers, missedCallUrl } from '../support/missed-load.ts';
import { spawnServer, type ServerProcess } from '../support/server-process.ts';
import { until } from '../support/until.ts';
import { all } from '../support/collect.ts';

// What `npm ci` does through `prepare`: the tests below run the compiled server of this very source.
before(async () => { await promisify(execFile)('npm', ['run', 'build', '--silent']); });

/** True once no process of the group is alive (zombies do not count: they hold no files or sockets). */
async function groupGone(pgid: number): Promise<boolean> {
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    const [state, , pgrp] = stat.replace(/^.*\) /, '').split(' ');
    if (Number(pgrp) === pgid && state !== 'Z') return false;
  }
  return true;
}

function signalGroup(server: ServerProcess, signal: NodeJS.Signals): number {
  const pgid = server.child.pid!;
  process.kill(-pgid, signal);
  return pgid;
}

test('SIGTERM to the whole process group of `npm start` after traffic writes the final snapshot and frees the lock', async () => {
  const { dir, done } = await tempDir();
  try {
    const server = await spawnServer(dir, {}, { via: 'npm-start' });
    const template = await missedCallUrl(server.base);
    const load = await fireMissedCalls(server.base, template, { prefix: '+4930', count: 300, concurrency: 20 });
    assert.equal(load.acked.length, 300);
    const pgid = signalGroup(server, 'SIGTERM');
    assert.equal(await server.exited, 0, 'npm start ends cleanly');
    await until(() => groupGone(pgid), 'every process of the group to end', 60_000);
    assert.ok(server.output.some((l) => l.includes('"store: snapshot written"')), 'the final snapshot was written');
    await assert.rejects(lstat(join(dir, '.lock')), 'the lock file is gone');
    await (await lockDir(dir)).release();

    const store = await openStore({ dir });
    try {
      assert.equal(store.stats.replayed, 0, 'the snapshot holds everything: nothing left to replay');
      const callers = new Set((await all(store.history.missedCalls({}))).map((m) => m.caller.e164));
      assert.deepEqual(load.acked.filter((c) => !callers.has(c)), []);
    } finally {
      await store.close();
    }
  } finally {
    await done();
  }
});

test('five kill -9 cycles of `npm start`\'s process group under load: each restart needs no manual step and finds every acknowledged event', async (t) => {
  const { dir, done } = await tempDir();
  const acked: string[] = [];
  let template = '';
  try {
    for (let cycle = 0; cycle <= 5; cycle++) {
      const server = await spawnServer(dir, {}, { via: 'npm-start' });
      const found = await listedCallers(server.base);
      const lost = acked.filter((c) => !found.has(c));
      if (cycle > 0) t.diagnostic(`restart #${cycle}: ${acked.length} acknowledged, ${acked.length - lost.length} found`);
      assert.deepEqual(lost, [], `after kill -9 #${cycle}: ${lost.length} of ${acked.length} acknowledged events lost`);
      if (cycle === 5) {
        signalGroup(server, 'SIGTERM');
        assert.equal(await server.exited, 0);
        break;
      }
      if (cycle === 0) template = await missedCallUrl(server.base);
      let pgid = 0;
      const load = await fireMissedCalls(server.base, template, {
        prefix: `+49${30 + cycle}`, count: 2000, concurrency: 30,
        stop: () => pgid !== 0,
        // Killed while requests are in flight: only the answered ones count.
        onAnswer: (r) => { if (r.acked.length >= 200 && pgid === 0) pgid = signalGroup(server, 'SIGKILL'); },
      });
      assert.ok(pgid !== 0, 'the group was killed under load');
      assert.deepEqual([...load.refused], [], 'every answered event was accepted');
      await server.exited;
      // What a supervisor does too (systemd waits for the control group to empty): no lock removal, no cleanup.
      await until(() => groupGone(pgid), 'every process of the group to die', 60_000);
      acked.push(...load.acked);
      t.diagnostic(`kill -9 #${cycle + 1}: ${load.acked.length} events acknowledged in this run, ${acked.length} in all`);
    }
    assert.ok(acked.length >= 1000, `${acked.length} events acknowledged over five cycles`);
  } finally {
    await done();
  }
});
