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

export interface MissedQuery {
  team?: string;
  status?: MissedCall['status'];
  /** Matching key of the caller (normalised), or a raw substring. */
  caller?: string;
  /** firstAt >= from, firstAt < to (ISO). */
  from?: string;
  to?: string;
}

export interface AttemptQuery {
  destination?: string;
  from?: string;
  to?: string;
}

/** What can be read of the store: all served from memory (indexes). */
export interface StoreReads {
  teams(): Team[];
  team(id: string): Team | undefined;
  phones(): Phone[];
  phone(mac: string): Phone | undefined;
  phoneByToken(token: string): Phone | undefined;

  attempt(id: string): CallAttempt | undefined;
  /** Attempts to `destination` from `callerKey` whose last event is at or after `since` (newest first). */
  recentAttempts(destination: string, callerKey: string, since: string): CallAttempt[];
  /** Attempts by PBX call id. */
  attemptByPbxId(pbxCallId: string): CallAttempt | undefined;
  attempts(q: AttemptQuery): Iterable<CallAttempt>;

  missedCall(id: string): MissedCall | undefined;
  /** Open (pending or assigned) missed calls of a team, newest `lastAt` first. Served from an index. */
  openMissed(team: string): MissedCall[];
  /** The open missed call of one caller to one team, if any. */
  openMissedByCaller(team: string, callerKey: string): MissedCall | undefined;
  /** All missed calls matching, newest `firstAt` first. */
  missedCalls(q: MissedQuery): Iterable<MissedCall>;

  meta<T>(key: string): T | undefined;
  /** One collection's records (insertion order). */
  list<K extends CollectionName>(c: K): Collections[K][];
  get<K extends CollectionName>(c: K, id: string): Collections[K] | undefined;
  /** Days (`YYYY-MM-DD`, UTC) that hold call data, oldest first. */
  days(): string[];
}

/**
 * The store. Reads show acknowledged state only: a change becomes visible once its journal batch
 * is fsync'd, so no screen, API answer or notification ever shows what a full disk or a crash could
 * still take back. Every change goes through `commit`; concurrent commits share one journal write
 * (group commit).
 */
export interface Store extends StoreReads {
  /**
   * Acknowledged state plus changes committed but not yet durable. For decisions a writer bases its
   * next change on (correlating a phone event with the calls a moment before it, so simultaneous
   * events of a ring group are one call), never for what is shown.
   */
  latest(): StoreReads;
  /** Grows with every change that became visible: equal revisions mean nothing changed (cache keys). */
  revision(): number;
  /**
   * Resolves once the changes are durable and visible. Rejects with StoreUnavailableError when they
   * cannot be made durable (full or failing disk): then they were never shown and are not kept.
   */
  commit(changes: Change[]): Promise<void>;
  /** Delete every call partition of a day before `day` (retention); returns the days removed. */
  dropDaysBefore(day: string): Promise<string[]>;
  /** Write snapshots of everything changed and cut the journal. */
  flush(): Promise<void>;
  close(): Promise<void>;
}
