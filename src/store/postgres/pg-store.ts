/** @module The PostgreSQL Store: hot reads from memory, commits as grouped transactions, history by SQL. */
import type { Pool, PoolClient } from 'pg';
import type { CallAttempt, MissedCall, Phone, Team } from '../../domain/types.ts';
import type { Change, CollectionName, Collections, DayDerivation, HistoryReads, StoreReads } from '../types.ts';
import type { DurableStore, StoreStats } from '../journaled-store.ts';
import { changeProblem, RETENTION_FLOOR_KEY } from '../changes.ts';
import { isDay } from '../days.ts';
import { StoreUnavailableError } from '../unavailable.ts';
import { derivedValues } from './derived.ts';
import * as sql from './history.ts';
import { copyHotSet, type HotSet } from './hot-set.ts';
import { HotReads } from './hot-reads.ts';
import { NetChanges, writeNet } from './write.ts';

export type Log = (msg: string, fields?: object) => void;

/** Seconds a client is told to wait after a failed commit: about a failover or a restart of the server. */
const RETRY_AFTER = 5;
/** How often reachability is checked for /readyz while nothing commits. */
const PING_MS = 5_000;

interface Waiting {
  changes: Change[];
  resolve(): void;
  reject(e: unknown): void;
}

export interface PgStoreParts {
  pool: Pool;
  state: HotSet;
  log: Log;
  /** The URL without its password, for messages. */
  where: string;
  derivations: readonly DayDerivation[];
}

/**
 * Like the embedded engine, two HotSets built by one `apply`: `#state` is what is committed (every
 * read), `#work` is ahead of it by the commits in flight (`latest()`, for correlation). Commits are
 * queued and written in groups, one transaction per group on one connection, in commit order (the
 * last upsert of a record wins, as it did in memory). A group that fails rejects its commits and
 * every commit queued behind it (they were built on it) and `#work` restarts from `#state`.
 */
export class PgStore implements DurableStore {
  readonly #pool: Pool;
  readonly #log: Log;
  readonly #where: string;
  readonly #state: HotSet;
  readonly #reads: HotReads;
  #work: HotSet;
  #workReads: HotReads;
  #workStale = false;
  #revision = 0;
  #queue: Waiting[] = [];
  #writing: Promise<void> | null = null;
  #failure: StoreUnavailableError | null = null;
  #closing: Promise<void> | null = null;
  readonly #ping: NodeJS.Timeout;
  readonly #stats = { commits: 0, changes: 0, journalBatches: 0, snapshots: 0, filesWritten: 0, replayed: 0 };
  readonly history: HistoryReads;

  constructor(p: PgStoreParts) {
    this.#pool = p.pool;
    this.#log = p.log;
    this.#where = p.where;
    this.#state = p.state;
    this.#reads = new HotReads(p.state);
    this.#work = copyHotSet(p.state);
    this.#workReads = new HotReads(this.#work);
    const derivations = new Map(p.derivations.map((d) => [d.name, d]));
    const pool = p.pool;
    const reads = this.#reads;
    this.history = {
      missedCall: (id) => sql.missedCall(pool, id),
      attempts: (ids) => sql.attemptsById(pool, ids),
      missedCalls: (q) => sql.missedCalls(pool, q),
      attemptsIn: (q) => sql.attemptsIn(pool, q),
      days: () => sql.days(pool),
      async* derived<T>(name: string, days: readonly string[]): AsyncGenerator<{ day: string; value: T }> {
        const d = derivations.get(name);
        if (d === undefined) throw new TypeError(`[ringback] [store] no day derivation named ${name}`);
        yield* derivedValues<T>(pool, d, () => reads, days);
      },
    };
    this.#ping = setInterval(() => void this.#checkReachable(), PING_MS);
    this.#ping.unref();
  }

  /** The database URL without its password. */
  get where(): string {
    return this.#where;
  }

  get stats(): Readonly<StoreStats> {
    return { ...this.#stats };
  }

  // --- hot reads: memory, committed state only ---
  teams(): Team[] { return this.#reads.teams(); }
  team(id: string): Team | undefined { return this.#reads.team(id); }
  phones(): Phone[] { return this.#reads.phones(); }
  phone(mac: string): Phone | undefined { return this.#reads.phone(mac); }
  phoneByToken(token: string): Phone | undefined { return this.#reads.phoneByToken(token); }
  attempt(id: string): CallAttempt | undefined { return this.#reads.attempt(id); }
  recentAttempts(destination: string, callerKey: string, since: string): CallAttempt[] {
    return this.#reads.recentAttempts(destination, callerKey, since);
  }
  attemptByPbxId(pbxCallId: string): CallAttempt | undefined { return this.#reads.attemptByPbxId(pbxCallId); }
  missedCall(id: string): MissedCall | undefined { return this.#reads.missedCall(id); }
  openMissed(team: string): MissedCall[] { return this.#reads.openMissed(team); }
  openMissedByCaller(team: string, callerKey: string): MissedCall | undefined { return this.#reads.openMissedByCaller(team, callerKey); }
  meta<T>(key: string): T | undefined { return this.#reads.meta<T>(key); }
  list<K extends CollectionName>(c: K): Collections[K][] { return this.#reads.list(c); }
  get<K extends CollectionName>(c: K, id: string): Collections[K] | undefined { return this.#reads.get(c, id); }

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
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ changes: kept, resolve, reject });
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
      await this.#drained();
      await this.#pool.end();
    })();
    return this.#closing;
  }

  async #drained(): Promise<void> {
    while (this.#writing !== null) await this.#writing;
  }

  async #writeAll(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        const group = this.#queue;
        this.#queue = [];
        await this.#writeGroup(group);
      }
    } finally {
      this.#writing = null;
    }
  }

  async #writeGroup(group: Waiting[]): Promise<void> {
    const net = new NetChanges();
    let count = 0;
    for (const w of group) {
      for (const c of w.changes) net.add(c);
      count += w.changes.length;
    }
    let client: PoolClient | undefined;
    try {
      client = await this.#pool.connect();
      await client.query('BEGIN');
      await writeNet(client, net);
      await client.query('COMMIT');
      client.release();
    } catch (err) {
      if (client !== undefined) {
        await client.query('ROLLBACK').catch(() => undefined);
        client.release(true); // a connection in an unknown state is not reused
      }
      this.#fail(group, err);
      return;
    }
    for (const w of group) for (const c of w.changes) this.#state.apply(c);
    this.#revision += count;
    this.#stats.changes += count;
    this.#stats.journalBatches += 1;
    this.#failure = null;
    for (const w of group) w.resolve();
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
