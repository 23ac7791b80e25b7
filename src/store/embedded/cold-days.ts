/**
 * @module Cold day files read on demand for history. A format-2 file (day-file.ts) is read a block
 * or a record at a time, its trailer kept per file version; a format-1 file (`{attempts, missed}`,
 * written by earlier versions) is parsed whole, a few small ones kept, and is rewritten in format 2
 * at the next snapshot (see `legacyRead`).
 */
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { CallAttempt, MissedCall } from '../../domain/types.ts';
import { compareKeys, type Key, type Kind, keyOf, type RecordOf, sortedRecords, type Trailer } from './day-file.ts';
import { DayFileReader, isFormat2, readTrailer } from './day-file-reader.ts';
import { isNotFound } from './durable-file.ts';
import { CALLS_DIR, dayFileName, type PartitionData, partitionFile } from './files.ts';

/** A day's records as history reads want them: newest first (by firstRingAt / firstAt, then id). */
export interface DayView {
  attempts: readonly CallAttempt[];
  missed: readonly MissedCall[];
}

/** One day file opened for reads: they all see the file as it was when opened. */
export interface OpenDay {
  scan<K extends Kind>(kind: K, bound?: Key): AsyncIterable<RecordOf<K>>;
  byIds<K extends Kind>(kind: K, ids: readonly string[]): Promise<Map<string, RecordOf<K>>>;
  close(): Promise<void>;
  /** Set when the records are in memory anyway (a format-1 file parsed whole). */
  view?: DayView;
}

interface Entry {
  generation: number;
  view: DayView;
  records: number;
}

/**
 * Parsed records of format-1 files kept across reads (a few small days, so paging through one is
 * not a parse per page). A larger day is only held weakly.
 */
export const DEFAULT_COLD_CACHE_RECORDS = 5_000;
/** Trailers kept (a few tens of kB each): one per day of a year's history costs a few MB. */
const TRAILERS = 400;
/** Id tables kept (8 bytes a record): an export asks one day for its attempts batch after batch. */
const ID_TABLES = 4;

export class ColdDays {
  readonly #dir: string;
  readonly #maxRecords: number;
  /** Map order is use order: the first entry is the least recently used. */
  readonly #cache = new Map<string, Entry>();
  readonly #reading = new Map<string, { generation: number; done: Promise<DayView> }>();
  readonly #weak = new Map<string, { generation: number; ref: WeakRef<DayView> }>();
  /** Per day, the trailer of one file version (inode, size, mtime), or null for a format-1 file. */
  readonly #trailers = new Map<string, { version: string; trailer: Trailer | null }>();
  readonly #ids = new Map<string, { version: string; pairs: BigUint64Array }>();
  #records = 0;
  /** Day files parsed whole (tests and health output: what history cost). */
  reads = 0;
  /** Records parsed from cold day files, by any read. */
  recordsParsed = 0;
  /** Told of each format-1 day parsed: the store rewrites it in format 2 at its next snapshot. */
  legacyRead: (day: string) => void = () => undefined;

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

  /** Opens the day's file (the caller checks that its generation did not move meanwhile). */
  async open(day: string, generation: number): Promise<OpenDay> {
    const file = join(this.#dir, CALLS_DIR, dayFileName(day));
    let fh;
    try {
      fh = await open(file, 'r');
    } catch (err) {
      if (isNotFound(err)) return viewDay({ attempts: [], missed: [] });
      throw err;
    }
    try {
      const st = await fh.stat({ bigint: true });
      const version = `${st.ino}:${st.size}:${st.mtimeNs}`;
      let known = this.#trailers.get(day);
      if (known?.version !== version) {
        known = { version, trailer: await isFormat2(fh) ? await readTrailer(fh, Number(st.size), file) : null };
        this.#trailers.set(day, known);
        for (const d of this.#trailers.keys()) if (this.#trailers.size > TRAILERS) this.#trailers.delete(d);
      }
      if (known.trailer === null) {
        await fh.close();
        return viewDay(await this.#legacy(day, generation));
      }
      const reader = new DayFileReader(fh, file, known.trailer, (n) => { this.recordsParsed += n; });
      const pairsOf = (kind: Kind) => this.#pairs(day, version, kind, reader);
      return {
        scan: (kind, bound) => reader.scan(kind, bound),
        byIds: async (kind, ids) => reader.byIds(kind, ids, await pairsOf(kind)),
        close: () => fh.close(),
      };
    } catch (err) {
      await fh.close().catch(() => undefined);
      throw err;
    }
  }

  /** The whole day, newest first (derivations, snapshot merges): a parse of every record. */
  async read(day: string, generation: number): Promise<DayView> {
    const known = this.#trailers.get(day);
    if (known !== undefined && known.trailer === null) return this.#legacy(day, generation);
    const d = await this.open(day, generation);
    if (d.view !== undefined) return d.view;
    try {
      const view: { attempts: CallAttempt[]; missed: MissedCall[] } = { attempts: [], missed: [] };
      for await (const a of d.scan('attempts')) view.attempts.push(a);
      for await (const m of d.scan('missed')) view.missed.push(m);
      this.reads += 1;
      return view;
    } finally {
      await d.close();
    }
  }

  /** A day file was replaced or deleted. */
  forget(day: string): void {
    const e = this.#cache.get(day);
    this.#weak.delete(day);
    this.#trailers.delete(day);
    for (const kind of ['attempts', 'missed']) this.#ids.delete(`${day}/${kind}`);
    if (e === undefined) return;
    this.#cache.delete(day);
    this.#records -= e.records;
  }

  async #pairs(day: string, version: string, kind: Kind, reader: DayFileReader): Promise<BigUint64Array> {
    const key = `${day}/${kind}`;
    const hit = this.#ids.get(key);
    if (hit?.version === version) {
      this.#ids.delete(key);
      this.#ids.set(key, hit);
      return hit.pairs;
    }
    const pairs = await reader.idPairs(kind);
    this.#ids.set(key, { version, pairs });
    for (const k of this.#ids.keys()) if (this.#ids.size > ID_TABLES) this.#ids.delete(k);
    return pairs;
  }

  #legacy(day: string, generation: number): Promise<DayView> {
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

  async #load(day: string, generation: number): Promise<DayView> {
    const data = await partitionFile(this.#dir, day).read() ?? { attempts: [], missed: [] };
    this.reads += 1;
    const records = data.attempts.length + data.missed.length;
    this.recordsParsed += records;
    this.legacyRead(day);
    const view = sortView(data);
    const e = this.#cache.get(day);
    if (e !== undefined) {
      this.#cache.delete(day);
      this.#records -= e.records;
    }
    if (records > this.#maxRecords) {
      this.#weak.set(day, { generation, ref: new WeakRef(view) });
      return view;
    }
    this.#cache.set(day, { generation, view, records });
    this.#records += records;
    for (const [d, x] of this.#cache) {
      if (this.#records <= this.#maxRecords) break;
      this.#cache.delete(d);
      this.#records -= x.records;
    }
    return view;
  }
}

/** Reads over records in memory, already in history order (a format-1 file's view, or none). */
export function viewDay(view: DayView): OpenDay {
  return {
    async *scan<K extends Kind>(kind: K, bound?: Key): AsyncGenerator<RecordOf<K>> {
      const records = view[kind] as readonly RecordOf<K>[];
      for (let i = firstAfter(kind, records, bound); i < records.length; i++) yield records[i] as RecordOf<K>;
    },
    byIds<K extends Kind>(kind: K, ids: readonly string[]): Promise<Map<string, RecordOf<K>>> {
      const records = view[kind] as readonly RecordOf<K>[];
      let index = byId.get(records) as Map<string, RecordOf<K>> | undefined;
      if (index === undefined) byId.set(records, (index = new Map(records.map((r) => [r.id, r]))));
      const out = new Map<string, RecordOf<K>>();
      for (const id of ids) {
        const r = index.get(id);
        if (r !== undefined) out.set(id, r);
      }
      return Promise.resolve(out);
    },
    close: () => Promise.resolve(),
    view,
  };
}

/** A view's records by id, built on first use and kept as long as the view. */
const byId = new WeakMap<readonly (CallAttempt | MissedCall)[], Map<string, CallAttempt | MissedCall>>();

/** Index of the first record after `bound` in history order (binary search). */
export function firstAfter(kind: Kind, records: readonly (CallAttempt | MissedCall)[], bound: Key | undefined): number {
  if (bound === undefined) return 0;
  let a = 0;
  let b = records.length;
  while (a < b) {
    const mid = (a + b) >>> 1;
    if (compareKeys(keyOf(kind, records[mid] as CallAttempt | MissedCall), bound) <= 0) a = mid + 1;
    else b = mid;
  }
  return a;
}

export function sortView(data: PartitionData): DayView {
  return { attempts: sortedRecords('attempts', data.attempts), missed: sortedRecords('missed', data.missed) };
}

export function newestFirst(at1: string, id1: string, at2: string, id2: string): number {
  return compareKeys({ at: at1, id: id1 }, { at: at2, id: id2 });
}
