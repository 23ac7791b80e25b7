/**
 * Provisioning benchmark: a boot storm of 1,000 phones (all six vendors) fetching their files in
 * their vendors' order over 50 connections, each request with HTTP Basic credentials and the
 * phone's own User-Agent, against the same bytes served by express.static in the same run
 * (absolute numbers drift with the machine; ratios don't). Target ≥ 0.5.
 *
 *   npm run bench:provision          (BENCH_PHONES, BENCH_STORMS, BENCH_ROUNDS to change the size)
 */
import autocannon from 'autocannon';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONNECTIONS, median, startServer } from './harness.ts';
import { BENCH_PROVISION_PASSWORD, BENCH_PROVISION_USER, seedProvisioning, type Fetch } from './provision-seed.ts';

const PHONES = Number(process.env['BENCH_PHONES'] ?? 1000);
/** Boot storms per measured run: one storm is only a few thousand requests. */
const STORMS = Number(process.env['BENCH_STORMS'] ?? 5);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 2);
const AUTH = `Basic ${Buffer.from(`${BENCH_PROVISION_USER}:${BENCH_PROVISION_PASSWORD}`).toString('base64')}`;

interface Result { rps: number; p99: number; errors: number; non2xx: number; seconds: number }

/** Every phone's files once per storm, in order; the 50 connections share the queue like phones booting together. */
async function storm(port: number, fetches: Fetch[], storms: number): Promise<Result> {
  let next = 0;
  const start = process.hrtime.bigint();
  const r = await autocannon({
    url: `http://127.0.0.1:${port}`, connections: CONNECTIONS, amount: fetches.length * storms,
    requests: [{
      method: 'GET',
      setupRequest: (req) => {
        const f = fetches[next++ % fetches.length] as Fetch;
        return { ...req, path: f.path, headers: { ...req.headers, authorization: AUTH, 'user-agent': f.userAgent } };
      },
    }],
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { rps: r.requests.sent / seconds, p99: r.latency.p99, errors: r.errors, non2xx: r.non2xx, seconds };
}

async function measure(mode: 'static' | 'ringback', dir: string, fetches: Fetch[]): Promise<Result> {
  const server = await startServer('bench/provision-server.ts', [mode, dir]);
  try {
    await storm(server.port, fetches, 1); // warm-up, discarded
    return await storm(server.port, fetches, STORMS);
  } finally {
    await server.stop();
  }
}

const root = await mkdtemp(join(tmpdir(), 'ringback-bench-provision-'));
try {
  const dataDir = join(root, 'data');
  const staticDir = join(root, 'static');
  process.stdout.write(`seeding ${PHONES} phones and rendering their files…\n`);
  const fetches = await seedProvisioning(dataDir, staticDir, PHONES);
  const plain: Result[] = [];
  const ringback: Result[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    plain.push(await measure('static', staticDir, fetches));
    ringback.push(await measure('ringback', dataDir, fetches));
  }
  const s = median(plain.map((r) => r.rps));
  const rb = median(ringback.map((r) => r.rps));
  const ratio = rb / s;
  const bad = ringback.reduce((n, r) => n + r.errors + r.non2xx, 0) + plain.reduce((n, r) => n + r.errors + r.non2xx, 0);
  process.stdout.write(`\n${PHONES} phones, ${fetches.length} files per boot storm, ${STORMS} storms per run, ${CONNECTIONS} connections, median of ${ROUNDS} rounds\n`);
  process.stdout.write(`static   ${s.toFixed(0).padStart(7)} req/s  (express.static, same bytes, no auth)  p99 ${median(plain.map((r) => r.p99))} ms\n`);
  process.stdout.write(`provision ${rb.toFixed(0).padStart(6)} req/s  ratio ${ratio.toFixed(2)} (target ≥ 0.5)  p99 ${median(ringback.map((r) => r.p99))} ms  errors/non-2xx ${bad}  ${ratio >= 0.5 && bad === 0 ? 'OK' : 'BELOW TARGET'}\n`);
  process.stdout.write(`one boot storm (${PHONES} phones) takes ${(fetches.length / rb).toFixed(2)} s here\n`);
} finally {
  await rm(root, { recursive: true, force: true });
}
