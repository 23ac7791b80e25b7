/**
 * Benchmarks, as ratios against a bare Express route measured in the same run (absolute numbers
 * drift with the machine; ratios don't). Each server runs in its own process; autocannon drives
 * 50 connections from this one, on loopback.
 *
 *   ingest: Yealink missed-call events with durable commits, a new caller each   (target ≥ 0.6)
 *   screen: the Yealink list screen with 100k stored calls, 2,000 of them open   (target ≥ 0.5)
 */
import autocannon from 'autocannon';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONNECTIONS, median, startServer } from './harness.ts';
import { BENCH_TOKEN, seed } from './seed.ts';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 10);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);

interface Result { rps: number; p99: number; errors: number; non2xx: number }

async function load(port: number, path: () => string): Promise<Result> {
  const r = await autocannon({
    url: `http://127.0.0.1:${port}`, connections: CONNECTIONS, duration: SECONDS,
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: path() }) }],
  });
  return { rps: r.requests.average, p99: r.latency.p99, errors: r.errors, non2xx: r.non2xx };
}

async function measure(name: string, mode: 'bare' | 'ringback', dir: string, path: () => string): Promise<Result> {
  const server = await startServer('bench/server.ts', [mode, dir]);
  try {
    await load(server.port, path); // warm-up, discarded
    return await load(server.port, path);
  } finally {
    await server.stop();
  }
}

const root = await mkdtemp(join(tmpdir(), 'ringback-bench-'));
try {
  const screenDir = join(root, 'screen');
  process.stdout.write('seeding 100,000 calls (2,000 open)…\n');
  await seed(screenDir, 100_000, 2_000);
  const ingestDir = join(root, 'ingest');
  await seed(ingestDir, 0, 0);

  const bare: Result[] = [], ingest: Result[] = [], screen: Result[] = [];
  let caller = 0;
  const eventPath = () => `/phone/yealink/event?t=${BENCH_TOKEN}&e=missed&local=11&remote=sip:+4930${String(5_000_000 + caller++)}@pbx&name=&cid=${caller}`;
  for (let round = 0; round < ROUNDS; round++) {
    bare.push(await measure('bare', 'bare', '', () => '/bare'));
    ingest.push(await measure('ingest', 'ringback', ingestDir, eventPath));
    screen.push(await measure('screen', 'ringback', screenDir, () => `/phone/yealink/missed?t=${BENCH_TOKEN}`));
  }
  const b = median(bare.map((r) => r.rps));
  // Each round measures the bare route and both scenarios back to back: the ratio is taken per round
  // (the machine's speed drifts between rounds), then the median of the rounds' ratios is reported.
  const row = (name: string, rs: Result[], target: number) => {
    const rps = median(rs.map((r) => r.rps));
    const ratio = median(rs.map((r, i) => r.rps / (bare[i]?.rps ?? Number.NaN)));
    const bad = rs.reduce((n, r) => n + r.errors + r.non2xx, 0);
    return `${name.padEnd(8)} ${rps.toFixed(0).padStart(7)} req/s  ratio ${ratio.toFixed(2)} (target ≥ ${target})  p99 ${median(rs.map((r) => r.p99))} ms  errors/non-2xx ${bad}  ${ratio >= target && bad === 0 ? 'OK' : 'BELOW TARGET'}`;
  };
  process.stdout.write(`\n${CONNECTIONS} connections, ${SECONDS} s per run, median of ${ROUNDS} rounds (ratios: median of per-round ratios)\n`);
  process.stdout.write(`bare     ${b.toFixed(0).padStart(7)} req/s  (Express route answering an empty 200)  p99 ${median(bare.map((r) => r.p99))} ms\n`);
  process.stdout.write(`${row('ingest', ingest, 0.6)}\n${row('screen', screen, 0.5)}\n`);
} finally {
  await rm(root, { recursive: true, force: true });
}
