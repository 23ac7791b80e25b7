/**
 * @module How far the V8 heap may grow past what is live before it is collected again, so the
 * server's memory follows what it holds (the hot set) instead of staying at its last peak.
 *
 * By default V8 lets the old generation grow up to about four times what the last full collection
 * left live when collections are cheap next to the allocation rate. A server that streams a month
 * of history or merges a report allocates fast and briefly: under bench:scale's mixed load at
 * 1,000,000 calls that left the PostgreSQL instance at 600–900 MB RSS for a live heap of about
 * 150 MB, and it stayed there. At 25 % it stayed under 350 MB for the same load; the cost is more
 * frequent (mostly concurrent) full collections. README "At scale" has the figures.
 */
import v8 from 'node:v8';

export const HEAP_GROWING_PERCENT = 25;

/**
 * V8 flags the server must be started with, on node's command line (every shipped start command:
 * `npm start`, deploy/ringback.service, ringback@.service, deploy/Containerfile; bench:scale's
 * production start), because V8 sizes the young generation when the process starts and ignores a
 * later `setFlagsFromString`. `--max-semi-space-size=4`: the young generation at most 2 × 4 MB
 * instead of node 20's 2 × 16 MB. A server's young objects are a request's, dead within
 * milliseconds; under bench:scale's load the 32 MB young generation held 2–13 MB and stayed resident
 * whole. At 1,000,000 calls it cut RSS after start from 201–236 MB to 182 MB with the list screen
 * and ingest ratios unchanged or better (README "At scale").
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4'];

/**
 * glibc malloc settings every shipped start puts in the server's environment (read once, when the
 * process starts; an operator's own value wins). Two arenas instead of eight per core, and a fixed
 * mmap threshold of 128 kB: by default glibc raises it after a large block is freed, so later large
 * buffers come from the arenas and their pages stay. Under bench:scale's ingest and mix at
 * 1,000,000 calls, malloc then held 22 MB instead of 43–78 MB (RSS after the mix 284 MB against
 * 352–371 MB; README "At scale"). Not lower than 128 kB: node reads sockets in 64 kB buffers.
 */
export const SERVER_MALLOC_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' };

/**
 * Sets V8's heap growing factor to 1 + HEAP_GROWING_PERCENT / 100, unless the operator started
 * node with their own `--heap-growing-percent` (their choice wins). V8 reads the flag at every
 * full collection, so setting it at start-up takes effect. Returns whether it was set.
 */
export function boundHeapGrowth(execArgv: readonly string[] = process.execArgv): boolean {
  if (execArgv.some((a) => /^--heap[-_]growing[-_]percent\b/.test(a))) return false;
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return true;
}
