/** @module What the conformance suite's checks share: the engine under test, a scope that cleans up, async helpers. */
import type { DayDerivation, Store } from '../../src/store/types.ts';

/** Options the suite opens an engine with: only what the contract itself defines. */
export interface EngineOptions {
  derivations?: readonly DayDerivation[];
}

/**
 * One engine, as the suite sees it. `location` is whatever names the engine's data (a directory, a
 * database): opening the same location again is a restart on the same data.
 */
export interface StoreEngine {
  /** A new, empty place for data; `drop()` removes it. */
  create(): Promise<{ location: string; drop(): Promise<void> }>;
  open(location: string, opts?: EngineOptions): Promise<Store>;
  /**
   * Engine-specific, optional: a copy of the data as a crash at this instant (store still open) would
   * leave it; `drop()` removes the copy. Without it, the torn-tail check starts from a clean close.
   */
  crashImage?(location: string): Promise<{ location: string; drop(): Promise<void> }>;
  /** Engine-specific, optional: bytes a crash mid-write leaves at the end of the write-ahead log (never acknowledged). */
  corruptTail?(location: string): Promise<void>;
}

export interface Scope {
  location: string;
  open(opts?: EngineOptions, location?: string): Promise<Store>;
  /** Closes `store` and opens the same location again (a restart). */
  reopen(store: Store, opts?: EngineOptions): Promise<Store>;
}

/** Runs `fn` on a fresh location; every store it opened is closed and the location dropped afterwards. */
export async function inScope(engine: StoreEngine, fn: (s: Scope) => Promise<void>): Promise<void> {
  const { location, drop } = await engine.create();
  const opened: Store[] = [];
  const open = async (opts: EngineOptions = {}, at = location): Promise<Store> => {
    const s = await engine.open(at, opts);
    opened.push(s);
    return s;
  };
  try {
    await fn({
      location, open,
      async reopen(store, opts = {}) {
        await store.close();
        return open(opts);
      },
    });
  } finally {
    for (const s of opened) await s.close().catch(() => undefined);
    await drop();
  }
}

export async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of items) out.push(x);
  return out;
}

/** The first `n` items; stops the iteration there (engines read lazily). */
export async function take<T>(items: AsyncIterable<T>, n: number): Promise<T[]> {
  const out: T[] = [];
  if (n <= 0) return out;
  for await (const x of items) {
    out.push(x);
    if (out.length >= n) break;
  }
  return out;
}

export const ids = (xs: readonly { id: string }[]): string[] => xs.map((x) => x.id);
