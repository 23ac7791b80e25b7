/** @module The error a commit rejects with when another instance changed the same call first. */
import { StoreUnavailableError } from './unavailable.ts';

/**
 * The changes were built on a view that missed a commit of another instance touching the same
 * call (same destination and caller, or the same record): nothing of them was kept. The store has
 * already taken in that commit, so building the changes again from `latest()` and committing them
 * is correct (the call log does, a few times). A StoreUnavailableError: unretried, it is a 503.
 */
export class CommitConflictError extends StoreUnavailableError {
  constructor(message: string) {
    super(message, 1);
  }
}

export function isCommitConflict(err: unknown): err is CommitConflictError {
  return err instanceof CommitConflictError;
}
