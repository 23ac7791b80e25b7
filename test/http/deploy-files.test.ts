import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { promisify } from 'node:util';

const ANALYZE = '/usr/bin/systemd-analyze';

test('the shipped systemd unit parses without a warning and starts the compiled server as its one process',
  { skip: existsSync(ANALYZE) ? false : 'systemd-analyze is not installed here (Debian package systemd), so the unit is not checked' },
  async () => {
    const { stdout, stderr } = await promisify(execFile)(ANALYZE, ['verify', 'deploy/ringback.service']);
    assert.equal(stdout + stderr, '', 'systemd-analyze verify reported something');
    const unit = await readFile('deploy/ringback.service', 'utf8');
    assert.match(unit, /^ExecStart=\/usr\/bin\/node dist\/main\.js$/m);
    assert.doesNotMatch(unit, /^KillMode=/m, 'the default KillMode (control-group) is what the SIGTERM test covers');
  });
