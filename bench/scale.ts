/**
 * `npm run bench:scale`: the figures of issue 12 at scale, against the real server started the
 * production way. Seeds N calls over 30 days (default 1,000,000, 2,000 open) through the store
 * contract once (cached in bench/.cache/), runs the server on a copy of that data dir, and prints each
 * figure next to its target. A measurement: it exits 0 whatever the figures are.
 *
 *   RINGBACK_BENCH_CALLS=50000 npm run bench:scale     (or `npm run bench:scale -- 50000`)
 *   npm run bench:scale -- --engine postgres 1000000     (or RINGBACK_BENCH_ENGINE=postgres|embedded|both)
 *   RINGBACK_BENCH_OPEN (2000), BENCH_SECONDS (10: each ratio run), RINGBACK_BENCH_MIXED_SECONDS (60)
 *   RINGBACK_BENCH_ONLY=report,export,list,ingest,mixed   (a comma list: only those figures after the
 *   start ones; for working on one figure without waiting for the others)
 *   RINGBACK_BENCH_MIX=events,lists,pages,report,export   (only those parts of the mixed load)
 *   RINGBACK_BENCH_DIAGNOSE=<dir> (node's diagnostic report of the server after start and after the
 *   mixed load, into <dir>), with RINGBACK_BENCH_SNAPSHOT=1 also a heap snapshot there
 *   RINGBACK_BENCH_NODE_FLAGS="--max-semi-space-size=16" (node flags for the server after its own, to try one)
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONNECTIONS, startServer } from './harness.ts';
import { seededDir } from './scale-data.ts';
import { seededCluster } from './scale-postgres.ts';
import { postgresMissing } from '../test/support/postgres.ts';
import { apiPages, bare, listScreen, load, phoneEvent, timed, type Load } from './scale-load.ts';
import { buildIfNeeded, diagnose, memoryOf, sampleRss, startProduction } from './scale-server.ts';

const num = (v: string | undefined, fallback: number) => (v === undefined || v === '' ? fallback : Number(v.replaceAll('_', '')));
const argv = process.argv.slice(2);
const engineAt = argv.indexOf('--engine');
const ENGINE = engineAt >= 0 ? argv.splice(engineAt, 2)[1] : process.env['RINGBACK_BENCH_ENGINE'] ?? 'embedded';
if (ENGINE !== 'embedded' && ENGINE !== 'postgres' && ENGINE !== 'both') throw new Error(`--engine: embedded, postgres or both, not ${ENGINE}`);
const CALLS = num(argv[0] ?? process.env['RINGBACK_BENCH_CALLS'], 1_000_000);
const OPEN = num(process.env['RINGBACK_BENCH_OPEN'], 2_000);
const SECONDS = num(process.env['BENCH_SECONDS'], 10);
const MIXED = num(process.env['RINGBACK_BENCH_MIXED_SECONDS'], 60);
const PARTS = ['report', 'export', 'list', 'ingest', 'mixed'] as const;
const ONLY = (process.env['RINGBACK_BENCH_ONLY'] ?? '').split(',').map((p) => p.trim()).filter((p) => p !== '');
for (const p of ONLY) if (!(PARTS as readonly string[]).includes(p)) throw new Error(`RINGBACK_BENCH_ONLY: ${PARTS.join(', ')}, not ${p}`);
const runs = (part: typeof PARTS[number]) => ONLY.length === 0 || ONLY.includes(part);
// Which parts of the mixed load run (all by default): for finding which part grows the memory.
const MIX_PARTS = ['events', 'lists', 'pages', 'report', 'export'] as const;
const MIX = (process.env['RINGBACK_BENCH_MIX'] ?? '').split(',').map((p) => p.trim()).filter((p) => p !== '');
for (const p of MIX) if (!(MIX_PARTS as readonly string[]).includes(p)) throw new Error(`RINGBACK_BENCH_MIX: ${MIX_PARTS.join(', ')}, not ${p}`);
const mixes = (part: typeof MIX_PARTS[number]) => MIX.length === 0 || MIX.includes(part);

const say = (line: string) => process.stdout.write(`${line}\n`);
const results: string[] = [];
let bareRuns: Load[] = [];
const mb = (x: number) => `${x.toFixed(0)} MB`;
function figure(name: string, value: string, target: string, pass: boolean, note = ''): void {
  results.push(`${name.padEnd(34)} ${value.padStart(12)}   target ${target.padEnd(8)} ${pass ? 'PASS' : 'FAIL'}${note === '' ? '' : `   ${note}`}`);
}
const loadNote = (l: Load) => `${l.rps.toFixed(0)} req/s, p99 ${l.p99} ms${l.errors + l.non2xx > 0 ? `, ${l.errors} errors ${l.non2xx} non-2xx` : ''}`;

// The machine is shared: a busy neighbour moves every figure, so the run says how busy it was.
const LOAD = loadavg()[0]?.toFixed(1) ?? '?';
interface Engine {
  name: 'embedded' | 'postgres';
  /** Durable ingest's target: issue 12's for the embedded engine, issue 13's for PostgreSQL on loopback. */
  ingestTarget: number;
  from: string;
  to: string;
  start(): Promise<Awaited<ReturnType<typeof startProduction>>>;
  /** After the server stopped: removes what this run wrote. */
  cleanUp(): Promise<void>;
}

async function embedded(): Promise<Engine> {
  const seeded = await seededDir(CALLS, OPEN, say);
  if (seeded.seededMs !== null) say(`seeded in ${(seeded.seededMs / 1000).toFixed(0)} s`);
  // The server writes (events, snapshots): it runs on a copy, so the cached seed stays as seeded.
  const work = await mkdtemp(join(tmpdir(), 'ringback-scale-'));
  const dir = join(work, 'data');
  const copied = spawnSync('cp', ['-a', '--reflink=auto', seeded.dir, dir]);
  if (copied.status !== 0) throw new Error(`cp: ${copied.stderr.toString()}`);
  return {
    name: 'embedded', ingestTarget: 0.6, from: seeded.from, to: seeded.to,
    start: () => startProduction(dir),
    cleanUp: () => rm(work, { recursive: true, force: true }),
  };
}

async function postgres(): Promise<Engine> {
  const missing = await postgresMissing();
  if (missing !== null) throw new Error(missing);
  const seeded = await seededCluster(CALLS, OPEN, say, num(process.env['RINGBACK_BENCH_DAYS'], 30));
  if (seeded.seededMs !== null) say(`seeded in ${(seeded.seededMs / 1000).toFixed(0)} s (${(CALLS / (seeded.seededMs / 1000)).toFixed(0)} calls/s)`);
  try {
    const db = await seeded.copy();
    // The data dir holds nothing of the store on this engine; the server still wants one.
    const work = await mkdtemp(join(tmpdir(), 'ringback-scale-pg-'));
    return {
      name: 'postgres', ingestTarget: 0.4, from: seeded.from, to: seeded.to,
      start: () => startProduction(join(work, 'data'), { RINGBACK_DATABASE_URL: db.url }),
      async cleanUp() {
        try { await db.drop(); } finally { await seeded.pg.stop(); await rm(work, { recursive: true, force: true }); }
      },
    };
  } catch (e) {
    await seeded.pg.stop();
    throw e;
  }
}

async function measure(engine: Engine): Promise<void> {
  results.length = 0;
  const seeded = { from: engine.from, to: engine.to };
  say(`${engine.name}: ${CALLS.toLocaleString('en')} stored calls (${OPEN.toLocaleString('en')} open), ${seeded.from.slice(0, 10)} to ${seeded.to.slice(0, 10)}; starting node dist/main.js …`);
  const server = await engine.start();
  try {
    const { pid, port } = server;
    const started = memoryOf(pid);
    await diagnose(pid, 'after start', say);
    figure('start to /readyz', `${(server.readyMs / 1000).toFixed(1)} s`, '≤ 5 s', server.readyMs <= 5000);
    figure('RSS after start', mb(started.rssMb), '≤ 300 MB', started.rssMb <= 300, `(VmHWM during start ${mb(started.hwmMb)})`);

    const window = `from=${seeded.from}&to=${seeded.to}`;
    if (runs('report')) {
      const report = await timed(port, `/api/reports/summary?${window}`);
      figure('30-day report', `${report.ms.toFixed(0)} ms`, '≤ 1 s', report.ms <= 1000 && report.status === 200, `(HTTP ${report.status})`);
    }

    if (runs('export')) {
      const sampler = sampleRss(pid);
      const exported = await timed(port, `/api/missed-calls/export?format=csv&${window}`);
      const peak = sampler.stop();
      figure('CSV export peak RSS', mb(peak), '≤ 400 MB', peak <= 400 && exported.status === 200,
        `(HTTP ${exported.status}, ${(exported.bytes / 1e6).toFixed(0)} MB of CSV in ${(exported.ms / 1000).toFixed(1)} s, the 30 days)`);
    }

    // Ratios in this run: the bare route in its own process, measured before and after each scenario
    // (the shared machine's speed drifts), against the real server at full size.
    const ratios = ([['list screen', listScreen, 0.5], ['durable ingest', phoneEvent, engine.ingestTarget]] as const)
      .filter(([name]) => runs(name === 'list screen' ? 'list' : 'ingest'));
    const bareServer = ratios.length === 0 ? null : await startServer('bench/server.ts', ['bare']);
    bareRuns = [];
    if (bareServer !== null) try {
      const measureBare = async () => { bareRuns.push(await load(bareServer.port, bare, CONNECTIONS, SECONDS)); return bareRuns.at(-1)?.rps ?? Number.NaN; };
      await load(bareServer.port, bare, CONNECTIONS, 3);
      let before = await measureBare();
      for (const [name, shape, target] of ratios) {
        await load(port, shape, CONNECTIONS, 3);
        const l = await load(port, shape, CONNECTIONS, SECONDS);
        const after = await measureBare();
        const ratio = l.rps / ((before + after) / 2);
        before = after;
        figure(`${name} / bare route`, ratio.toFixed(2), `≥ ${target}`, ratio >= target && l.errors + l.non2xx === 0, `(${loadNote(l)})`);
      }
    } finally {
      await bareServer.stop();
      results.push(`bare route ${bareRuns.map((b) => b.rps.toFixed(0)).join(', ')} req/s (p99 ${bareRuns.map((b) => b.p99).join(', ')} ms; before and after each scenario, a ratio uses the mean of its two); ${CONNECTIONS} connections, ${SECONDS} s per ratio run after a 3 s warm-up`);
    }

    if (!runs('mixed')) return;
    // Mixed load: phones' events and list screens, dashboard API pages, one report and one export.
    say(`mixed load for ${MIXED} s …`);
    const mixedPeak = sampleRss(pid, 250);
    const after = (s: number) => new Promise((r) => setTimeout(r, s * 1000));
    const lastDay = seeded.to.slice(0, 10);
    const none: Load = { rps: 0, p99: 0, errors: 0, non2xx: 0, requests: 0 };
    const skipped = { ms: 0, status: 0, bytes: 0 };
    const [events, lists, pages, mixedReport, mixedExport] = await Promise.all([
      mixes('events') ? load(port, phoneEvent, 20, MIXED) : none,
      mixes('lists') ? load(port, listScreen, 20, MIXED) : none,
      mixes('pages') ? load(port, apiPages(seeded.from, seeded.to), 4, MIXED) : none,
      mixes('report') ? after(MIXED / 6).then(() => timed(port, `/api/reports/summary?${window}`)) : skipped,
      mixes('export') ? after(MIXED / 3).then(() => timed(port, `/api/missed-calls/export?format=csv&from=${lastDay}`)) : skipped,
      after(MIXED),
    ]);
    const loadPeak = mixedPeak.stop();
    const loaded = memoryOf(pid);
    await diagnose(pid, 'after mixed load', say);
    figure(`RSS after ${MIXED} s of mixed load`, mb(loaded.rssMb), '≤ 300 MB', loaded.rssMb <= 300, `(peak ${mb(loadPeak)} during it)`);
    results.push('', `mixed load: events ${loadNote(events)}; list screens ${loadNote(lists)}; API pages ${loadNote(pages)};`,
      `  report ${mixedReport.ms.toFixed(0)} ms (HTTP ${mixedReport.status}); CSV export of ${lastDay} ${mixedExport.ms.toFixed(0)} ms (HTTP ${mixedExport.status}, ${(mixedExport.bytes / 1e3).toFixed(0)} kB)`);
  } finally {
    const code = await server.stop();
    await engine.cleanUp();
    printed.push('', `bench:scale on the ${engine.name} engine — ${CALLS.toLocaleString('en')} stored calls, ${OPEN.toLocaleString('en')} open (server exit ${code}; load average at start ${LOAD})`, ...results);
  }
}

const printed: string[] = [];
buildIfNeeded(say);
try {
  for (const name of ENGINE === 'both' ? ['embedded', 'postgres'] as const : [ENGINE]) await measure(name === 'embedded' ? await embedded() : await postgres());
} finally {
  for (const r of printed) say(r);
}
