import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { lstat, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { lockDir } from '../../src/store/embedded/dir-lock.ts';
import { spawnServer } from '../support/server-process.ts';
import { tempDir } from './fixtures.ts';

/** A real zombie: a perl process (perl-base is essential in Debian) forks a child that exits and is never reaped. */
async function zombie(): Promise<{ pid: number; stop: () => void }> {
  const parent = spawn('perl', ['-e', '$| = 1; my $pid = fork(); exit 0 if $pid == 0; print "$pid\n"; sleep 600;'],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve) => createInterface({ input: parent.stdout }).once('line', resolve));
  const pid = Number(line);
  const state = async () => (await readFile(`/proc/${pid}/stat`, 'utf8')).replace(/^.*\) /, '').charAt(0);
  // `true` exits at once; reading its state (no sleep) until the kernel reports it a zombie.
  while (await state() !== 'Z') await new Promise((resolve) => setImmediate(resolve));
  return { pid, stop: () => parent.kill('SIGKILL') };
}

test('a lock file naming a live but unrelated process does not stop the server from starting', async () => {
  const { dir, done } = await tempDir();
  try {
    await writeFile(join(dir, '.lock'), `${process.pid}\n`);
    const server = await spawnServer(dir);
    server.child.kill('SIGTERM');
    assert.equal(await server.exited, 0);
    await assert.rejects(lstat(join(dir, '.lock')), 'the lock is gone after a clean stop');
  } finally {
    await done();
  }
});

test('a lock file naming an unreaped zombie (a container without init) does not stop the server from starting', async () => {
  const { dir, done } = await tempDir();
  const z = await zombie();
  try {
    process.kill(z.pid, 0); // the old pid check would have called this process alive
    await writeFile(join(dir, '.lock'), `${z.pid}\n`);
    const server = await spawnServer(dir);
    server.child.kill('SIGTERM');
    assert.equal(await server.exited, 0);
  } finally {
    z.stop();
    await done();
  }
});

test('a second holder is refused with the first one\'s pid, also through another path to the same directory', async () => {
  const { dir, done } = await tempDir();
  try {
    const first = await lockDir(dir);
    assert.ok((await lstat(join(dir, '.lock'))).isSocket());
    await assert.rejects(lockDir(dir), new RegExp(`in use by another Ringback process \\(pid ${process.pid}\\)`));
    await symlink(dir, `${dir}-link`);
    await assert.rejects(lockDir(`${dir}-link`), /in use by another Ringback process/);
    await first.release();
    const again = await lockDir(`${dir}-link`);
    await again.release();
  } finally {
    await rm(`${dir}-link`, { force: true });
    await done();
  }
});

test('the lock of a server killed with SIGKILL is free at once for the next start', async () => {
  const { dir, done } = await tempDir();
  try {
    const first = await spawnServer(dir);
    first.child.kill('SIGKILL');
    await first.exited;
    assert.ok((await lstat(join(dir, '.lock'))).isSocket(), 'the dead server left its socket file');
    const second = await spawnServer(dir);
    second.child.kill('SIGTERM');
    assert.equal(await second.exited, 0);
  } finally {
    await done();
  }
});
