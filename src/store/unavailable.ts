/** @module The one error a commit rejects with when the disk cannot take it (full, read-only, failing). */

/**
 * The changes were not made durable and were never shown; nothing of them is kept. Temporary: the
 * journal retries by itself and takes commits again once the disk does (HTTP: 503 + Retry-After).
 */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
  /** A fair time for a client to wait before trying again. */
  readonly retryAfterSeconds: number;

  constructor(message: string, retryAfterSeconds: number, options?: { cause?: unknown }) {
    super(message, options);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export function isStoreUnavailable(err: unknown): err is StoreUnavailableError {
  return err instanceof StoreUnavailableError;
}
