/**
 * The real server the way production runs it (`node --max-semi-space-size=4 dist/main.js`,
 * configured by RINGBACK_* variables) as a child process of the benchmark, and its memory as the
 * kernel counts it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { SERVER_MALLOC_ENV, SERVER_NODE_FLAGS } from '../src/heap.ts';

export const SCALE_ADMIN = 'bench-scale-admin-token-0123456789';
const ROOT = join(import.meta.dirname, '..');

export interface Production {
  pid: number;
  port: number;
  /** Spawn to the first `200` of `/readyz`. */
  readyMs: number;
  stop(): Promise<number | null>;
}

/** `npm run build` when dist/main.js is missing or older than a file under src/. */
export function buildIfNeeded(log: (line: string) => void): void {
  const main = join(ROOT, 'dist', 'main.js');
  const built = existsSync(main) ? statSync(main).mtimeMs : 0;
  if (built > newest(join(ROOT, 'src'))) return;
  log('building (npm run build) …');
  const r = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`npm run build exited ${r.status}`);
}

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** The server's configuration (also what the seed derives its per-day report values with). */
export function productionEnv(dataDir: string): NodeJS.ProcessEnv {
  return {
    ...process.env, RINGBACK_HOST: '127.0.0.1', RINGBACK_DATA_DIR: dataDir, RINGBACK_ADMIN_TOKEN: SCALE_ADMIN,
    RINGBACK_COUNTRY: 'DE', RINGBACK_TIME_ZONE: 'Europe/Berlin', RINGBACK_NTP_SERVERS: '', RINGBACK_LOG_LEVEL: 'warn',
  };
}

export async function startProduction(dataDir: string, extraEnv: Record<string, string> = {}): Promise<Production> {
  const port = await freePort();
  // The allocator settings every shipped start sets (a value in the bench's environment wins, to try another).
  const env: NodeJS.ProcessEnv = { ...SERVER_MALLOC_ENV, ...productionEnv(dataDir), PORT: String(port), ...extraEnv };
  // For finding what the memory is: node's own diagnostics on a signal, no endpoint in the product.
  const diagnose = process.env['RINGBACK_BENCH_DIAGNOSE'];
  if (diagnose !== undefined && diagnose !== '') {
    env['NODE_OPTIONS'] = [`--report-on-signal --report-signal=SIGUSR2 --report-directory=${diagnose} --report-compact`,
      process.env['RINGBACK_BENCH_SNAPSHOT'] === '1' ? `--heapsnapshot-signal=SIGTTIN --diagnostic-dir=${diagnose}` : ''].join(' ');
  }
  const began = performance.now();
  // RINGBACK_BENCH_CPU_PROF=<dir>: the server writes a V8 CPU profile there when it stops (what a figure spent its time on).
  const profile = process.env['RINGBACK_BENCH_CPU_PROF'];
  const flags = profile === undefined || profile === '' ? [] : ['--cpu-prof', `--cpu-prof-dir=${profile}`];
  // The server's own flags, as every shipped start command passes them; then any a run tries
  // (RINGBACK_BENCH_NODE_FLAGS="--max-semi-space-size=16": later flags win).
  const tried = (process.env['RINGBACK_BENCH_NODE_FLAGS'] ?? '').split(' ').filter((f) => f !== '');
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, ...tried, ...flags, join(ROOT, 'dist', 'main.js')], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  let dead = false;
  void exited.then(() => { dead = true; });
  // Polled, not awaited on a log line: readiness is what a load balancer would wait for.
  for (;;) {
    if (dead) throw new Error('the server exited before it was ready');
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status === 200, () => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const readyMs = performance.now() - began;
  return {
    pid: child.pid ?? 0, port, readyMs,
    async stop() {
      if (!dead) child.kill('SIGTERM');
      return exited;
    },
  };
}

export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const a = s.address();
  await new Promise((r) => s.close(r));
  if (a === null || typeof a === 'string') throw new Error('no port');
  return a.port;
}

export interface Memory { rssMb: number; hwmMb: number }

/** VmRSS (resident now) and VmHWM (the most it was resident since start), from /proc. */
export function memoryOf(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
}

/** Samples the child's RSS every `everyMs` until stopped: the highest sample is the phase's peak. */
export function sampleRss(pid: number, everyMs = 50): { stop(): number } {
  let peak = memoryOf(pid).rssMb;
  const timer = setInterval(() => { peak = Math.max(peak, memoryOf(pid).rssMb); }, everyMs);
  return { stop() { clearInterval(timer); return Math.max(peak, memoryOf(pid).rssMb); } };
}

/**
 * With RINGBACK_BENCH_DIAGNOSE=<dir>: node's diagnostic report of the server now (heap spaces,
 * rss, external memory, handles), and with RINGBACK_BENCH_SNAPSHOT=1 a heap snapshot after it; both
 * land in <dir>. Prints a summary line of the report. Nothing happens without the variable.
 */
export async function diagnose(pid: number, label: string, log: (line: string) => void): Promise<void> {
  const dir = process.env['RINGBACK_BENCH_DIAGNOSE'];
  if (dir === undefined || dir === '') return;
  const before = new Set(readdirSync(dir));
  const fresh = () => readdirSync(dir).filter((f) => !before.has(f));
  process.kill(pid, 'SIGUSR2');
  const wait = async (ok: () => boolean) => { for (let i = 0; i < 1200 && !ok(); i++) await new Promise((r) => setTimeout(r, 100)); };
  await wait(() => fresh().some((f) => f.endsWith('.json')));
  await new Promise((r) => setTimeout(r, 300));
  const file = fresh().find((f) => f.endsWith('.json'));
  if (file !== undefined) {
    const r = JSON.parse(readFileSync(join(dir, file), 'utf8')) as {
      javascriptHeap: { totalMemory: number; usedMemory: number; heapSpaces: Record<string, { memorySize: number; used: number }> };
      resourceUsage: { rss?: number; maxRss?: number };
      header: Record<string, unknown>;
    };
    const m = (x: number) => (x / 1048576).toFixed(0);
    const spaces = Object.entries(r.javascriptHeap.heapSpaces).map(([k, v]) => `${k.replace('_space', '')} ${m(v.memorySize)}/${m(v.used)}`).join(', ');
    const h = r.javascriptHeap as typeof r.javascriptHeap & { externalMemory: number; mallocedMemory: number };
    log(`[${label}] rss ${memoryOf(pid).rssMb.toFixed(0)} MB (${residentBy(pid)}); js heap total ${m(h.totalMemory)} used ${m(h.usedMemory)} MB, external ${m(h.externalMemory)} MB, V8 malloced ${m(h.mallocedMemory)} MB; spaces (size/used MB): ${spaces}; report ${join(dir, file)}`);
  }
  // A snapshot leaves its own native memory behind: only the last diagnosis takes one.
  if (process.env['RINGBACK_BENCH_SNAPSHOT'] === '1' && label.includes('mixed')) {
    const had = new Set(readdirSync(dir));
    process.kill(pid, 'SIGTTIN');
    await wait(() => readdirSync(dir).some((f) => !had.has(f) && f.endsWith('.heapsnapshot')));
    // The snapshot is written synchronously by the server's main thread: answering means it is done.
    log(`[${label}] heap snapshot ${readdirSync(dir).filter((f) => !had.has(f)).join(', ')}; rss after it (a full GC) ${memoryOf(pid).rssMb.toFixed(0)} MB`);
  }
}

/** Resident memory by kind of mapping, from /proc/<pid>/smaps: where the RSS that is not JS heap is. */
function residentBy(pid: number): string {
  const kinds = new Map<string, number>();
  let kind = '';
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \d+\s*(.*)$/.exec(line);
    if (head !== null) {
      // glibc's thread arenas are mapped at 64 MB-aligned addresses; V8's pages are not (as a rule).
      const start = BigInt(`0x${head[1] ?? '0'}`);
      const name = head[3] ?? '';
      kind = name === '' ? (start % 0x4000000n === 0n ? 'anon 64MB-aligned (malloc arenas)' : 'anon other') : name.startsWith('/') ? 'files' : name;
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss !== null) kinds.set(kind, (kinds.get(kind) ?? 0) + Number(rss[1]) / 1024);
  }
  return [...kinds].filter(([, v]) => v >= 1).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ');
}
