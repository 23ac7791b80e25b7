/** @module A bounded, expiring set of keys already seen: the webhook's replay guard. */

export interface ReplayCache {
  /**
   * Remember `key` until `expiresAt` (ms). Returns false when the key is already remembered and
   * not expired at `now` — a replay.
   */
  claim(key: string, expiresAt: number, now: number): boolean;
  readonly size: number;
}

export interface ReplayCacheOptions {
  /** Entries kept at most; beyond this the oldest is forgotten (default 10 000). */
  maxEntries?: number;
}

/**
 * In memory, per process. Keys arrive roughly in expiry order (their timestamps are within minutes
 * of now), so expired ones are dropped from the front as new ones come. When full of live entries
 * the oldest is evicted: only a sender holding the secret can fill it, and a replay of an evicted
 * delivery still only repeats a call the store dedupes by `pbxCallId`.
 */
export function createReplayCache(options: ReplayCacheOptions = {}): ReplayCache {
  const maxEntries = Math.max(1, options.maxEntries ?? 10_000);
  const entries = new Map<string, number>();

  return {
    claim(key, expiresAt, now) {
      for (const [k, exp] of entries) {
        if (exp > now) break;
        entries.delete(k);
      }
      const known = entries.get(key);
      if (known !== undefined && known > now) return false;
      entries.delete(key);
      while (entries.size >= maxEntries) {
        const oldest = entries.keys().next();
        if (oldest.done === true) break;
        entries.delete(oldest.value);
      }
      entries.set(key, expiresAt);
      return true;
    },
    get size() {
      return entries.size;
    },
  };
}
