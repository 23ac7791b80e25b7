/**
 * Paired ingest runs of several builds on ONE copy of the cached 1M PostgreSQL seed (bench:scale's),
 * each build's `node <main.js>` in turn, so their figures share the machine's load of the moment:
 *
 *   flock /work/wt/bench.lock env RINGBACK_PAIRED_MAINS=old/dist/main.js,dist/main.js node --import tsx bench/pg-paired.ts
 *
 * RINGBACK_PAIRED_ROUNDS (2) rounds of all builds, BENCH_SECONDS (10) per run after a 3 s warm-up, 50
 * connections of phones' events. Prints events/s, the CPU time an event cost the Ringback process
 * and PostgreSQL's processes, and how many groups (change_log rows) held them. Another build: e.g.
 * `git archive <commit> src tsconfig.json tsconfig.build.json package.json | tar -x -C old`, a
 * node_modules symlink, `npx tsc -p tsconfig.build.json` and `cp -r src/web dist/web` in `old`.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { seededCluster } from './scale-postgres.ts';
import { load, phoneEvent } from './scale-load.ts';
import { freePort, productionEnv } from './scale-server.ts';
import { CONNECTIONS } from './harness.ts';

const say = (line: string) => process.stdout.write(`${line}\n`);
const mains = (process.env['RINGBACK_PAIRED_MAINS'] ?? 'dist/main.js').split(',');
const rounds = Number(process.env['RINGBACK_PAIRED_ROUNDS'] ?? 2);
const seconds = Number(process.env['BENCH_SECONDS'] ?? 10);

/** CPU ticks (1/100 s) a process used so far; 0 once it is gone. */
function ticks(pid: number): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return Number(f[11]) + Number(f[12]);
  } catch {
    return 0;
  }
}

const postgresPids = (): number[] => readdirSync('/proc').filter((d) => /^\d+$/.test(d)).filter((d) => {
  try { return readFileSync(`/proc/${d}/comm`, 'utf8').startsWith('postgres'); } catch { return false; }
}).map(Number);

async function start(main: string, url: string, dataDir: string): Promise<{ pid: number; port: number; stop(): Promise<unknown> }> {
  const port = await freePort();
  const child = spawn(process.execPath, [main], {
    cwd: join(import.meta.dirname, '..'), stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...productionEnv(dataDir), PORT: String(port), RINGBACK_DATABASE_URL: url },
  });
  let dead = false;
  const exited = new Promise((r) => child.once('exit', (code) => { dead = true; r(code); }));
  for (;;) {
    if (dead) throw new Error(`${main} exited before it was ready`);
    if (await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status === 200, () => false)) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  return { pid: child.pid ?? 0, port, stop: () => { child.kill('SIGTERM'); return exited; } };
}

const seeded = await seededCluster(1_000_000, 2_000, say);
const work = await mkdtemp(join(tmpdir(), 'ringback-paired-'));
try {
  const db = await seeded.copy();
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  const top = async () => Number((await client.query<{ s: string }>('SELECT coalesce(max(seq), 0) AS s FROM change_log')).rows[0]?.s ?? 0);
  try {
    for (let r = 0; r < rounds; r++) {
      for (const main of mains) {
        const server = await start(main, db.url, join(work, 'data'));
        try {
          await load(server.port, phoneEvent, CONNECTIONS, 3);
          const before = postgresPids();
          const cpu0 = { server: ticks(server.pid), pg: before.reduce((x, p) => x + ticks(p), 0) };
          const [seq0, load0] = [await top(), loadavg()[0] ?? 0];
          const l = await load(server.port, phoneEvent, CONNECTIONS, seconds);
          const groups = (await top()) - seq0;
          const pg1 = [...before, ...postgresPids().filter((p) => !before.includes(p))].reduce((x, p) => x + ticks(p), 0);
          const perEvent = (t: number) => (10 * t / l.requests).toFixed(3);
          say(`${main.padEnd(24)} ${l.rps.toFixed(0)} events/s, p99 ${l.p99} ms, ${l.errors + l.non2xx} failed; CPU ms an event: ` +
            `server ${perEvent(ticks(server.pid) - cpu0.server)}, PostgreSQL ${perEvent(pg1 - cpu0.pg)}; ` +
            `${groups} groups (${(l.requests / groups).toFixed(1)} events each); load average ${load0.toFixed(1)}`);
        } finally {
          await server.stop();
        }
      }
    }
  } finally {
    await client.end();
    await db.drop();
  }
} finally {
  await seeded.pg.stop();
  await rm(work, { recursive: true, force: true });
}
