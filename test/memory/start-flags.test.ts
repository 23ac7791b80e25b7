import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { SERVER_MALLOC_ENV, SERVER_NODE_FLAGS } from '../../src/heap.ts';

const run = promisify(execFile);
const node = `node ${SERVER_NODE_FLAGS.join(' ')} dist/main.js`;

test('every shipped start command starts node with the server\'s V8 flags and allocator settings', async () => {
  const pkg = JSON.parse(await readFile('package.json', 'utf8')) as { scripts: Record<string, string> };
  const malloc = Object.entries(SERVER_MALLOC_ENV);
  const start = pkg.scripts['start'] ?? '';
  assert.match(start, new RegExp(`exec ${node}$`));
  // The operator's own value wins: a default, not an assignment.
  for (const [k, v] of malloc) assert.ok(start.includes(`${k}=\${${k}:-${v}} `), `npm start sets ${k}=${v} unless it is set`);
  for (const unit of ['deploy/ringback.service', 'deploy/ringback@.service']) {
    const text = await readFile(unit, 'utf8');
    assert.match(text, new RegExp(`^ExecStart=/usr/bin/${node}$`, 'm'), unit);
    for (const [k, v] of malloc) assert.match(text, new RegExp(`^Environment=${k}=${v}$`, 'm'), unit);
  }
  const container = await readFile('deploy/Containerfile', 'utf8');
  const cmd = JSON.stringify(['node', ...SERVER_NODE_FLAGS, 'dist/main.js']).replaceAll(',', ', ');
  assert.ok(container.includes(`CMD ${cmd}`), `deploy/Containerfile runs ${cmd}`);
  for (const [k, v] of malloc) assert.match(container, new RegExp(`^ENV .*\\b${k}=${v}\\b`, 'm'), `deploy/Containerfile sets ${k}`);
});

test('started with them, a server churning through short-lived objects keeps a small young generation', async () => {
  // Allocation like requests': objects dead soon after, a few kept a little longer.
  const churn = `let keep = []; for (let i = 0; i < 2e6; i++) { keep.push({ i, s: 'r' + i }); if (keep.length > 2000) keep = []; }
    const s = require('node:v8').getHeapSpaceStatistics().find((x) => x.space_name === 'new_space');
    process.stdout.write(String(s.space_size / 1048576));`;
  const young = async (flags: readonly string[]) => Number((await run(process.execPath, [...flags, '-e', churn])).stdout);
  const server = await young(SERVER_NODE_FLAGS);
  const plain = await young([]);
  assert.ok(server <= 8, `the young generation grew to ${server} MB`);
  assert.ok(plain > server, `without the flags it is ${plain} MB (node's default), so the flags are what bounds it`);
});
