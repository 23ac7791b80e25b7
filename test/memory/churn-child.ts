/**
 * Child of heap-growth.test.ts: the server's heap policy (unless argv[2] is `default`), then a
 * long-lived set and a stream of records that live long enough to reach the old generation and
 * then die — what an export or a report does. Prints whether the policy was set and the largest
 * heap V8 committed.
 */
import { boundHeapGrowth } from '../../src/heap.ts';

const set = process.argv[2] === 'default' ? false : boundHeapGrowth();
const live: unknown[] = [];
for (let i = 0; i < 300_000; i++) live.push({ id: `live-${i}`, at: new Date(i).toISOString(), n: i });
// Larger than the young generation: each record survives two scavenges, is promoted, then dropped.
const ring: unknown[] = new Array(200_000);
let peak = 0;
for (let i = 0; i < 6_000_000; i++) {
  ring[i % ring.length] = { id: `g-${i}`, at: String(i), list: [i, i + 1] };
  if (i % 100_000 === 0) peak = Math.max(peak, process.memoryUsage().heapTotal);
}
process.stdout.write(`${JSON.stringify({ set, peakMb: Math.round(peak / 1e6), live: live.length })}\n`);
