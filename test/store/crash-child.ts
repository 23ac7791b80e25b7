/**
 * Child process of the crash test: commits changes from many concurrent workers and prints each id
 * to stdout once its commit resolved (= acknowledged). The parent SIGKILLs it at some point.
 * Usage: node --import tsx test/store/crash-child.ts <dir> <total> <workers>
 */
import { openStore } from '../../src/store/embedded/open-store.ts';
import { attempt, missed } from './fixtures.ts';

const [dir = '', totalArg = '2000', workersArg = '64'] = process.argv.slice(2);
const total = Number(totalArg);
const workers = Number(workersArg);
// Small snapshot interval, so the kill also lands during snapshots and journal cuts.
const store = await openStore({ dir, snapshotEvery: 150 });

let next = 0;
async function worker(): Promise<void> {
  while (next < total) {
    const i = next++;
    const id = `c${i}`;
    // Spread over three days so several partitions are dirty at once.
    const at = new Date(Date.UTC(2026, 2, 1 + (i % 3), 8, 0, 0, i)).toISOString();
    await store.commit(i % 2 === 0 ? [{ t: 'attempt', v: attempt(id, at) }] : [{ t: 'missed', v: missed(id, at) }]);
    process.stdout.write(id + '\n'); // stdout to a pipe is synchronous on Linux: printed = acknowledged
  }
}
await Promise.all(Array.from({ length: workers }, () => worker()));
process.stdout.write('done\n');
// Stay alive (no close): the parent kills us, so nothing after the last ack may help durability.
setInterval(() => undefined, 1000);
