/** @module History reads of the embedded engine: every day ever kept, acknowledged state only, one day at a time. */
import type { CallAttempt, MissedCall } from '../../domain/types.ts';
import type { AttemptQuery, Cursor, DayDerivation, HistoryReads, MissedQuery, StoreReads } from '../types.ts';
import type { ColdDays } from './cold-days.ts';
import { compareKeys, type Key } from './day-file.ts';
import { dayRecords, dayRecordsById, dayView, fileIsCurrent } from './day-views.ts';
import { buildIds, buildIndex, type DayIds, decodeIds, INDEX_SIDECAR, INDEX_VERSION, hashId, isStoredIndex, mayHold, mayHoldHash } from './day-index.ts';
import { dayStamp, readSidecar, writeSidecar } from './sidecars.ts';
import type { Partition } from './partitions.ts';
import type { StoreState } from './state.ts';

export interface HistoryDeps {
  dir: string;
  state: StoreState;
  cold: ColdDays;
  derivations: readonly DayDerivation[];
  /** Acknowledged hot reads, handed to derivations as their config. */
  reads: StoreReads;
  /** Runs a disk task in the store's queue (one writer per file). */
  onDisk: (task: () => Promise<void>) => Promise<void>;
}

/** Strictly after the cursor in newest-first order. */
function after(at: string, id: string, c: Cursor | undefined): boolean {
  return c === undefined || at < c.at || (at === c.at && id < c.id);
}

/** Where a read starts in history order: after the cursor, and before `to` (exclusive). */
function boundOf(to: string | undefined, c: Cursor | undefined): Key | undefined {
  // Every record at `to` sorts before ('', the least id) and is excluded with it.
  const toKey = to === undefined ? undefined : { at: to, id: '' };
  const cKey = c === undefined ? undefined : { at: c.at, id: c.id };
  if (toKey === undefined || cKey === undefined) return toKey ?? cKey;
  return compareKeys(toKey, cKey) > 0 ? toKey : cKey;
}

export class EmbeddedHistory implements HistoryReads {
  readonly #d: HistoryDeps;
  /** Hot days' derived values, per day and name, valid while the day's partition version holds. */
  readonly #memo = new Map<string, { p: Partition; version: number; value: unknown }>();
  /** Id hashes of cold days, per file generation. */
  readonly #ids = new Map<string, { generation: number; ids: DayIds }>();

  constructor(deps: HistoryDeps) {
    this.#d = deps;
  }

  days(): Promise<string[]> {
    return Promise.resolve(this.#d.state.knownDays());
  }

  async missedCall(id: string): Promise<MissedCall | undefined> {
    const { state } = this.#d;
    const inMemory = state.partitions.missed(id);
    if (inMemory !== undefined) return inMemory;
    if (state.partitions.goneMissedAnywhere.has(id)) return undefined;
    for (const day of await this.#candidates('missed', id)) {
      const found = (await dayRecordsById(state, this.#d.cold, day, 'missed', [id])).get(id);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  async attempts(ids: readonly string[]): Promise<Map<string, CallAttempt>> {
    const { state } = this.#d;
    const out = new Map<string, CallAttempt>();
    const rest: string[] = [];
    for (const id of ids) {
      const a = state.partitions.attempt(id);
      if (a !== undefined) out.set(id, a);
      else rest.push(id);
    }
    if (rest.length === 0) return out;
    const byDay = await this.#candidatesOf('attempts', rest);
    for (const [day, wanted] of [...byDay].sort((a, b) => (a[0] < b[0] ? 1 : -1))) {
      const want = wanted.filter((id) => !out.has(id));
      if (want.length === 0) continue;
      for (const [id, a] of await dayRecordsById(state, this.#d.cold, day, 'attempts', want)) out.set(id, a);
    }
    return out;
  }

  async *missedCalls(q: MissedQuery): AsyncIterable<MissedCall> {
    for (const day of this.#daysFor(q.from, q.to, q.after)) {
      // Read from the first record the range or the cursor lets in, a block at a time.
      for await (const m of dayRecords(this.#d.state, this.#d.cold, day, 'missed', boundOf(q.to, q.after))) {
        if (q.to !== undefined && m.firstAt >= q.to) continue;
        if (q.from !== undefined && m.firstAt < q.from) break; // sorted: the rest of the day is older
        if (!after(m.firstAt, m.id, q.after)) continue;
        if (q.team !== undefined && m.team !== q.team) continue;
        if (q.status !== undefined && m.status !== q.status) continue;
        if (q.caller !== undefined && m.caller.key !== q.caller && !m.caller.raw.includes(q.caller)) continue;
        yield m;
      }
    }
  }

  async *attemptsIn(q: AttemptQuery): AsyncIterable<CallAttempt> {
    for (const day of this.#daysFor(q.from, q.to, q.after)) {
      for await (const a of dayRecords(this.#d.state, this.#d.cold, day, 'attempts', boundOf(q.to, q.after))) {
        if (q.to !== undefined && a.firstRingAt >= q.to) continue;
        if (q.from !== undefined && a.firstRingAt < q.from) break;
        if (!after(a.firstRingAt, a.id, q.after)) continue;
        if (q.destination !== undefined && a.destination !== q.destination) continue;
        yield a;
      }
    }
  }

  /**
   * A hot day is derived from memory (memoised until it changes); a cold day's value is read from
   * its file when that was computed from the day file as it is now, else computed and written.
   */
  async *derived<T>(name: string, days: readonly string[]): AsyncIterable<{ day: string; value: T }> {
    const { state, dir } = this.#d;
    const d = this.#d.derivations.find((x) => x.name === name);
    if (d === undefined) throw new TypeError(`[ringback] [store] no day derivation named ${name}`);
    const holding = new Set(state.knownDays());
    for (const day of days) {
      if (!holding.has(day)) continue; // no call data: its value would be that of no records
      const p = state.partitions.get(day);
      if (p?.complete === true) {
        const key = `${name}\u0000${day}`;
        const memo = this.#memo.get(key);
        if (memo !== undefined && memo.p === p && memo.version === p.version) {
          yield { day, value: memo.value as T };
          continue;
        }
        // A hot day memory holds as its file is (yesterday, once today began): the value written
        // with the file holds, and deriving a busy day again costs seconds.
        const clean = state.onDisk.has(day) && !state.partitions.isDirty(day) && !state.writing.has(day);
        const version = p.version;
        const stamp = clean ? await dayStamp(dir, day) : null;
        const stored = stamp === null ? null : await readSidecar<T>(dir, day, name);
        let value: unknown;
        if (stored !== null && stored.version === d.version && stored.stamp === stamp && p.version === version && !state.partitions.isDirty(day)) value = stored.value;
        else value = d.derive(day, [...p.attempts.values()], [...p.missed.values()], this.#d.reads);
        this.#memo.set(key, { p, version: p.version, value });
        yield { day, value: value as T };
        continue;
      }
      if (!state.onDisk.has(day) || !fileIsCurrent(state, day)) {
        const view = await dayView(state, this.#d.cold, day);
        yield { day, value: d.derive(day, view.attempts, view.missed, this.#d.reads) as T };
        continue;
      }
      const stamp = await dayStamp(dir, day);
      const stored = await readSidecar<T>(dir, day, name);
      if (stored !== null && stored.version === d.version && stored.stamp === stamp) {
        yield { day, value: stored.value };
        continue;
      }
      const generation = state.fileGeneration.get(day) ?? 0;
      const view = await dayView(state, this.#d.cold, day);
      const value = d.derive(day, view.attempts, view.missed, this.#d.reads) as T;
      if (stamp !== null && fileIsCurrent(state, day) && (state.fileGeneration.get(day) ?? 0) === generation) {
        // Not awaited: the queue may be busy with a snapshot, and the value is already known.
        this.#write(day, name, stamp, d.version, value);
      }
      yield { day, value };
    }
  }

  /** Keeps a computed sidecar, unless a snapshot replaced the day file meanwhile (then the value is not its). */
  #write(day: string, name: string, stamp: string, version: number, value: unknown): void {
    const { dir } = this.#d;
    this.#d.onDisk(async () => {
      if (await dayStamp(dir, day) === stamp) await writeSidecar(dir, day, name, { stamp, version, value });
    }).catch(() => undefined); // derived data: a failed write only means computing it again
  }

  /** Days of `[from, to)` newest first, starting at the cursor's day. */
  #daysFor(from: string | undefined, to: string | undefined, cursor: Cursor | undefined): string[] {
    const fromDay = from?.slice(0, 10);
    const toDay = to?.slice(0, 10);
    const cursorDay = cursor?.at.slice(0, 10);
    return this.#d.state.knownDays().reverse().filter((day) =>
      (toDay === undefined || day <= toDay) && (fromDay === undefined || day >= fromDay) &&
      (cursorDay === undefined || day <= cursorDay));
  }

  /** Per cold day, those of `ids` its id hashes may hold: each day's hashes read once for all ids. */
  async #candidatesOf(kind: keyof DayIds, ids: readonly string[]): Promise<Map<string, string[]>> {
    const { state } = this.#d;
    const hashes = ids.map(hashId);
    const out = new Map<string, string[]>();
    for (const day of [...state.onDisk].sort().reverse()) {
      if (state.partitions.get(day)?.complete === true) continue;
      const sorted = (await this.#idsOf(day))[kind];
      const list: string[] = [];
      for (let i = 0; i < ids.length; i++) if (mayHoldHash(sorted, hashes[i] ?? 0)) list.push(ids[i] ?? '');
      if (list.length > 0) out.set(day, list);
    }
    return out;
  }

  /** Cold days whose id hashes hold this id, newest first. */
  async #candidates(kind: keyof DayIds, id: string): Promise<string[]> {
    const { state } = this.#d;
    const out: string[] = [];
    for (const day of [...state.onDisk].sort().reverse()) {
      if (state.partitions.get(day)?.complete === true) continue;
      const ids = await this.#idsOf(day);
      if (mayHold(ids[kind], id)) out.push(day);
    }
    return out;
  }

  async #idsOf(day: string): Promise<DayIds> {
    const { state, dir } = this.#d;
    const generation = state.fileGeneration.get(day) ?? 0;
    const cached = this.#ids.get(day);
    if (cached !== undefined && cached.generation === generation) return cached.ids;
    const stamp = await dayStamp(dir, day);
    const stored = await readSidecar<unknown>(dir, day, INDEX_SIDECAR);
    let ids: DayIds;
    if (stored !== null && stored.version === INDEX_VERSION && stored.stamp === stamp && isStoredIndex(stored.value)) ids = decodeIds(stored.value);
    else {
      const file = await this.#d.cold.read(day, generation);
      ids = buildIds(file);
      if (stamp !== null) this.#write(day, INDEX_SIDECAR, stamp, INDEX_VERSION, buildIndex(file));
    }
    if ((state.fileGeneration.get(day) ?? 0) === generation) this.#ids.set(day, { generation, ids });
    return ids;
  }
}
