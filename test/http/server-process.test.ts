import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { spawnServer } from '../support/server-process.ts';

let dir: string;
before(async () => { dir = await mkdtemp(join(tmpdir(), 'ringback-proc-')); });
after(async () => rm(dir, { recursive: true, force: true }));

/** Run the server expecting it to refuse to start; resolves with its exit code and everything it printed. */
function refusal(env: Record<string, string>): Promise<{ code: number | null; text: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, PORT: '0', RINGBACK_HOST: '127.0.0.1', RINGBACK_NTP_SERVERS: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout.on('data', (d: Buffer) => { text += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { text += d.toString(); });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, text })));
}

test('a first start generates the admin token, keeps it private in the data dir, and prints it once with the URLs for phones', async () => {
  const server = await spawnServer(dir, { RINGBACK_ADMIN_TOKEN: '' });
  try {
    const banner = server.output.join('\n');
    const token = (await readFile(join(dir, 'admin-token'), 'utf8')).trim();
    assert.ok(token.length >= 24);
    assert.equal((await stat(join(dir, 'admin-token'))).mode & 0o777, 0o600);
    assert.ok(banner.includes(`Admin token (new, kept in ${join(dir, 'admin-token')}): ${token}`));
    assert.equal(banner.split(token).length, 2, 'shown once, to sign in with; the curl lines do not hold it');
    const assignment = server.output.find((l) => l.trim().startsWith('TOKEN='))?.trim() ?? '';
    const filled = execFileSync('bash', ['--norc', '--noprofile', '-c', `${assignment}; printf %s "$TOKEN"`], { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
    assert.equal(filled, token, 'the printed TOKEN= line reads it from the file');
    assert.match(banner, /\/phone\/<vendor>\/missed\?t=<token>/);
    const r = await fetch(`${server.base}/api/teams`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(r.status, 200);

    const second = await refusal({ RINGBACK_DATA_DIR: dir });
    assert.equal(second.code, 3);
    assert.match(second.text, /in use by another Ringback process \(pid \d+\)/);
  } finally {
    server.child.kill('SIGTERM');
    assert.equal(await server.exited, 0, 'SIGTERM is a clean shutdown');
  }
  // The shutdown folded the journal into the snapshot and released the lock.
  await stat(join(dir, 'config.json'));
  await assert.rejects(stat(join(dir, '.lock')));
});

test('a bad setting stops the start with a message naming the variable', async () => {
  const r = await refusal({ RINGBACK_DATA_DIR: dir, RINGBACK_COUNTRY: 'Atlantis', RINGBACK_CORRELATION_WINDOW: '-5', RINGBACK_ADMIN_TOKEN: 'short' });
  assert.equal(r.code, 2);
  assert.match(r.text, /RINGBACK_COUNTRY: expected a two-letter country code/);
  assert.match(r.text, /RINGBACK_CORRELATION_WINDOW: expected a whole number/);
  assert.match(r.text, /RINGBACK_ADMIN_TOKEN: expected 16 to 256 printable characters/);
  assert.ok(!r.text.includes('short'), 'the bad secret is not echoed');
});

test('a corrupt snapshot stops the start, names the file, and is left as it was', async () => {
  const broken = await mkdtemp(join(tmpdir(), 'ringback-broken-'));
  try {
    await writeFile(join(broken, 'config.json'), '{"teams":[{"id":');
    const r = await refusal({ RINGBACK_DATA_DIR: broken, RINGBACK_ADMIN_TOKEN: 'x'.repeat(20) });
    assert.equal(r.code, 3);
    assert.match(r.text, /config\.json/);
    assert.equal(await readFile(join(broken, 'config.json'), 'utf8'), '{"teams":[{"id":');
  } finally {
    await rm(broken, { recursive: true, force: true });
  }
});
