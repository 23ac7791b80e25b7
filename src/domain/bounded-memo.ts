/**
 * @module A memo of at most `max` entries for hot pure functions (number normalising, layouts).
 *
 * Two generations instead of a Map evicted oldest-first: `map.keys().next()` walks past every
 * deleted slot V8 has not compacted yet, so a full FIFO Map fed a new key per call costs ~8 µs per
 * eviction (profiled: 4 % of the ingest server's time went there). Here the older half is dropped
 * whole when the newer one fills; a hit in the older half moves the entry forward, so what is still
 * asked for stays.
 */
export class BoundedMemo<K, V> {
  readonly #half: number;
  #current = new Map<K, V>();
  #older = new Map<K, V>();

  constructor(max: number) {
    this.#half = Math.max(1, Math.floor(max / 2));
  }

  get(key: K): V | undefined {
    const hit = this.#current.get(key);
    if (hit !== undefined) return hit;
    const old = this.#older.get(key);
    if (old !== undefined) this.set(key, old);
    return old;
  }

  set(key: K, value: V): void {
    if (this.#current.size >= this.#half) {
      this.#older = this.#current;
      this.#current = new Map();
    }
    this.#current.set(key, value);
  }

  /** Entries held (at most `max`; an entry may be counted in both halves once). */
  get size(): number {
    return this.#current.size + this.#older.size;
  }
}
