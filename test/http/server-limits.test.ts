import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ADMIN } from '../support/app.ts';
import { spawnServer, type ServerProcess } from '../support/server-process.ts';
import { until } from '../support/until.ts';

const HEADERS_TIMEOUT_MS = 1000;
const MAX_CONNECTIONS = 5;

let dir: string;
let server: ServerProcess;
let port: number;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ringback-limits-'));
  server = await spawnServer(dir, { RINGBACK_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS), RINGBACK_MAX_CONNECTIONS: String(MAX_CONNECTIONS) });
  port = Number(new URL(server.base).port);
});
after(async () => {
  server.child.kill('SIGTERM');
  await server.exited;
  await rm(dir, { recursive: true, force: true });
});

/**
 * Resolves with what the server sent once it closes the connection. No deadline of its own: a
 * connection the server never closes fails the test by the runner's timeout, and what was sent
 * (an answer, or none) tells which limit closed it.
 */
function closedBy(socket: net.Socket): Promise<string> {
  let got = '';
  socket.on('data', (d: Buffer) => { got += d.toString(); });
  return new Promise((resolve) => socket.once('close', () => resolve(got)));
}

test('the start banner never prints RINGBACK_ADMIN_TOKEN: its curl lines take it from the environment', () => {
  const banner = server.output.join('\n');
  assert.ok(!banner.includes(ADMIN), 'the admin token is not in the output');
  assert.match(banner, /Admin token: from RINGBACK_ADMIN_TOKEN/);
  const assignment = server.output.find((l) => l.trim().startsWith('TOKEN='))?.trim();
  assert.equal(assignment, 'TOKEN="$RINGBACK_ADMIN_TOKEN"');
  assert.match(banner, /curl -H "Authorization: Bearer \$TOKEN"/);
  // The line as printed works in a shell that has the variable.
  const filled = execFileSync('bash', ['--norc', '--noprofile', '-c', `${assignment}; printf %s "$TOKEN"`], { env: { RINGBACK_ADMIN_TOKEN: ADMIN }, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  assert.equal(filled, ADMIN);
});

test('a client that sends half its headers and stalls is answered 408 and disconnected', async () => {
  const socket = net.connect(port, '127.0.0.1');
  await once(socket, 'connect');
  socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
  const started = Date.now();
  const answer = await closedBy(socket);
  assert.match(answer, /^HTTP\/1\.1 408/);
  assert.ok(Date.now() - started >= HEADERS_TIMEOUT_MS * 0.9, 'not before the headers timeout');
  const r = await fetch(`${server.base}/healthz`);
  assert.equal(r.status, 200, 'the server goes on serving');
});

test('connections beyond RINGBACK_MAX_CONNECTIONS are refused at once, and served again once others close', async () => {
  const held: net.Socket[] = [];
  try {
    for (let i = 0; i < MAX_CONNECTIONS; i++) {
      const s = net.connect(port, '127.0.0.1');
      await once(s, 'connect');
      held.push(s);
    }
    const extra = net.connect(port, '127.0.0.1');
    extra.on('error', () => undefined);
    extra.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    // Served, it would get a 200; left waiting, a 408 after the headers timeout: refused, nothing.
    const answer = await closedBy(extra);
    assert.equal(answer, '', 'closed without an answer');
  } finally {
    for (const s of held) s.destroy();
  }
  await until(async () => (await fetch(`${server.base}/healthz`).then((r) => r.status, () => 0)) === 200, 'the server to serve again');
});
