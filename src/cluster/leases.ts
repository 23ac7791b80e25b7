/**
 * @module Leases: which instance of several on one database does a thing that must happen once
 * (the scheduled jobs, following one AMI source). One embedded instance holds every lease.
 */
import { hostname } from 'node:os';
import pg from 'pg';

/** Where one lease is held, as `GET /api/jobs` shows it. */
export interface LeaseHolder {
  name: string;
  /** The instance holding it (`host:pid`), null when no instance does (or the database did not answer). */
  holder: string | null;
  /** Whether this instance holds it. */
  here: boolean;
}

export interface Leases {
  /** This instance's name in `holders()`: `host:pid`, unique among instances on one database at a time. */
  readonly self: string;
  /** Who holds each of `names` now. Never throws: an unanswered query shows only what this instance holds. */
  holders(names: readonly string[]): Promise<LeaseHolder[]>;
  /** Whether this instance holds `name` now, taking it if it is free. Never throws (unreachable = not held). */
  acquire(name: string): Promise<boolean>;
  /** Gives `name` up (a source removed), so another instance may take it. */
  release(name: string): Promise<void>;
  close(): Promise<void>;
}

/** The embedded engine: one process per data dir, so it is always the holder. */
export function soleInstance(): Leases {
  const self = instanceName();
  return {
    self, acquire: async () => true, release: async () => undefined, close: async () => undefined,
    holders: async (names) => names.map((name) => ({ name, holder: self, here: true })),
  };
}

/** `host:pid`: what tells two instances apart in `GET /api/jobs` (and in pg_stat_activity). */
export function instanceName(): string {
  return `${hostname().slice(0, 40)}:${process.pid}`;
}

/** The lease connection's application_name; the holder's name follows it (at most 63 bytes are kept). */
const APP_NAME = 'ringback-leases';

type Log = (msg: string, fields?: object) => void;

/** Advisory-lock keys of ours: (this class, hashtext(name)); the migration and change locks are single keys. */
const LEASE_CLASS = 7_260_115;

/**
 * Leases as PostgreSQL session advisory locks on one dedicated connection: held while that session
 * lives. When the holder dies (kill -9, a crash) its socket closes and the server ends the session
 * at once, freeing the locks; a host that vanishes is noticed by TCP keepalive (set
 * tcp_keepalives_idle/interval/count on the server so that takes under 15 s). Another instance's
 * next `acquire` (the callers poll every few seconds) then succeeds.
 */
export function databaseLeases(url: string, log: Log): Leases {
  let client: pg.Client | null = null;
  let connecting: Promise<pg.Client> | null = null;
  const held = new Set<string>();
  let closed = false;
  const self = instanceName();

  const connection = (): Promise<pg.Client> => {
    if (client !== null) return Promise.resolve(client);
    connecting ??= (async () => {
      const c = new pg.Client({
        connectionString: url, application_name: `${APP_NAME} ${self}`, keepAlive: true, keepAliveInitialDelayMillis: 5_000,
        // A partitioned connection must not hang a claim: unanswered in 5 s = not held (the caller stops).
        connectionTimeoutMillis: 5_000, query_timeout: 5_000,
      });
      const lost = (err?: Error): void => {
        if (client !== c) return;
        client = null;
        if (held.size > 0 && !closed) log('cluster: lost the lease connection; leases given up', { leases: [...held], error: err?.message ?? 'ended' });
        held.clear();
        c.end().catch(() => undefined);
      };
      c.on('error', lost);
      c.on('end', () => lost());
      try {
        await c.connect();
      } catch (e) {
        c.end().catch(() => undefined);
        throw e;
      }
      client = c;
      return c;
    })().finally(() => { connecting = null; });
    return connecting;
  };

  return {
    self,
    async holders(names) {
      const mine = (name: string): LeaseHolder => ({ name, holder: held.has(name) ? self : null, here: held.has(name) });
      try {
        // The lock of (LEASE_CLASS, hashtext(name)) shows in pg_locks as classid/objid (objsubid 2), objid as an unsigned oid.
        const { rows } = await (await connection()).query<{ name: string; app: string | null }>(
          `SELECT n.name, a.application_name AS app FROM unnest($1::text[]) AS n(name)
           LEFT JOIN pg_locks l ON l.locktype = 'advisory' AND l.granted AND l.objsubid = 2 AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
             AND l.classid::bigint = $2 AND l.objid::bigint = (hashtext(n.name)::bigint & 4294967295)
           LEFT JOIN pg_stat_activity a ON a.pid = l.pid`, [names, LEASE_CLASS]);
        const by = new Map(rows.map((r) => [r.name, r.app]));
        return names.map((name) => {
          const app = by.get(name) ?? null;
          const holder = app === null ? null : app.startsWith(`${APP_NAME} `) ? app.slice(APP_NAME.length + 1) : app;
          return { name, holder, here: held.has(name) };
        });
      } catch {
        return names.map(mine);
      }
    },
    async acquire(name) {
      if (closed) return false;
      try {
        const c = await connection();
        if (held.has(name)) {
          await c.query('SELECT 1'); // still connected, so still held
          return held.has(name);
        }
        const { rows } = await c.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok', [LEASE_CLASS, name]);
        if (rows[0]?.ok === true) held.add(name);
        return held.has(name);
      } catch {
        // Unsure whether the session still holds them: give them up, so this instance stops acting on them.
        if (client !== null) void client.end().catch(() => undefined);
        return false;
      }
    },
    async release(name) {
      if (!held.delete(name) || client === null) return;
      await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [LEASE_CLASS, name]).catch(() => undefined);
    },
    async close() {
      closed = true;
      held.clear();
      const c = client;
      client = null;
      await c?.end().catch(() => undefined);
    },
  };
}
