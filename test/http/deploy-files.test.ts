import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';

const ANALYZE = '/usr/bin/systemd-analyze';

test('the shipped systemd unit parses without a warning and starts the compiled server as its one process',
  { skip: existsSync(ANALYZE) ? false : 'systemd-analyze is not installed here (Debian package systemd), so the unit is not checked' },
  async () => {
    const { stdout, stderr } = await promisify(execFile)(ANALYZE, ['verify', 'deploy/ringback.service']);
    assert.equal(stdout + stderr, '', 'systemd-analyze verify reported something');
    const unit = await readFile('deploy/ringback.service', 'utf8');
    assert.match(unit, /^ExecStart=\/usr\/bin\/node --max-semi-space-size=4 dist\/main\.js$/m);
    assert.doesNotMatch(unit, /^KillMode=/m, 'the default KillMode (control-group) is what the SIGTERM test covers');
  });

test('the instance template for several instances on one database parses without a warning, each instance with its own data dir',
  { skip: existsSync(ANALYZE) ? false : 'systemd-analyze is not installed here (Debian package systemd), so the unit is not checked' },
  async () => {
    // A template is verified as one of its instances.
    const dir = await mkdtemp(join(tmpdir(), 'ringback-unit-'));
    try {
      const unit = await readFile('deploy/ringback@.service', 'utf8');
      await writeFile(join(dir, 'ringback@a.service'), unit);
      const { stdout, stderr } = await promisify(execFile)(ANALYZE, ['verify', join(dir, 'ringback@a.service')]);
      assert.equal(stdout + stderr, '', 'systemd-analyze verify reported something');
      assert.match(unit, /^ExecStart=\/usr\/bin\/node --max-semi-space-size=4 dist\/main\.js$/m);
      assert.match(unit, /^Environment=RINGBACK_DATA_DIR=\/var\/lib\/ringback\/%i$/m);
      assert.match(unit, /^EnvironmentFile=\/etc\/ringback\/ringback\.env$/m, 'the shared settings (the database URL) are required');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
