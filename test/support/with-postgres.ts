/**
 * `npm run test:postgres -- [test files…]`: starts a throw-away PostgreSQL 15 cluster, runs the
 * test files (default: all) with RINGBACK_TEST_ENGINE=postgres so every test app's store is the
 * PostgreSQL engine, then stops the cluster. Exits with the tests' status.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { postgresMissing, startPostgres } from './postgres.ts';

const missing = await postgresMissing();
if (missing !== null) {
  process.stderr.write(`${missing}\n`);
  process.exit(2);
}
const files = process.argv.slice(2);
const server = await startPostgres();
let code = 1;
try {
  const args = ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-force-exit', '--test-timeout=300000', '--test-concurrency=2',
    ...(files.length > 0 ? files : allTestFiles())];
  const child = spawn(process.execPath, args, {
    stdio: 'inherit', env: { ...process.env, RINGBACK_TEST_ENGINE: 'postgres', RINGBACK_TEST_DATABASE_URL: server.url },
  });
  code = await new Promise<number>((resolve) => child.once('exit', (c) => resolve(c ?? 1)));
} finally {
  await server.stop();
}
process.exit(code);

// Every test/<area>/<name>.test.ts, as `npm test` globs them (Node 20's test runner takes no patterns).
function allTestFiles(): string[] {
  return readdirSync('test', { withFileTypes: true }).filter((d) => d.isDirectory())
    .flatMap((d) => readdirSync(join('test', d.name)).filter((f) => f.endsWith('.test.ts')).map((f) => join('test', d.name, f))).sort();
}
