/** @module The durable Store: reads from memory, commits through the journal, snapshots in the background. */
import type { CallAttempt, MissedCall, Phone, Team } from '../domain/types.ts';
import type { Change, CollectionName, Collections, DayDerivation, HistoryReads, Store, StoreReads } from './types.ts';
import { changeProblem, RETENTION_FLOOR_KEY } from './changes.ts';
import { isDay } from './days.ts';
import { errorText, removeFilesDurably } from './durable-file.ts';
import type { Journal } from './journal.ts';
import type { Log } from './journal-replay.ts';
import { listSegments } from './journal-replay.ts';
import { MemoryHistory } from './memory-history.ts';
import { captureSnapshot, removeDaysBelowFloor, restoreDirty, writeSnapshot } from './snapshot.ts';
import { copyState, type StoreState } from './state.ts';
import { StateReads } from './state-reads.ts';
import type { StoreUnavailableError } from './unavailable.ts';

/** Counters that show what the disk actually did (tests, health endpoints). */
export interface StoreStats {
  /** commit() calls that were accepted */
  commits: number;
  /** change lines appended to the journal */
  changes: number;
  /** journal write+fdatasync rounds: under load far fewer than commits (group commit) */
  journalBatches: number;
  snapshots: number;
  /** lowdb files rewritten by snapshots */
  filesWritten: number;
  /** journal records replayed at open */
  replayed: number;
}

/** The Store plus what only the durable implementation has. */
export interface DurableStore extends Store {
  readonly stats: Readonly<StoreStats>;
  /** Resolves when background disk work (snapshots, retention deletes) queued so far is done. */
  idle(): Promise<void>;
  /** Set while changes cannot be made durable (full or failing disk): why, for /readyz. */
  unavailable(): StoreUnavailableError | null;
}

const noop = (): void => undefined;

export interface StoreParts {
  dir: string;
  log: Log;
  state: StoreState;
  /** Days that have a file in calls/ */
  onDisk: Set<string>;
  journal: Journal;
  snapshotEvery: number;
  /** Records replayed at open: not yet covered by a snapshot. */
  backlog: number;
  hasOldSegments: boolean;
  derivations: readonly DayDerivation[];
}

/**
 * Two in-memory states, built by the same `apply`: `#state` holds what is acknowledged (durable) and
 * is all any reader sees; `#work` is ahead of it by the changes still in flight, for writers that
 * must build on them (`latest()`). A change reaches `#state` only after its batch's fdatasync, so
 * a full disk can refuse it without anyone having seen it; then `#work` is rebuilt from `#state`.
 * The cost is a second set of maps and indexes over the same (shared, immutable) records.
 */
export class JournaledStore implements DurableStore {
  readonly #dir: string;
  readonly #log: Log;
  /** Acknowledged state: what every read shows, what snapshots write. */
  readonly #state: StoreState;
  readonly #reads: StateReads;
  readonly #history: MemoryHistory;
  /** Acknowledged + in flight. Replaced by a copy of #state after a journal failure. */
  #work: StoreState;
  #workReads: StateReads;
  /** The journal generation #work was built for. */
  #workGeneration: number;
  /** Days that have a file in calls/ */
  readonly #onDisk: Set<string>;
  readonly #journal: Journal;
  readonly #snapshotEvery: number;
  #revision = 0;
  readonly #stats = { commits: 0, snapshots: 0, filesWritten: 0, replayed: 0 };
  /** Journal records not yet covered by a snapshot. */
  #backlog: number;
  #hasOldSegments: boolean;
  /** Serialises snapshots and file deletions: one writer per file, and a drop never races a write. */
  #disk: Promise<void> = Promise.resolve();
  /** Disk tasks queued or running. */
  #diskTasks = 0;
  #snapshotQueued = false;
  #closing: Promise<void> | null = null;

  constructor(p: StoreParts) {
    this.#dir = p.dir;
    this.#log = p.log;
    this.#state = p.state;
    this.#reads = new StateReads(p.state);
    this.#history = new MemoryHistory(p.state, this.#reads, p.derivations, () => this.#revision);
    this.#work = copyState(p.state);
    this.#workReads = new StateReads(this.#work);
    this.#workGeneration = p.journal.generation;
    this.#onDisk = p.onDisk;
    this.#journal = p.journal;
    this.#snapshotEvery = p.snapshotEvery;
    this.#backlog = p.backlog;
    this.#stats.replayed = p.backlog;
    this.#hasOldSegments = p.hasOldSegments;
    if (this.#backlog >= this.#snapshotEvery) this.#scheduleSnapshot();
  }

  get stats(): Readonly<StoreStats> {
    const j = this.#journal.stats;
    return { ...this.#stats, changes: j.records, journalBatches: j.batches };
  }

  // --- reads: all from memory, acknowledged state only ---

  /** This engine holds every day in memory, so history is the same state read asynchronously. */
  get history(): HistoryReads {
    return this.#history;
  }

  teams(): Team[] {
    return this.#reads.teams();
  }

  team(id: string): Team | undefined {
    return this.#reads.team(id);
  }

  phones(): Phone[] {
    return this.#reads.phones();
  }

  phone(mac: string): Phone | undefined {
    return this.#reads.phone(mac);
  }

  phoneByToken(token: string): Phone | undefined {
    return this.#reads.phoneByToken(token);
  }

  attempt(id: string): CallAttempt | undefined {
    return this.#reads.attempt(id);
  }

  recentAttempts(destination: string, callerKey: string, since: string): CallAttempt[] {
    return this.#reads.recentAttempts(destination, callerKey, since);
  }

  attemptByPbxId(pbxCallId: string): CallAttempt | undefined {
    return this.#reads.attemptByPbxId(pbxCallId);
  }

  missedCall(id: string): MissedCall | undefined {
    return this.#reads.missedCall(id);
  }

  openMissed(team: string): MissedCall[] {
    return this.#reads.openMissed(team);
  }

  openMissedByCaller(team: string, callerKey: string): MissedCall | undefined {
    return this.#reads.openMissedByCaller(team, callerKey);
  }

  list<K extends CollectionName>(c: K): Collections[K][] {
    return this.#reads.list(c);
  }

  get<K extends CollectionName>(c: K, id: string): Collections[K] | undefined {
    return this.#reads.get(c, id);
  }

  meta<T>(key: string): T | undefined {
    return this.#reads.meta<T>(key);
  }

  latest(): StoreReads {
    this.#syncWork();
    return this.#workReads;
  }

  /** After a journal failure everything in flight was refused: #work falls back to what is acknowledged. */
  #syncWork(): void {
    if (this.#workGeneration === this.#journal.generation) return;
    this.#work = copyState(this.#state);
    this.#workReads = new StateReads(this.#work);
    this.#workGeneration = this.#journal.generation;
  }

  // --- writes ---

  revision(): number {
    return this.#revision;
  }

  /**
   * Validates the whole batch, applies it to the working state synchronously (so the next writer's
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
    this.#syncWork();
    let text = '';
    const kept: Change[] = [];
    for (const change of changes) {
      if (!this.#work.apply(change)) {
        this.#log('store: ignored call data below the retention floor', { change: change.t });
        continue;
      }
      text += JSON.stringify(change) + '\n';
      kept.push(change);
    }
    this.#stats.commits += 1;
    if (kept.length === 0) return this.#journal.drained();
    const durable = this.#journal.append(text, kept.length, () => {
      for (const change of kept) this.#state.apply(change);
      this.#revision += kept.length;
    });
    this.#backlog += kept.length;
    if (this.#backlog >= this.#snapshotEvery) this.#scheduleSnapshot();
    return durable;
  }

  /**
   * Raises the retention floor through the journal (so a replay drops the same days again and ignores
   * late records for them), then deletes the day files. Returns the days that held data.
   */
  async dropDaysBefore(day: string): Promise<string[]> {
    if (!isDay(day)) throw new TypeError(`[ringback] [store] dropDaysBefore: not a YYYY-MM-DD day: ${day}`);
    const dropped = this.#state.partitions.days().filter((d) => d < day);
    if (day > this.#state.floor) await this.commit([{ t: 'meta', key: RETENTION_FLOOR_KEY, value: day }]);
    this.#history.forgetBefore(day);
    await this.#onDiskQueue(async () => {
      const removed = await removeDaysBelowFloor(this.#dir, this.#state, this.#onDisk);
      if (removed.length > 0) this.#log('store: retention deleted day files', { days: removed });
    });
    return dropped;
  }

  flush(): Promise<void> {
    return this.#onDiskQueue(() => this.#snapshot());
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
    if (this.#snapshotQueued) return;
    this.#snapshotQueued = true;
    this.#onDiskQueue(() => {
      this.#snapshotQueued = false;
      return this.#snapshot();
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

  /**
   * Cuts the journal and writes what changed: rotation first (later changes go to the new segment),
   * then, once the older segments' lines are all durable, a capture of the acknowledged state. Older
   * segments are deleted only once the plan is durable.
   */
  async #snapshot(): Promise<void> {
    if (this.#journal.failure !== null) throw this.#journal.failure;
    if (!this.#state.hasDirty() && this.#backlog === 0 && !this.#hasOldSegments) return;
    const { seq, drained } = this.#journal.rotate();
    this.#backlog = 0;
    try {
      await drained;
    } catch (err) {
      this.#hasOldSegments = true;
      throw err;
    }
    // Every change of the older segments is acknowledged now, so it is in #state (later ones may be
    // too: they are in the new segment as well, and replaying an upsert again is harmless).
    const plan = captureSnapshot(this.#state);
    try {
      this.#stats.filesWritten += await writeSnapshot(this.#dir, plan, this.#state, this.#onDisk);
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
