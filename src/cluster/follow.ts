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
