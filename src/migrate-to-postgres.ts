/**
 * @module Copies an embedded store into an empty PostgreSQL one through the store contract only,
 * day by day (memory stays bounded by one day plus a batch), and counts both sides to prove it.
 */
import type { Change, Store } from './store/types.ts';
import { RETENTION_FLOOR_KEY } from './store/changes.ts';

/** Changes per commit to PostgreSQL: one transaction each. */
export const BATCH = 1000;

/** What was counted on one side: the rows of the printed table. */
export type Counts = Map<string, number>;

/**
 * Why `source` cannot be copied record for record, or null. A copy re-keys each collection record by
 * its `id` (the contract's PutChange keys them so): a record kept under another key would move.
 */
export function notCopyable(source: Store): string | null {
  for (const c of source.configNames().collections) {
    for (const v of source.list(c) as { id?: unknown }[]) {
      if (typeof v.id !== 'string' || source.get(c, v.id) !== v) return `a record of collection ${c} is not kept under its id`;
    }
  }
  return null;
}

/** Why the target cannot take the copy, or null when it holds nothing at all. */
export async function notEmpty(target: Store): Promise<string | null> {
  const names = target.configNames();
  const days = await target.history.days();
  const held = [
    target.teams().length > 0 ? `${target.teams().length} teams` : '',
    target.phones().length > 0 ? `${target.phones().length} phones` : '',
    names.collections.length > 0 ? `collections ${names.collections.join(', ')}` : '',
    names.meta.length > 0 ? `${names.meta.length} meta keys` : '',
    days.length > 0 ? `calls on ${days.length} days` : '',
  ].filter((x) => x !== '');
  return held.length === 0 ? null : held.join(', ');
}

/**
 * Copies everything of `source` into `target`: meta (the retention floor first), teams, phones,
 * every collection, then every day's attempts and missed calls, oldest day first, committed in
 * batches of BATCH changes. Returns the source's counts, taken while copying.
 */
export async function copyStore(source: Store, target: Store, progress: (day: string, n: number) => void = () => undefined): Promise<Counts> {
  const counts: Counts = new Map();
  let batch: Change[] = [];
  const push = async (c: Change): Promise<void> => {
    batch.push(c);
    if (batch.length >= BATCH) await flush();
  };
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const b = batch;
    batch = [];
    await target.commit(b);
  };
  const names = source.configNames();
  // The floor first: the target then files nothing below it, exactly like the source.
  const meta = [...names.meta].sort((a, b) => Number(b === RETENTION_FLOOR_KEY) - Number(a === RETENTION_FLOOR_KEY));
  for (const key of meta) await push({ t: 'meta', key, value: source.meta(key) });
  counts.set('meta keys', meta.length);
  for (const v of source.teams()) await push({ t: 'team', v });
  counts.set('teams', source.teams().length);
  for (const v of source.phones()) await push({ t: 'phone', v });
  counts.set('phones', source.phones().length);
  for (const c of [...names.collections].sort()) {
    const records = source.list(c) as { id: string }[];
    for (const v of records) await push({ t: 'put', c, id: v.id, v } as Change);
    counts.set(`collection ${c}`, records.length);
  }
  await flush();
  let open = 0;
  for (const day of await source.history.days()) {
    const range = dayRange(day);
    let attempts = 0;
    for await (const v of source.history.attemptsIn(range)) {
      await push({ t: 'attempt', v });
      attempts += 1;
    }
    let missed = 0;
    for await (const v of source.history.missedCalls(range)) {
      await push({ t: 'missed', v });
      missed += 1;
      if (v.status === 'pending' || v.status === 'assigned') open += 1;
    }
    await flush();
    counts.set(`${day} attempts`, attempts);
    counts.set(`${day} missed calls`, missed);
    progress(day, attempts + missed);
  }
  counts.set('open entries', open);
  return counts;
}

/** The same counts of a store, read back (for the target once the copy is committed). */
export async function countStore(store: Store): Promise<Counts> {
  const counts: Counts = new Map();
  const names = store.configNames();
  counts.set('meta keys', names.meta.length);
  counts.set('teams', store.teams().length);
  counts.set('phones', store.phones().length);
  for (const c of [...names.collections].sort()) counts.set(`collection ${c}`, store.list(c).length);
  let open = 0;
  for (const day of await store.history.days()) {
    const range = dayRange(day);
    let attempts = 0;
    for await (const _ of store.history.attemptsIn(range)) attempts += 1;
    let missed = 0;
    for await (const m of store.history.missedCalls(range)) {
      missed += 1;
      if (m.status === 'pending' || m.status === 'assigned') open += 1;
    }
    counts.set(`${day} attempts`, attempts);
    counts.set(`${day} missed calls`, missed);
  }
  counts.set('open entries', open);
  return counts;
}

/** Rows of `what`, `before`, `after`, and whether every row matches. */
export function compareCounts(before: Counts, after: Counts): { rows: { what: string; before: number; after: number }[]; ok: boolean } {
  const keys = [...new Set([...before.keys(), ...after.keys()])];
  const rows = keys.map((what) => ({ what, before: before.get(what) ?? 0, after: after.get(what) ?? 0 }));
  return { rows, ok: rows.every((r) => r.before === r.after) };
}

function dayRange(day: string): { from: string; to: string } {
  const next = new Date(Date.parse(`${day}T00:00:00.000Z`) + 86_400_000).toISOString();
  return { from: `${day}T00:00:00.000Z`, to: next };
}
