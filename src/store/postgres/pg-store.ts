/** @module The PostgreSQL Store: hot reads from memory, commits as grouped transactions, history by SQL. */
import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient, QueryResult } from 'pg';
import type { Change, CollectionName, DayDerivation, HistoryReads, StoreReads } from '../types.ts';
import type { DurableStore, StoreStats } from '../durable-store.ts';
import { changeProblem, RETENTION_FLOOR_KEY } from '../changes.ts';
import { HotReadsDelegate } from '../hot-reads-delegate.ts';
import { isDay } from '../days.ts';
import { StoreUnavailableError } from '../unavailable.ts';
import { CommitConflictError } from '../conflict.ts';
import { callKeys, overlaps, recordKeys } from './conflicts.ts';
import { CHANNEL, listenForChanges, type ChangeListener } from './listen.ts';
import { encodeJson } from './text-codec.ts';
import { deriveStale, derivedValues, HotDayMemo } from './derived.ts';
import * as sql from './history.ts';
import { copyHotSet, type HotSet } from './hot-set.ts';
import { HotReads } from './hot-reads.ts';
import { NetChanges, oneTripGroup, writeGroup, type LogEntry } from './write.ts';

export type Log = (msg: string, fields?: object) => void;

/** Seconds a client is told to wait after a failed commit: about a failover or a restart of the server. */
const RETRY_AFTER = 5;
/** How often reachability is checked for /readyz while nothing commits. */
const PING_MS = 5_000;
/** How often the change log is read even without a notification (one may be lost with a connection). */
const POLL_MS = 3_000;
/**
 * Change-log rows are kept this long (pruneChangeLog, run by the jobs lease holder). Safe: an
 * instance reads the log at least every POLL_MS while it reaches the database, and one that could
 * not for KEEP_LOG_MS / 2 reloads its hot set instead of reading the log.
 */
export const KEEP_LOG_MS = 60 * 60_000;
/**
 * A lookup that missed (an unknown phone token) reads the change log before it answers "unknown":
 * up to MISS_BURST reads at once, then one per MISS_SYNC_MS. Beyond that (a flood of bad tokens)
 * a miss is answered after the latest such read, which started less than MISS_SYNC_MS before it:
 * a flood costs ten small queries a second and waits for none of them.
 */
const MISS_SYNC_MS = 100;
const MISS_BURST = 20;
/** Every instance takes it to number a group of changes: seq order is commit order. */
const CHANGE_LOCK = 7_260_114;
/** Held (session level, tried) by the one instance deriving older days' values ahead of reports. */
const DERIVE_LOCK = 7_260_115;
/** After open and then this often, older days' missing or stale derived values are computed ahead of any report. */
const DERIVE_AHEAD_MS = 10 * 60_000;
const DERIVE_AHEAD_FIRST_MS = 60_000;

interface Waiting {
  changes: Change[];
  /** The change-log seq of the view the changes were built on. */
  builtAt: number;
  /** The calls they are about (conflicts.ts). */
  keys: Set<string>;
  resolve(): void;
  reject(e: unknown): void;
}

interface LogRow {
  seq: string;
  origin: string;
  changes: Change[];
}

/** Told the changes other instances committed, once this instance's hot set holds them. */
export type ExternalListener = (changes: readonly Change[]) => void;

export interface PgStoreParts {
  pool: Pool;
  state: HotSet;
  log: Log;
  /** The URL without its password, for messages. */
  where: string;
  derivations: readonly DayDerivation[];
  /** The URL with its password, for the LISTEN connection; null = no other instance is followed (tests). */
  url: string | null;
  /** The change-log seq `state` was loaded at (read before it). */
  seq: number;
  /** A fresh hot set and its seq, for an instance cut off longer than the change log is kept. */
  reload(): Promise<{ state: HotSet; seq: number }>;
  /** Delay of the first pass of deriveAhead (default a minute after open; null = only when called). */
  deriveAheadAfterMs?: number | null;
}

/**
 * Like the embedded engine, two HotSets built by one `apply`: `#state` is what is committed (every
 * read), `#work` is ahead of it by the commits in flight (`latest()`, for correlation). Commits are
 * queued and written in groups, one transaction per group on one connection, in commit order (the
 * last upsert of a record wins, as it did in memory). A group that fails rejects its commits and
 * every commit queued behind it (they were built on it) and `#work` restarts from `#state`.
 */
export class PgStore extends HotReadsDelegate implements DurableStore {
  readonly #pool: Pool;
  readonly #log: Log;
  readonly #where: string;
  #state: HotSet;
  #reads: HotReads;
  #work: HotSet;
  #workReads: HotReads;
  #workStale = false;
  #revision = 0;
  #queue: Waiting[] = [];
  #writing: Promise<void> | null = null;
  readonly #guarded = new WeakSet<PoolClient>();
  #failure: StoreUnavailableError | null = null;
  #closing: Promise<void> | null = null;
  readonly #ping: NodeJS.Timeout;
  readonly #poll: NodeJS.Timeout;
  #deriveTimer: NodeJS.Timeout | null = null;
  #deriving: Promise<number> | null = null;
  readonly #derivations: readonly DayDerivation[];
  readonly #instance = randomUUID();
  readonly #reload: PgStoreParts['reload'];
  readonly #listener: ChangeListener | null;
  readonly #external = new Set<ExternalListener>();
  /** The newest change-log seq held in #state. */
  #seq: number;
  #syncWanted = false;
  #lastSync = Date.now();
  /** catchUp() callers, served by the next read of the change log that starts after they came. */
  #syncWaiters: (() => void)[] = [];
  /** Reads misses may still start now (refilled one per MISS_SYNC_MS, at most MISS_BURST), and when that was counted. */
  #missBudget = MISS_BURST;
  #budgetAt = Date.now();
  /** The latest read a miss started (resolved once taken in). */
  #missRead: Promise<void> = Promise.resolve();
  #syncs = 0;
  readonly #stats = { commits: 0, changes: 0, journalBatches: 0, snapshots: 0, filesWritten: 0, replayed: 0 };
  readonly history: HistoryReads;

  constructor(p: PgStoreParts) {
    super();
    this.#pool = p.pool;
    this.#log = p.log;
    this.#where = p.where;
    this.#state = p.state;
    this.#reads = new HotReads(p.state);
    this.#work = copyHotSet(p.state);
    this.#workReads = new HotReads(this.#work);
    this.#seq = p.seq;
    this.#reload = p.reload;
    this.#derivations = p.derivations;
    const derivations = new Map(p.derivations.map((d) => [d.name, d]));
    const pool = p.pool;
    const source = { pool, state: () => this.#state, config: (): StoreReads => this.#reads };
    const memo = new HotDayMemo();
    this.history = {
      missedCall: (id) => sql.missedCall(pool, id),
      attempts: (ids) => sql.attemptsById(pool, ids),
      missedCalls: (q) => sql.missedCalls(pool, q),
      attemptsIn: (q) => sql.attemptsIn(pool, q),
      days: () => sql.days(pool),
      async* derived<T>(name: string, days: readonly string[]): AsyncGenerator<{ day: string; value: T }> {
        const d = derivations.get(name);
        if (d === undefined) throw new TypeError(`[ringback] [store] no day derivation named ${name}`);
        yield* derivedValues<T>(source, memo, d, days);
      },
    };
    this.#ping = setInterval(() => void this.#checkReachable(), PING_MS);
    this.#ping.unref();
    this.#poll = setInterval(() => this.#wantSync(), POLL_MS);
    this.#poll.unref();
    const first = p.deriveAheadAfterMs === undefined ? DERIVE_AHEAD_FIRST_MS : p.deriveAheadAfterMs;
    if (first !== null && p.derivations.length > 0) this.#scheduleDeriveAhead(first);
    this.#listener = p.url === null ? null : listenForChanges({
      url: p.url, log: p.log,
      onNotice: (seq) => { if (seq > this.#seq) this.#wantSync(); },
      onListening: () => this.#wantSync(),
    });
  }

  /** Hear the changes other instances commit (the live feed, idle-screen pushes). Returns the function that stops. */
  onExternalChanges(listener: ExternalListener): () => void {
    this.#external.add(listener);
    return () => { this.#external.delete(listener); };
  }

  /**
   * Resolves once this instance holds everything committed (by any instance) before the call: for
   * a lookup that found nothing, before it answers "unknown" (a phone added on another instance
   * a millisecond ago). Misses coming together share one read of the change log; in a flood of
   * misses (more than MISS_BURST, then more than one per MISS_SYNC_MS) a miss is answered after the
   * latest read, started less than MISS_SYNC_MS before it. Never rejects: an unreadable log leaves
   * the answer as it was.
   */
  catchUp(): Promise<void> {
    if (this.#closing !== null) return Promise.resolve();
    const now = Date.now();
    this.#missBudget = Math.min(MISS_BURST, this.#missBudget + (now - this.#budgetAt) / MISS_SYNC_MS);
    this.#budgetAt = now;
    if (this.#missBudget < 1) return this.#missRead;
    this.#missBudget -= 1;
    this.#missRead = new Promise<void>((resolve) => {
      this.#syncWaiters.push(resolve);
      this.#wantSync();
    });
    return this.#missRead;
  }

  /** Reads of the change log so far (catch-ups, polls, notices): what a flood of misses costs. */
  get syncs(): number {
    return this.#syncs;
  }

  /**
   * Deletes change-log rows older than `keepMs` (default KEEP_LOG_MS, which every live instance has
   * read long before); returns how many. 0 = every row, for a database no instance follows yet
   * (after migrate-to-postgres, whose copy would otherwise sit in the log).
   */
  async pruneChangeLog(keepMs = KEEP_LOG_MS): Promise<number> {
    const r = await this.#pool.query('DELETE FROM change_log WHERE at < now() - $1::interval', [`${Math.max(0, keepMs) / 1000} seconds`]);
    return r.rowCount ?? 0;
  }

  /**
   * Computes and stores the derived values of the days older than the hot ones that are missing
   * or stale (after a bulk load, a migration, a day leaving the hot set, a late change to an old
   * day), so a report finds them stored instead of reading those days' records. One instance of
   * a cluster at a time (an advisory lock, tried: the others skip). Returns how many days it derived.
   */
  deriveAhead(): Promise<number> {
    this.#deriving ??= (async () => {
      const client = await this.#pool.connect();
      try {
        const got = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [DERIVE_LOCK]);
        if (got.rows[0]?.ok !== true) return 0;
        try {
          return await deriveStale(this.#pool, this.#derivations, () => this.#reads, this.#state.hotFrom, () => this.#closing !== null);
        } finally {
          await client.query('SELECT pg_advisory_unlock($1)', [DERIVE_LOCK]);
        }
      } finally {
        client.release();
      }
    })().finally(() => { this.#deriving = null; });
    return this.#deriving;
  }

  #scheduleDeriveAhead(ms: number): void {
    this.#deriveTimer = setTimeout(() => {
      void this.deriveAhead().then(
        (n) => { if (n > 0) this.#log('store: derived older days\' values ahead of reports', { days: n }); },
        (err: unknown) => this.#log('store: could not derive older days\' values ahead; trying again later', { error: errorText(err) }),
      ).finally(() => { if (this.#closing === null) this.#scheduleDeriveAhead(DERIVE_AHEAD_MS); });
    }, ms);
    this.#deriveTimer.unref();
  }

  /** The database URL without its password. */
  get where(): string {
    return this.#where;
  }

  get stats(): Readonly<StoreStats> {
    return { ...this.#stats };
  }

  // --- hot reads: memory, committed state only ---
  protected override get hotReads(): StoreReads {
    return this.#reads;
  }

  configNames(): { meta: string[]; collections: CollectionName[] } {
    const meta = [...this.#state.meta.keys()];
    const collections = [...this.#state.collections].filter(([, m]) => m.size > 0).map(([c]) => c as CollectionName);
    return { meta, collections };
  }

  latest(): StoreReads {
    if (this.#workStale) {
      this.#work = copyHotSet(this.#state);
      this.#workReads = new HotReads(this.#work);
      this.#workStale = false;
    }
    return this.#workReads;
  }

  revision(): number {
    return this.#revision;
  }

  /** Resolves after the COMMIT of the transaction holding these changes; rejects with StoreUnavailableError if it failed. */
  commit(changes: Change[]): Promise<void> {
    if (this.#closing !== null) return Promise.reject(new Error('[ringback] [store] commit after close()'));
    for (const [i, change] of changes.entries()) {
      const problem = changeProblem(change);
      if (problem !== null) return Promise.reject(new TypeError(`[ringback] [store] change #${i}: ${problem}`));
    }
    this.latest();
    const kept = changes.filter((c) => {
      if (this.#work.apply(c)) return true;
      this.#log('store: ignored call data below the retention floor', { change: c.t });
      return false;
    });
    this.#stats.commits += 1;
    if (kept.length === 0) return this.#drained();
    const builtAt = this.#seq;
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ changes: kept, builtAt, keys: callKeys(kept), resolve, reject });
      this.#writing ??= this.#writeAll();
    });
  }

  /** Raises the retention floor (a commit: the rows of older days go in its transaction). */
  async dropDaysBefore(day: string): Promise<string[]> {
    if (!isDay(day)) throw new TypeError(`[ringback] [store] dropDaysBefore: not a YYYY-MM-DD day: ${day}`);
    const dropped = (await this.history.days()).filter((d) => d < day);
    if (day > this.#state.floor) await this.commit([{ t: 'meta', key: RETENTION_FLOOR_KEY, value: day }]);
    return dropped;
  }

  /** Nothing to snapshot: every acknowledged change is in the database. Waits for commits in flight. */
  flush(): Promise<void> {
    return this.#drained();
  }

  idle(): Promise<void> {
    return this.#drained();
  }

  unavailable(): StoreUnavailableError | null {
    return this.#failure;
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      clearInterval(this.#ping);
      clearInterval(this.#poll);
      for (const resolve of this.#syncWaiters.splice(0)) resolve();
      if (this.#deriveTimer !== null) clearTimeout(this.#deriveTimer);
      await this.#deriving?.catch(() => undefined);
      await this.#listener?.close();
      this.#syncWanted = false;
      await this.#drained();
      await this.#pool.end();
    })();
    return this.#closing;
  }

  async #drained(): Promise<void> {
    while (this.#writing !== null) await this.#writing;
  }

  /** Reading the change log goes through the writer's loop: it and a commit never interleave. */
  #wantSync(): void {
    if (this.#closing !== null) return;
    this.#syncWanted = true;
    this.#writing ??= this.#writeAll();
  }

  async #writeAll(): Promise<void> {
    try {
      while (this.#queue.length > 0 || this.#syncWanted) {
        // A lookup waiting on a catch-up goes before more commits (which keep coming under load).
        if (this.#queue.length === 0 || (this.#syncWanted && this.#syncWaiters.length > 0)) {
          this.#syncWanted = false;
          const served = this.#syncWaiters.splice(0);
          await this.#catchUp();
          for (const resolve of served) resolve();
          continue;
        }
        const group = this.#queue;
        this.#queue = [];
        await this.#writeGroup(group);
      }
    } finally {
      this.#writing = null;
    }
  }

  /** Takes in what other instances committed since #seq (or reloads, when cut off too long). */
  async #catchUp(): Promise<void> {
    this.#syncs += 1;
    try {
      if (Date.now() - this.#lastSync > KEEP_LOG_MS / 2) {
        const fresh = await this.#reload();
        this.#state = fresh.state;
        this.#reads = new HotReads(fresh.state);
        this.#seq = fresh.seq;
        this.#rebuildWork();
        this.#revision += 1;
        this.#lastSync = Date.now();
        this.#log('store: reloaded the hot set after a long disconnection', { seq: fresh.seq });
        return;
      }
      const { rows } = await this.#pool.query<LogRow>(
        'SELECT seq, origin, changes FROM change_log WHERE seq > $1 ORDER BY seq', [this.#seq]);
      if (this.#takeIn(rows, this.#queue)) this.#rebuildWork();
      this.#lastSync = Date.now();
    } catch (err) {
      this.#log('store: could not read other instances\' changes; trying again', { error: errorText(err) });
    }
  }

  /**
   * Applies change-log rows (in seq order) newer than #seq to #state, and to #work on top of the
   * commits in flight (`pending`), unless those touch the same records: then it returns true, and
   * the caller rebuilds #work in commit order once #state is complete.
   */
  #takeIn(rows: readonly LogRow[], pending: readonly Waiting[]): boolean {
    const pendingKeys = new Set<string>();
    for (const w of pending) for (const k of recordKeysOf(w.changes)) pendingKeys.add(k);
    let rebuild = false;
    const heard: Change[] = [];
    for (const row of rows) {
      const seq = Number(row.seq);
      if (seq <= this.#seq) continue;
      this.#seq = seq;
      if (row.origin === this.#instance) continue; // ours: already applied when it committed
      for (const c of row.changes) this.#state.apply(c);
      const touched = recordKeys(row.changes);
      if (touched === 'all' || pendingKeys.has('*') || overlaps(touched, pendingKeys)) rebuild = true;
      else if (!this.#workStale) for (const c of row.changes) this.#work.apply(c);
      heard.push(...row.changes);
    }
    if (heard.length === 0) return false;
    this.#revision += heard.length;
    // After the caller has finished bringing #state and #work up to date.
    queueMicrotask(() => {
      for (const listener of this.#external) {
        try {
          listener(heard);
        } catch (err) {
          this.#log('store: a listener of other instances\' changes failed', { error: errorText(err) });
        }
      }
    });
    return rebuild;
  }

  /** #work = what is committed + the commits still queued, in their order. */
  #rebuildWork(): void {
    this.#work = copyHotSet(this.#state);
    this.#workReads = new HotReads(this.#work);
    this.#workStale = false;
    for (const w of this.#queue) for (const c of w.changes) this.#work.apply(c);
  }

  /**
   * A pool connection for a group. A connection that dies while checked out (the server restarted,
   * the backend was ended) fails its query, and then emits 'error', which pg-pool listens to only
   * on idle ones: unheard, it would end the process.
   */
  async #connect(): Promise<PoolClient> {
    const client = await this.#pool.connect();
    if (!this.#guarded.has(client)) {
      this.#guarded.add(client);
      client.on('error', () => undefined); // the failed query already told
    }
    return client;
  }

  async #writeGroup(group: Waiting[]): Promise<void> {
    const net = new NetChanges();
    let count = 0;
    for (const w of group) {
      for (const c of w.changes) net.add(c);
      count += w.changes.length;
    }
    const since = Math.min(...group.map((w) => w.builtAt));
    const changes = group.flatMap((w) => w.changes);
    const log = { origin: this.#instance, changes: encodeJson(changes), channel: CHANNEL };
    let client: PoolClient | undefined;
    let written: { rivals: LogRow[]; seq: number } | 'beaten';
    try {
      client = await this.#connect();
      // Phone events: one round trip, unless another instance committed since (then the careful way).
      const oneTrip = oneTripGroup(net, changes, log, CHANGE_LOCK, since);
      const seq = oneTrip === null ? 0 : Number((await client.query(oneTrip) as unknown as QueryResult<{ seq: string }>[])[2]?.rows[0]?.seq ?? 0);
      written = seq > 0 ? { rivals: [], seq } : await this.#carefully(client, group, net, log, since);
      client.release();
    } catch (err) {
      if (client !== undefined) {
        await client.query('ROLLBACK').catch(() => undefined);
        client.release(true); // a connection in an unknown state is not reused
      }
      this.#fail(group, err);
      return;
    }
    if (written === 'beaten') return;
    this.#written(group, written.rivals, written.seq, count);
  }

  /**
   * The group's transaction with the rivals read under the lock: a group built on a view that
   * lacks a rival's commit about the same call is rolled back ('beaten', see #conflict).
   */
  async #carefully(client: PoolClient, group: Waiting[], net: NetChanges, log: LogEntry, since: number): Promise<{ rivals: LogRow[]; seq: number } | 'beaten'> {
    // Held to COMMIT: the seq numbered here is the newest committed when the lock is released.
    // One round trip (two statements): the rivals' read below must start after the lock is held.
    await client.query(`BEGIN; SELECT pg_advisory_xact_lock(${CHANGE_LOCK})`);
    const rivals = (await client.query<LogRow>(
      'SELECT seq, origin, changes FROM change_log WHERE seq > $1 AND origin <> $2 ORDER BY seq', [since, this.#instance])).rows;
    const beaten = this.#beaten(group, rivals);
    if (beaten.size > 0) {
      await client.query('ROLLBACK');
      this.#conflict(group, beaten, rivals);
      return 'beaten';
    }
    // The NOTIFY is delivered at COMMIT, to every instance listening.
    const seq = await writeGroup(client, net, log);
    await client.query('COMMIT');
    return { rivals, seq };
  }

  /** After the COMMIT of `group` as `seq`, with the rivals read under its lock. */
  #written(group: readonly Waiting[], rivals: readonly LogRow[], seq: number, count: number): void {
    // Rivals committed before us (we held the lock after them): theirs first, then ours.
    const rebuild = this.#takeIn(rivals, [...group, ...this.#queue]);
    for (const w of group) for (const c of w.changes) this.#state.apply(c);
    this.#seq = seq;
    this.#lastSync = Date.now(); // the rivals read under the lock were everything up to our seq
    if (rebuild) this.#rebuildWork();
    this.#revision += count;
    this.#stats.changes += count;
    this.#stats.journalBatches += 1;
    this.#failure = null;
    for (const w of group) w.resolve();
  }

  /**
   * The commits of `group` built on a view that lacks a rival commit about the same call, and
   * those built on them (same call, later in the group or queued).
   */
  #beaten(group: readonly Waiting[], rivals: readonly LogRow[]): Set<Waiting> {
    const beaten = new Set<Waiting>();
    if (rivals.length === 0) return beaten;
    const lost = new Set<string>();
    for (const w of group) {
      const rivalKeys = new Set<string>();
      for (const r of rivals) if (Number(r.seq) > w.builtAt) for (const k of callKeys(r.changes)) rivalKeys.add(k);
      if (overlaps(w.keys, rivalKeys) || overlaps(w.keys, lost)) {
        beaten.add(w);
        for (const k of w.keys) lost.add(k);
      }
    }
    for (const w of this.#queue) {
      if (!overlaps(w.keys, lost)) continue;
      beaten.add(w);
      for (const k of w.keys) lost.add(k);
    }
    return beaten;
  }

  /** Takes in the rivals, rejects the beaten commits (their callers build them again) and requeues the rest. */
  #conflict(group: readonly Waiting[], beaten: ReadonlySet<Waiting>, rivals: readonly LogRow[]): void {
    this.#queue = [...group, ...this.#queue].filter((w) => !beaten.has(w));
    this.#takeIn(rivals, []);
    this.#lastSync = Date.now();
    this.#rebuildWork(); // before the rejections: a caller's retry builds on the rebuilt view
    const e = new CommitConflictError('another instance changed the same call first');
    for (const w of beaten) w.reject(e);
  }

  #fail(group: Waiting[], err: unknown): void {
    const e = new StoreUnavailableError(`the database at ${this.#where} did not take the changes: ${errorText(err)}`, RETRY_AFTER, { cause: err });
    this.#failure = e;
    this.#log('store: a commit failed; its changes were not kept', { error: errorText(err), changes: group.length });
    // Later commits were built on these in #work: they go too, and #work restarts from what is committed.
    const behind = this.#queue;
    this.#queue = [];
    this.#workStale = true;
    for (const w of [...group, ...behind]) w.reject(e);
  }

  async #checkReachable(): Promise<void> {
    try {
      await this.#pool.query('SELECT 1');
      if (this.#failure !== null && this.#writing === null) this.#failure = null;
    } catch (err) {
      this.#failure = new StoreUnavailableError(`the database at ${this.#where} is unreachable: ${errorText(err)}`, RETRY_AFTER, { cause: err });
    }
  }
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function recordKeysOf(changes: readonly Change[]): Set<string> {
  const keys = recordKeys(changes);
  return keys === 'all' ? new Set(['*']) : keys;
}
