/**
 * @module A bounded cache of directory answers, keyed by caller number key: found names live for
 * `ttlMs`, "not in the directory" (negative answers) for `negativeTtlMs`, so a caller who is not
 * in the directory costs one lookup per negative TTL, not one per phone-screen refresh. The least
 * recently used entry goes first when `maxEntries` is reached. Time is passed in (`now`).
 */

export interface CacheOptions {
  ttlMs: number;
  negativeTtlMs: number;
  maxEntries: number;
}

/** `undefined` = not cached (ask the directory); `null` = cached "not found". */
export type Cached<T> = T | null | undefined;

export interface NameCache<T> {
  get(key: string, nowMs: number): Cached<T>;
  set(key: string, value: T | null, nowMs: number): void;
  size(): number;
}

export function createNameCache<T>(opts: CacheOptions): NameCache<T> {
  const entries = new Map<string, { value: T | null; expiresMs: number }>();
  return {
    get(key, nowMs) {
      const hit = entries.get(key);
      if (hit === undefined) return undefined;
      entries.delete(key);
      if (hit.expiresMs <= nowMs) return undefined;
      entries.set(key, hit); // most recently used goes last
      return hit.value;
    },
    set(key, value, nowMs) {
      entries.delete(key);
      while (entries.size >= Math.max(1, opts.maxEntries)) entries.delete(entries.keys().next().value as string);
      entries.set(key, { value, expiresMs: nowMs + (value === null ? opts.negativeTtlMs : opts.ttlMs) });
    },
    size: () => entries.size,
  };
}
