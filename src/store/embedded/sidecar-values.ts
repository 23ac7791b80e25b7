/** @module The values kept next to a day file: its index and the registered derivations, computed from the day's records. */
import type { DayDerivation, StoreReads } from '../types.ts';
import type { PartitionData } from './files.ts';
import { buildIndex, INDEX_SIDECAR, INDEX_VERSION } from './day-index.ts';
import { type Sidecar, writeSidecar } from './sidecars.ts';

/**
 * Writes every sidecar of a day just written (its stamp taken after the rename). A derivation that
 * throws is logged and skipped: its value is then computed when read, never stale.
 */
export async function writeDaySidecars(dir: string, day: string, data: PartitionData, stamp: string,
  derivations: readonly DayDerivation[], config: StoreReads, log: (msg: string, fields?: object) => void): Promise<void> {
  const index: Sidecar<unknown> = { stamp, version: INDEX_VERSION, value: buildIndex(data) };
  await writeSidecar(dir, day, INDEX_SIDECAR, index);
  for (const d of derivations) {
    let value: unknown;
    try {
      value = d.derive(day, data.attempts, data.missed, config);
    } catch (err) {
      log('store: a day derivation failed; it is computed when read instead', { day, name: d.name, error: String(err) });
      continue;
    }
    // Yield between derivations: each is a pass over a whole day.
    await new Promise<void>((resolve) => setImmediate(resolve));
    await writeSidecar(dir, day, d.name, { stamp, version: d.version, value });
  }
}
