/** @module The storage contract: what services read and how they commit changes durably. */
import type { CallAttempt, MissedCall, PbxSource, Phone, Team } from '../domain/types.ts';
import type { Contact } from '../domain/contacts.ts';
import type { HealthIncident } from '../domain/incidents.ts';

/**
 * Small keyed collections kept with the configuration (contacts, API tokens, outbox…), `name:
 * RecordType`; values must be JSON. The store imports no feature: a feature adds its collection
 * from its own file (`declare module '../store/types.ts' { interface Collections { … } }`, see
 * `services/audit-types.ts`); the ones here hold domain records.
 */
export interface Collections {
  pbxSources: PbxSource;
  contacts: Contact;
  healthIncidents: HealthIncident;
}
export type CollectionName = keyof Collections;

/** Upsert of one collection record, keyed by `id`. */
export type PutChange = { [K in CollectionName]: { t: 'put'; c: K; id: string; v: Collections[K] } }[CollectionName];

/** One durable change. Records are whole values (upserts), so replaying a change twice is harmless. */
export type Change =
  | PutChange
  | { t: 'del'; c: CollectionName; id: string }
  | { t: 'team'; v: Team }
  | { t: 'phone'; v: Phone }
  | { t: 'attempt'; v: CallAttempt }
  | { t: 'missed'; v: MissedCall }
  | { t: 'del-team'; id: string }
  | { t: 'del-phone'; mac: string }
  | { t: 'del-missed'; id: string }
  | { t: 'meta'; key: string; value: unknown };

/**
 * Where a newest-first listing stopped: the sort instant (`firstAt` / `firstRingAt`) and id of the
 * last record seen. A query with `after` resumes strictly after it, so pages never repeat or skip.
 */
export interface Cursor {
  at: string;
  id: string;
}

export interface MissedQuery {
  team?: string;
  status?: MissedCall['status'];
  /** Matching key of the caller (normalised), or a raw substring. */
  caller?: string;
  /** firstAt >= from, firstAt < to (ISO). */
  from?: string;
  to?: string;
  /** Resume after this record (newest-first `firstAt`, then id). */
  after?: Cursor;
}

export interface AttemptQuery {
  destination?: string;
  /** firstRingAt >= from, firstRingAt < to (ISO). */
  from?: string;
  to?: string;
  /** Resume after this record (newest-first `firstRingAt`, then id). */
  after?: Cursor;
}

/**
 * Hot reads: synchronous and from memory in every engine. The HOT set is every open (pending or
 * assigned) missed call, every attempt and missed call of the newest `hotDays` UTC days holding
 * data, and all configuration (inventory, settings, collections, meta). Correlation and phone
 * screens build on these without an await, which is what keeps a ring group's simultaneous events
 * one call. Everything else (closed entries of older days) is read through `Store.history`.
 */
export interface StoreReads {
  teams(): Team[];
  team(id: string): Team | undefined;
  phones(): Phone[];
  phone(mac: string): Phone | undefined;
  phoneByToken(token: string): Phone | undefined;

  /**
   * A hot attempt: one of the hot days. `undefined` for history (an older day): use
   * `store.history.attempts([id])` when an old record may be asked for.
   */
  attempt(id: string): CallAttempt | undefined;
  /** Attempts to `destination` from `callerKey` whose last event is at or after `since` (newest first). */
  recentAttempts(destination: string, callerKey: string, since: string): CallAttempt[];
  /** Attempts by PBX call id. */
  attemptByPbxId(pbxCallId: string): CallAttempt | undefined;

  /**
   * A hot missed call: an open entry, or one whose last call is inside the hot window. `undefined`
   * for history: use `store.history.missedCall(id)` when a closed, older entry may be asked for.
   */
  missedCall(id: string): MissedCall | undefined;
  /** Open (pending or assigned) missed calls of a team, newest `lastAt` first. Served from an index. */
  openMissed(team: string): MissedCall[];
  /** The open missed call of one caller to one team, if any. */
  openMissedByCaller(team: string, callerKey: string): MissedCall | undefined;

  meta<T>(key: string): T | undefined;
  /** One collection's records (insertion order). */
  list<K extends CollectionName>(c: K): Collections[K][];
  get<K extends CollectionName>(c: K, id: string): Collections[K] | undefined;
}

/**
 * History reads: everything ever kept (hot and older days), asynchronous (an engine may read it
 * from disk or a database), acknowledged state only: never a change still in flight.
 */
export interface HistoryReads {
  /** A missed call by id, whatever its day. */
  missedCall(id: string): Promise<MissedCall | undefined>;
  /** Attempts by id, any day; ids not found are absent from the map. */
  attempts(ids: readonly string[]): Promise<Map<string, CallAttempt>>;
  /** Missed calls matching, newest `firstAt` (then id) first. Lazy: stop iterating and no more days are read. */
  missedCalls(q: MissedQuery): AsyncIterable<MissedCall>;
  /** Attempts matching, newest `firstRingAt` (then id) first. Lazy like `missedCalls`. */
  attemptsIn(q: AttemptQuery): AsyncIterable<CallAttempt>;
  /** Days (`YYYY-MM-DD`, UTC) holding call data, oldest first. */
  days(): Promise<string[]>;
  /**
   * The values of the derivation registered as `name` (see DayDerivation) for those of `days` that
   * hold call data, in the order asked. Rejects for a name no derivation was registered under.
   */
  derived<T>(name: string, days: readonly string[]): AsyncIterable<{ day: string; value: T }>;
}

/**
 * A per-day value derived from exactly one day's records (attempts by `firstRingAt` day, missed
 * calls by `firstAt` day): report aggregates, so a report over a month reads 30 values instead of
 * every call. Registered when the store opens (`openStore({ dir, derivations })`: the store
 * imports no feature). The engine keeps each value equal to a fresh `derive` over the day's current
 * records. It does NOT track configuration changes (a team's time zone): a value should carry what
 * it assumed, and the reader recomputes a day whose assumption no longer holds.
 */
export interface DayDerivation<T = unknown> {
  name: string;
  /** Bump when the shape or meaning changes: older stored values are recomputed. */
  version: number;
  derive(day: string, attempts: readonly CallAttempt[], missed: readonly MissedCall[], config: StoreReads): T;
}

/**
 * The store. Reads show acknowledged state only: a change becomes visible once its journal batch
 * is fsync'd, so no screen, API answer or notification ever shows what a full disk or a crash could
 * still take back. Every change goes through `commit`; concurrent commits share one journal write
 * (group commit).
 */
export interface Store extends StoreReads {
  /** Everything ever kept, hot and older days: asynchronous. */
  readonly history: HistoryReads;
  /**
   * Acknowledged state plus changes committed but not yet durable. For decisions a writer bases its
   * next change on (correlating a phone event with the calls a moment before it, so simultaneous
   * events of a ring group are one call), never for what is shown.
   */
  latest(): StoreReads;
  /**
   * Every meta key and every collection name holding records (acknowledged state), so a whole
   * store can be copied without knowing every feature's names (`migrate-to-postgres`).
   */
  configNames(): { meta: string[]; collections: CollectionName[] };
  /** Grows with every change that became visible: equal revisions mean nothing changed (cache keys). */
  revision(): number;
  /**
   * Resolves once the changes are durable and visible. Rejects with StoreUnavailableError when they
   * cannot be made durable (full or failing disk): then they were never shown and are not kept.
   */
  commit(changes: Change[]): Promise<void>;
  /** Delete every call partition of a day before `day` (retention) and its derived values; returns the days removed. */
  dropDaysBefore(day: string): Promise<string[]>;
  /** Write snapshots of everything changed and cut the journal. */
  flush(): Promise<void>;
  close(): Promise<void>;
}
