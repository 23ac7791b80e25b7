/** @module Doing a read-decide-commit again when another instance changed the same record first. */
import { isCommitConflict } from '../store/conflict.ts';

/** Runs of one operation when other instances keep changing its records first (then: the 503 of the conflict). */
export const CONFLICT_TRIES = 8;

/**
 * Runs `op` (it reads the store, decides, commits) and, when its commit is refused because another
 * instance committed about the same record after what `op` read (CommitConflictError), runs it
 * again: the store has taken in that commit by then, so the second run decides on the fresh state
 * (a claim of an entry someone else just claimed is then refused as such, a 409, not a 503; an
 * edit of a phone keeps the other instance's edit). With one instance it runs once.
 */
export async function retryOnConflict<T>(op: () => Promise<T>, tries = CONFLICT_TRIES): Promise<T> {
  for (let run = 1; ; run++) {
    try {
      return await op();
    } catch (err) {
      if (!isCommitConflict(err) || run >= tries) throw err;
    }
  }
}
