/** @module Cold day files read on demand for history, a few parsed days kept (bounded by records, not days). */
import type { CallAttempt, MissedCall } from '../../domain/types.ts';
import { type PartitionData, partitionFile } from './files.ts';

/** A day's records as history reads want them: newest first (by firstRingAt / firstAt, then id). */
export interface DayView {
  attempts: readonly CallAttempt[];
  missed: readonly MissedCall[];
}

interface Entry {
  generation: number;
  view: DayView;
  records: number;
}

/**
 * Parsed records kept across reads (a few small days, so paging through one is not a parse per
 * page). A day larger than that is not kept: memory would then be a busy day's worth (~100 MB at
 * 30,000 calls a day) after every history read, where it should be the hot set.
 */
export const DEFAULT_COLD_CACHE_RECORDS = 5_000;

export class ColdDays {
  readonly #dir: string;
  readonly #maxRecords: number;
  /** Map order is use order: the first entry is the least recently used. */
  readonly #cache = new Map<string, Entry>();
  readonly #reading = new Map<string, { generation: number; done: Promise<DayView> }>();
  /**
   * Days too large to keep, held weakly: while a reader still iterates one (an export on that day
   * asking for its attempts a page at a time), it is found again instead of parsed again; once
   * nobody holds it, the collector takes it.
   */
  readonly #weak = new Map<string, { generation: number; ref: WeakRef<DayView> }>();
  #records = 0;
  /** Day files parsed (tests and health output: what history cost). */
  reads = 0;

  constructor(dir: string, maxRecords = DEFAULT_COLD_CACHE_RECORDS) {
    this.#dir = dir;
    this.#maxRecords = Math.max(0, maxRecords);
  }

  get cachedDays(): number {
    return this.#cache.size;
  }

  get cachedRecords(): number {
    return this.#records;
  }

  /** The file's records as of `generation` (the caller checks the generation did not move meanwhile). */
  read(day: string, generation: number): Promise<DayView> {
    const hit = this.#cache.get(day);
    if (hit !== undefined && hit.generation === generation) {
      this.#cache.delete(day);
      this.#cache.set(day, hit);
      return Promise.resolve(hit.view);
    }
    const weak = this.#weak.get(day);
    const alive = weak?.generation === generation ? weak.ref.deref() : undefined;
    if (alive !== undefined) return Promise.resolve(alive);
    const inFlight = this.#reading.get(day);
    if (inFlight !== undefined && inFlight.generation === generation) return inFlight.done;
    const done = this.#load(day, generation).finally(() => {
      if (this.#reading.get(day)?.done === done) this.#reading.delete(day);
    });
    this.#reading.set(day, { generation, done });
    return done;
  }

  /** A day file was replaced or deleted. */
  forget(day: string): void {
    const e = this.#cache.get(day);
    this.#weak.delete(day);
    if (e === undefined) return;
    this.#cache.delete(day);
    this.#records -= e.records;
  }

  async #load(day: string, generation: number): Promise<DayView> {
    const data = await partitionFile(this.#dir, day).read() ?? { attempts: [], missed: [] };
    this.reads += 1;
    const view = sortView(data);
    this.forget(day);
    const records = data.attempts.length + data.missed.length;
    if (records > this.#maxRecords) {
      this.#weak.set(day, { generation, ref: new WeakRef(view) });
      return view;
    }
    this.#cache.set(day, { generation, view, records });
    this.#records += records;
    for (const [d, e] of this.#cache) {
      if (this.#records <= this.#maxRecords) break;
      this.#cache.delete(d);
      this.#records -= e.records;
    }
    return view;
  }
}

export function sortView(data: PartitionData): DayView {
  return {
    attempts: [...data.attempts].sort((a, b) => newestFirst(a.firstRingAt, a.id, b.firstRingAt, b.id)),
    missed: [...data.missed].sort((a, b) => newestFirst(a.firstAt, a.id, b.firstAt, b.id)),
  };
}

export function newestFirst(at1: string, id1: string, at2: string, id2: string): number {
  if (at1 !== at2) return at1 > at2 ? -1 : 1;
  return id1 === id2 ? 0 : id1 > id2 ? -1 : 1;
}
