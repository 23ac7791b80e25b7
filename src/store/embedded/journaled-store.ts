/** @module The embedded Store: hot reads from memory, history from day files, commits through the journal. */
import type { CallAttempt, MissedCall } from '../../domain/types.ts';
import type { Change, CollectionName, DayDerivation, HistoryReads, StoreReads } from '../types.ts';
import { HotReadsDelegate } from '../hot-reads-delegate.ts';
import { changeProblem, RETENTION_FLOOR_KEY } from '../changes.ts';
import { dayOf, isDay } from '../days.ts';
import type { StoreUnavailableError } from '../unavailable.ts';
import type { DurableStore, StoreStats } from '../durable-store.ts';
import type { ColdDays } from './cold-days.ts';
import { errorText, removeFilesDurably } from './durable-file.ts';
import { EmbeddedHistory } from './history.ts';
import type { Journal } from './journal.ts';
import { encodeChange } from './journal-codec.ts';
import type { Log } from './journal-replay.ts';
import { listSegments } from './journal-replay.ts';
import { LatestReads } from './latest-reads.ts';
import { Pending, REMOVED } from './pending.ts';
import { captureSnapshot, removeDaysBelowFloor, restoreDirty, type SnapshotDeps, writeSnapshot } from './snapshot.ts';
import type { StoreState } from './state.ts';
import { StateReads } from './state-reads.ts';

/** The shared counters, plus what the hot set and the cold days cost. */
export interface EmbeddedStats extends StoreStats {
  /** call records (attempts + missed calls) in memory: the hot set, plus cold days' unmerged changes */
  hotRecords: number;
  /** cold day files parsed whole (derived values, snapshot merges, format-1 files) since open */
  coldDayReads: number;
  /** records parsed from cold day files by any read since open (a page parses about the records it returns) */
  coldRecordsParsed: number;
  /** parsed cold days (format 1) kept for the next read, and their records */
  coldDaysCached: number;
  coldRecordsCached: number;
}

/** The embedded engine's Store. */
export interface EmbeddedStore extends DurableStore {
  readonly stats: Readonly<EmbeddedStats>;
}

const noop = (): void => undefined;

export interface StoreParts {
  dir: string;
  log: Log;
  state: StoreState;
  cold: ColdDays;
  derivations: readonly DayDerivation[];
  journal: Journal;
  snapshotEvery: number;
  /** Records replayed at open: not yet covered by a snapshot. */
  backlog: number;
  hasOldSegments: boolean;
  replayed: number;
}

/**
 * One acknowledged state, `#state`, is all any reader sees; it changes only once a batch is
 * fsync'd, so a full disk can refuse changes nobody has seen. Writers that must build on changes
 * still in flight (`latest()`) read `#pending` on top of it: only what is in flight, dropped
 * whole after a journal failure (everything in flight was refused).
 */
export class JournaledStore extends HotReadsDelegate implements EmbeddedStore {
  readonly #dir: string;
  readonly #log: Log;
  readonly #state: StoreState;
  readonly #reads: StateReads;
  readonly #pending = new Pending();
  readonly #latest: LatestReads;
  /** The journal generation #pending was built in. */
  #pendingGeneration: number;
  readonly #cold: ColdDays;
  readonly #derivations: readonly DayDerivation[];
  readonly history: HistoryReads;
  readonly #journal: Journal;
  readonly #snapshotEvery: number;
  #revision = 0;
  readonly #stats = { commits: 0, snapshots: 0, filesWritten: 0, replayed: 0 };
  /** Journal records not yet covered by a snapshot. */
  #backlog: number;
  #hasOldSegments: boolean;
  /** The partitions' day set last checked for days leaving the hot window. */
  #daysChecked = -1;
  /** Serialises snapshots and file deletions: one writer per file, and a drop never races a write. */
  #disk: Promise<void> = Promise.resolve();
  /** Disk tasks queued or running. */
  #diskTasks = 0;
  #snapshotQueued = false;
  #closing: Promise<void> | null = null;

  constructor(p: StoreParts) {
    super();
    this.#dir = p.dir;
    this.#log = p.log;
    this.#state = p.state;
    this.#reads = new StateReads(p.state);
    this.#latest = new LatestReads(p.state, this.#reads, this.#pending);
    this.#pendingGeneration = p.journal.generation;
    this.#cold = p.cold;
    this.#derivations = p.derivations;
    this.history = new EmbeddedHistory({
      dir: p.dir, state: p.state, cold: p.cold, derivations: p.derivations, reads: this.#reads,
      onDisk: (task) => this.#onDiskQueue(task),
    });
    this.#journal = p.journal;
    this.#snapshotEvery = p.snapshotEvery;
    this.#backlog = p.backlog;
    this.#stats.replayed = p.replayed;
    this.#hasOldSegments = p.hasOldSegments;
    if (this.#backlog >= this.#snapshotEvery) this.#scheduleSnapshot();
    this.#checkWindow();
  }

  get stats(): Readonly<EmbeddedStats> {
    const j = this.#journal.stats;
    return {
      ...this.#stats, changes: j.records, journalBatches: j.batches, hotRecords: this.#state.partitions.recordCount,
      coldDayReads: this.#cold.reads, coldRecordsParsed: this.#cold.recordsParsed, coldDaysCached: this.#cold.cachedDays, coldRecordsCached: this.#cold.cachedRecords,
    };
  }

  // --- hot reads: from memory, acknowledged state only ---

  protected override get hotReads(): StoreReads {
    return this.#reads;
  }

  configNames(): { meta: string[]; collections: CollectionName[] } {
    return {
      meta: [...this.#state.meta.keys()],
      collections: [...this.#state.collections].filter(([, m]) => m.size > 0).map(([c]) => c as CollectionName),
    };
  }

  latest(): StoreReads {
    this.#syncPending();
    return this.#latest;
  }

  /** After a journal failure everything in flight was refused: nothing of it is pending any more. */
  #syncPending(): void {
    if (this.#pendingGeneration === this.#journal.generation) return;
    this.#pending.clear();
    this.#pendingGeneration = this.#journal.generation;
  }

  // --- writes ---

  revision(): number {
    return this.#revision;
  }

  /**
   * Validates the whole batch, adds it to the in-flight overlay synchronously (so the next writer's
   * `latest()` builds on it), appends one journal line per change, and applies it to the visible
   * state when the group fsync has made it durable, just before the promise resolves.
   */
  commit(changes: Change[]): Promise<void> {
    if (this.#closing !== null) return Promise.reject(new Error('[ringback] [store] commit after close()'));
    if (this.#journal.failure !== null) return Promise.reject(this.#journal.failure);
    for (const [i, change] of changes.entries()) {
      const problem = changeProblem(change);
      if (problem !== null) return Promise.reject(new TypeError(`[ringback] [store] change #${i}: ${problem}`));
    }
    this.#syncPending();
    let text = '';
    const kept: Change[] = [];
    for (const change of changes) {
      if (this.#belowFloor(change)) {
        this.#log('store: ignored call data below the retention floor', { change: change.t });
        continue;
      }
      text += encodeChange(change, this.#before(change));
      this.#pending.add(change);
      kept.push(change);
    }
    this.#stats.commits += 1;
    if (kept.length === 0) return this.#journal.drained();
    const durable = this.#journal.append(text, kept.length, () => {
      for (const change of kept) {
        this.#state.apply(change);
        this.#pending.settle(change);
      }
      this.#revision += kept.length;
      this.#checkWindow();
    });
    this.#backlog += kept.length;
    if (this.#backlog >= this.#snapshotEvery) this.#scheduleSnapshot();
    return durable;
  }

  /** Call data filed below the (possibly in-flight) retention floor would resurrect a dropped day. */
  #belowFloor(change: Change): boolean {
    if (change.t !== 'attempt' && change.t !== 'missed') return false;
    const floor = this.#pending.floor > this.#state.floor ? this.#pending.floor : this.#state.floor;
    if (floor === '') return false;
    return dayOf(change.t === 'attempt' ? change.v.firstRingAt : change.v.firstAt) < floor;
  }

  /** The version a call record update builds on, if memory holds it: its journal line is then a patch. */
  #before(change: Change): CallAttempt | MissedCall | undefined {
    if (change.t === 'attempt') {
      const p = this.#pending.attempts.get(change.v.id);
      return p === REMOVED ? undefined : p ?? this.#state.partitions.attempt(change.v.id);
    }
    if (change.t === 'missed') {
      const p = this.#pending.missed.get(change.v.id);
      return p === REMOVED ? undefined : p ?? this.#state.partitions.missed(change.v.id);
    }
    return undefined;
  }

  /**
   * A day left the hot window: if its file holds it already, it is evicted at once; if it still has
   * changes to write, the next snapshot (at most `snapshotEvery` records away) writes and evicts it.
   * No snapshot of its own: a day boundary must not add disk work under load.
   */
  #checkWindow(): void {
    const v = this.#state.partitions.daysVersion;
    if (v === this.#daysChecked) return;
    this.#daysChecked = v;
    this.#state.evictCold();
  }

  /**
   * Raises the retention floor through the journal (so a replay drops the same days again and ignores
   * late records for them), then deletes the day files and what was derived from them. Returns the
   * days that held data.
   */
  async dropDaysBefore(day: string): Promise<string[]> {
    if (!isDay(day)) throw new TypeError(`[ringback] [store] dropDaysBefore: not a YYYY-MM-DD day: ${day}`);
    const dropped = this.#state.knownDays().filter((d) => d < day);
    if (day > this.#state.floor) await this.commit([{ t: 'meta', key: RETENTION_FLOOR_KEY, value: day }]);
    await this.#onDiskQueue(async () => {
      const removed = await removeDaysBelowFloor(this.#snapshotDeps());
      if (removed.length > 0) this.#log('store: retention deleted day files', { days: removed });
    });
    return dropped;
  }

  flush(): Promise<void> {
    return this.#onDiskQueue(() => this.#snapshot({ deferNewest: false }));
  }

  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  idle(): Promise<void> {
    return this.#disk;
  }

  unavailable(): StoreUnavailableError | null {
    return this.#journal.failure;
  }

  async #shutdown(): Promise<void> {
    try {
      await this.flush();
    } finally {
      await this.#journal.close();
    }
  }

  #scheduleSnapshot(): void {
    if (this.#snapshotQueued || this.#closing !== null) return;
    this.#snapshotQueued = true;
    this.#onDiskQueue(() => {
      this.#snapshotQueued = false;
      return this.#snapshot({ deferNewest: true });
    }).catch((err: unknown) => {
      this.#log('store: background snapshot failed (the journal still holds everything)', { error: errorText(err) });
    });
  }

  /**
   * Runs disk tasks one at a time. When none is running the task starts synchronously, so a
   * snapshot's rotation and capture happen at the very moment flush() is called.
   */
  #onDiskQueue(task: () => Promise<void>): Promise<void> {
    const run = this.#diskTasks === 0 ? task() : this.#disk.then(task);
    this.#diskTasks += 1;
    this.#disk = run.then(noop, noop).then(() => {
      this.#diskTasks -= 1;
    });
    return run;
  }

  #snapshotDeps(): SnapshotDeps {
    return { dir: this.#dir, state: this.#state, cold: this.#cold, derivations: this.#derivations, reads: this.#reads, log: this.#log };
  }

  /**
   * Cuts the journal and writes what changed: rotation first (later changes go to the new segment),
   * then, once the older segments' lines are all durable, a capture of the acknowledged state. Older
   * segments are deleted only once the plan is durable. A background snapshot defers the newest
   * day's sidecars (captureSnapshot); a flush (and so a close) writes everything.
   */
  async #snapshot(opts: { deferNewest: boolean }): Promise<void> {
    if (this.#journal.failure !== null) throw this.#journal.failure;
    const retiring = this.#state.retiring().length > 0;
    if (!this.#state.hasDirty() && this.#backlog === 0 && !this.#hasOldSegments) {
      if (retiring) this.#state.evictCold();
      return;
    }
    const { seq, drained } = this.#journal.rotate();
    this.#backlog = 0;
    try {
      await drained;
    } catch (err) {
      this.#hasOldSegments = true;
      throw err;
    }
    // Every change of the older segments is acknowledged now, so it is in #state (later ones may be
    // too: they are in the new segment as well, and replaying them again is harmless).
    const plan = captureSnapshot(this.#state, opts);
    try {
      this.#stats.filesWritten += await writeSnapshot(this.#snapshotDeps(), plan);
      const journalDir = this.#journal.dir;
      const old = (await listSegments(journalDir)).filter((s) => s.seq < seq).map((s) => s.name);
      await removeFilesDurably(journalDir, old);
    } catch (err) {
      // Dirty again and the old segments stay: nothing is lost. The backlog is not restored, so a
      // failing disk is retried after another `snapshotEvery` records (or flush), not on every commit.
      restoreDirty(this.#state, plan);
      this.#hasOldSegments = true;
      throw err;
    }
    this.#hasOldSegments = false;
    this.#stats.snapshots += 1;
    this.#log('store: snapshot written', { files: plan.days.length + (plan.config === null ? 0 : 1), journalSegment: seq });
  }
}
