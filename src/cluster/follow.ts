/** @module Hearing the commits of other instances on the same database (the PostgreSQL engine's change feed). */
import type { Change } from '../store/types.ts';

/** A store that tells what other instances committed (PgStore). */
interface FollowsOthers {
  onExternalChanges(listener: (changes: readonly Change[]) => void): () => void;
}

function followsOthers(store: object): store is FollowsOthers {
  return typeof (store as Partial<FollowsOthers>).onExternalChanges === 'function';
}

/**
 * Hands every commit of another instance, once this instance's store holds it, to `listener`
 * (the live feed, so dashboards update at once). A store with no other instance (embedded)
 * never calls it. Returns the function that stops.
 */
export function followOtherInstances(store: object, listener: (changes: readonly Change[]) => void): () => void {
  return followsOthers(store) ? store.onExternalChanges(listener) : () => undefined;
}

/** A store that can read what other instances committed, on demand (PgStore). */
interface CatchesUp {
  catchUp(): Promise<void>;
}

/**
 * Before answering "unknown" for something another instance may have committed a moment ago (a
 * phone's token, a team or phone of the inventory), this instance reads what it has not heard yet.
 * The store shares one read among the misses that come together, so a flood of bad tokens stays
 * cheap. With one instance (embedded) there is nothing to read: it resolves at once.
 */
export function catchUpWithOthers(store: object): Promise<void> {
  const s = store as Partial<CatchesUp>;
  return typeof s.catchUp === 'function' ? s.catchUp() : Promise.resolve();
}

/** A store that keeps a log of commits for other instances, to be pruned (PgStore). */
interface KeepsChangeLog {
  pruneChangeLog(): Promise<number>;
}

/**
 * The job that prunes the log other instances follow, or null when the store keeps none (embedded).
 * Run by one instance (the jobs lease holder): it deletes what every live instance has long read.
 */
export function changeLogPruning(store: object): (() => Promise<{ pruned: number }>) | null {
  const s = store as Partial<KeepsChangeLog>;
  if (typeof s.pruneChangeLog !== 'function') return null;
  const prune = s.pruneChangeLog.bind(store);
  return async () => ({ pruned: await prune() });
}

/** `look()`, and when it finds nothing, `look()` again once this instance caught up with the others. */
export async function lookUpWithOthers<T>(store: object, look: () => T | undefined): Promise<T | undefined> {
  const here = look();
  if (here !== undefined) return here;
  await catchUpWithOthers(store);
  return look();
}
