/** @module The store the configuration names: PostgreSQL when RINGBACK_DATABASE_URL is set, else the embedded one in the data dir. */
import type { Config } from './config.ts';
import { lockDir } from './store/embedded/dir-lock.ts';
import type { DurableStore } from './store/durable-store.ts';
import { openStore } from './store/embedded/open-store.ts';
import { openPostgresStore } from './store/postgres/open.ts';
import type { DayDerivation } from './store/types.ts';

export interface OpenedStore {
  store: DurableStore;
  /** Where the data is, for messages (a database URL without its password, or the directory). */
  where: string;
  /** Releases what only this process may hold (the data dir's lock); after store.close(). */
  release(): Promise<void>;
}

type Log = (msg: string, fields?: object) => void;

/**
 * Opens the configured engine. The embedded one locks the data dir (one process per directory);
 * PostgreSQL needs no lock of ours: the database serialises writers and migrations take an
 * advisory lock.
 */
export async function openConfiguredStore(
  config: Pick<Config, 'databaseUrl'>, dataDir: string, log: Log, derivations: readonly DayDerivation[] = [],
): Promise<OpenedStore> {
  if (config.databaseUrl !== null) {
    const store = await openPostgresStore({ url: config.databaseUrl, log, derivations });
    return { store, where: store.where, release: async () => undefined };
  }
  const lock = await lockDir(dataDir);
  try {
    const store = await openStore({ dir: dataDir, log, derivations });
    return { store, where: dataDir, release: () => lock.release() };
  } catch (e) {
    await lock.release();
    throw e;
  }
}
