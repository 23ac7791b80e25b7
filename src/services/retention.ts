/**
 * @module Retention: call data older than N days is deleted by whole day partitions (the store's
 * `dropDaysBefore`), nightly, and every run that removed something is recorded — which days, how
 * many records — in the `retentionRuns` collection (and handed to the audit trail when one is wired).
 * Notification records hold callers' data too; they go after at most a week, never later than N days.
 */
import { randomUUID } from 'node:crypto';
import { dayOf } from '../store/days.ts';
import type { Change, Store } from '../store/types.ts';

declare module '../store/types.ts' {
  interface Collections {
    retentionRuns: RetentionRun;
  }
}

/** What one retention run removed. */
export interface RetentionRun {
  id: string;
  at: string;
  keepDays: number;
  /** Call data of days before this one (UTC) is gone. */
  cutoffDay: string;
  /** The days whose partitions were deleted, oldest first. */
  days: string[];
  attempts: number;
  missed: number;
  /** Of `missed`, how many were still open (pending or assigned) when deleted. */
  openMissed: number;
  /** Outbox records and closed health incidents forgotten with them. */
  notifications: number;
  incidents: number;
}

export interface RetentionStatus {
  retentionDays: number;
  /** The oldest day (UTC) that still holds call data; null when there is none. */
  oldestKeptDay: string | null;
  /** Days before this one are deleted by the next run. */
  cutoffDay: string;
  lastRun: RetentionRun | null;
}

export interface RetentionOptions {
  store: Store;
  /** Keep this many whole days before today (UTC); at least 1. A function: read at each run (the dashboard may change it). */
  days: number | (() => number);
  /** Forgets old outbox records (the notifier's); optional. */
  outbox?: { prune(before: string): Promise<number> };
  /** Called with each run that removed something, e.g. to write it into the audit trail. */
  onRun?: (run: RetentionRun) => Promise<void>;
  log?: { info(details: object, message: string): void };
}

export interface Retention {
  /** Deletes what is older than the setting; returns the run's record, or null when nothing was due. */
  run(now: Date): Promise<RetentionRun | null>;
  status(now: Date): Promise<RetentionStatus>;
}

/** Outbox records are kept this long for troubleshooting (never longer than the retention days). */
const NOTIFICATION_KEEP_DAYS = 7;
/** Closed health incidents are kept this long (never longer than the retention days). */
const INCIDENT_KEEP_DAYS = 30;
const DAY = 86_400_000;

/** The first day kept: every call is kept at least `days` full days (up to one more, until the next run). */
export function cutoffDay(now: Date, days: number): string {
  return dayOf(new Date(now.getTime() - days * DAY).toISOString());
}

export function createRetention(opts: RetentionOptions): Retention {
  const { store } = opts;
  const keepDays = (): number => {
    const d = typeof opts.days === 'function' ? opts.days() : opts.days;
    if (!Number.isInteger(d) || d < 1) throw new Error('[ringback] [retention] days must be a whole number ≥ 1');
    return d;
  };
  keepDays();
  let running: Promise<RetentionRun | null> | null = null;

  async function run(now: Date): Promise<RetentionRun | null> {
    const keep = keepDays();
    const cutoff = cutoffDay(now, keep);
    const days = (await store.history.days()).filter((d) => d < cutoff);
    let attempts = 0;
    let missed = 0;
    let openMissed = 0;
    for await (const _ of store.history.attemptsIn({ to: cutoff })) attempts += 1;
    for await (const m of store.history.missedCalls({ to: cutoff })) {
      missed += 1;
      if (m.status === 'pending' || m.status === 'assigned') openMissed += 1;
    }
    // The store raises its retention floor through the journal first, so the days stay gone after a crash.
    if (days.length > 0) await store.dropDaysBefore(cutoff);
    const notifications = await (opts.outbox?.prune(keepFrom(now, Math.min(NOTIFICATION_KEEP_DAYS, keep))) ?? Promise.resolve(0));
    const incidents = await pruneIncidents(keepFrom(now, Math.min(INCIDENT_KEEP_DAYS, keep)));
    if (days.length === 0 && notifications === 0 && incidents === 0) return null;
    const record: RetentionRun = {
      id: randomUUID(), at: now.toISOString(), keepDays: keep, cutoffDay: cutoff, days, attempts, missed, openMissed,
      notifications, incidents,
    };
    await store.commit([{ t: 'put', c: 'retentionRuns', id: record.id, v: record }]);
    opts.log?.info({ cutoffDay: cutoff, days, attempts, missed, openMissed, notifications, incidents }, 'retention: old data deleted');
    await opts.onRun?.(record);
    return record;
  }

  async function pruneIncidents(before: string): Promise<number> {
    const changes: Change[] = store.list('healthIncidents')
      .filter((i) => i.closedAt !== null && i.closedAt < before)
      .map((i) => ({ t: 'del', c: 'healthIncidents', id: i.id }));
    if (changes.length > 0) await store.commit(changes);
    return changes.length;
  }

  return {
    run(now) {
      running ??= run(now).finally(() => {
        running = null;
      });
      return running;
    },
    async status(now) {
      const runs = store.list('retentionRuns');
      const lastRun = runs.reduce<RetentionRun | null>((last, r) => (last === null || r.at > last.at ? r : last), null);
      const keep = keepDays();
      return { retentionDays: keep, oldestKeptDay: (await store.history.days())[0] ?? null, cutoffDay: cutoffDay(now, keep), lastRun };
    },
  };
}

// --- Internal helpers ---

function keepFrom(now: Date, days: number): string {
  return new Date(now.getTime() - days * DAY).toISOString();
}
