/** @module What every engine's Store offers beyond the contract: counters, background work, availability. */
import type { Store } from './types.ts';
import type { StoreUnavailableError } from './unavailable.ts';

/** Counters that show what the disk actually did (tests, health endpoints). */
export interface StoreStats {
  /** commit() calls that were accepted */
  commits: number;
  /** change lines appended to the journal */
  changes: number;
  /** journal write+fdatasync rounds: under load far fewer than commits (group commit) */
  journalBatches: number;
  snapshots: number;
  /** lowdb files rewritten by snapshots */
  filesWritten: number;
  /** journal records replayed at open */
  replayed: number;
}

/** The Store plus what the durable implementations have. */
export interface DurableStore extends Store {
  readonly stats: Readonly<StoreStats>;
  /** Resolves when background disk work (snapshots, retention deletes) queued so far is done. */
  idle(): Promise<void>;
  /** Set while changes cannot be made durable (full or failing disk): why, for /readyz. */
  unavailable(): StoreUnavailableError | null;
}
