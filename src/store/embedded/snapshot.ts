/** @module Snapshots: what changed is captured at the journal cut, then written as lowdb files (cold days merged). */
import { join } from 'node:path';
import { Low } from 'lowdb';
import type { CallAttempt, MissedCall } from '../../domain/types.ts';
import type { DayDerivation, StoreReads } from '../types.ts';
import type { ColdDays } from './cold-days.ts';
import { removeFilesDurably } from './durable-file.ts';
import { CALLS_DIR, type ConfigData, DERIVED_DIR, configFile, filesOfDays, INDEX_DIR, type PartitionData } from './files.ts';
import { writeDayFile } from './day-file-io.ts';
import { type Changed, previousLines } from './day-file-reuse.ts';
import type { Partition } from './partitions.ts';
import { dayStamp } from './sidecars.ts';
import { writeDaySidecars } from './sidecar-values.ts';
import type { StoreState } from './state.ts';

/** One day to write: a complete day's records, or a cold day's overlay to merge into its file. */
type DayPlan =
  | { day: string; kind: 'complete'; data: PartitionData; sidecars: boolean; reuse: Reuse | null }
  | { day: string; kind: 'sidecars'; data: PartitionData }
  | { day: string; kind: 'merge'; attempts: CallAttempt[]; missed: MissedCall[]; goneAttempts: Set<string>; goneMissed: Set<string>; rewrite?: true }
  | { day: string; kind: 'delete' };

/** The file a complete day's previous snapshot wrote, and what changed since: their lines are copied from it. */
interface Reuse {
  generation: number;
  changed: Changed;
}

/**
 * A complete day's records, captured for a write. From here on, memory notes the day's changes
 * against the file this write makes; what changed before is in `reuse`.
 */
function completeData(state: StoreState, p: Partition): { data: PartitionData; reuse: Reuse | null } {
  const generation = state.fileGeneration.get(p.day) ?? 0;
  const reuse = p.written !== null && p.written === generation && state.onDisk.has(p.day)
    ? { generation, changed: { attempts: p.unwrittenAttempts, missed: p.unwrittenMissed } }
    : null;
  p.unwrittenAttempts = new Set();
  p.unwrittenMissed = new Set();
  p.written = -1; // being written: nothing is known until the write ends (writeSnapshot sets it)
  return { data: { attempts: [...p.attempts.values()], missed: [...p.missed.values()] }, reuse };
}

/** What one snapshot writes, captured synchronously at the moment the journal is cut. */
export interface SnapshotPlan {
  config: ConfigData | null;
  days: DayPlan[];
  /** Missed-call ids deleted while their day was unknown: every cold day file is searched for them. */
  goneAnywhere: Set<string>;
}

export interface SnapshotDeps {
  dir: string;
  state: StoreState;
  cold: ColdDays;
  derivations: readonly DayDerivation[];
  reads: StoreReads;
  log: (msg: string, fields?: object) => void;
}

/**
 * Synchronous: takes the dirty set and shallow copies of what to write, then clears the flags.
 * `deferNewest` (a background snapshot): the newest day's file is written without its index and
 * derived values. Under a stream of events that day is dirty at every snapshot and holds the most
 * records, and neither is read while it is hot (history reads memory; a report derives a changing
 * day from memory); they are owed until the day is no longer the newest, or a flush.
 */
export function captureSnapshot(state: StoreState, opts: { deferNewest: boolean } = { deferNewest: false }): SnapshotPlan {
  const newest = opts.deferNewest ? state.knownDays().at(-1) : undefined;
  const config = state.configDirty
    ? {
      teams: [...state.teams.values()], phones: [...state.phones.values()], meta: Object.fromEntries(state.meta),
      collections: Object.fromEntries([...state.collections].map(([name, records]) => [name, Object.fromEntries(records)])),
    }
    : null;
  state.configDirty = false;
  const goneAnywhere = new Set(state.partitions.goneMissedAnywhere);
  const days: DayPlan[] = [];
  const planned = new Set<string>();
  for (const day of state.partitions.takeDirty()) {
    planned.add(day);
    const p = state.partitions.get(day);
    if (p === undefined || (p.complete && state.partitions.forgetIfEmpty(day))) days.push({ day, kind: 'delete' });
    else if (p.complete) days.push({ day, kind: 'complete', ...completeData(state, p), sidecars: day !== newest });
    else {
      days.push({ day, kind: 'merge', attempts: [...p.attempts.values()], missed: [...p.missed.values()],
        goneAttempts: new Set(p.goneAttempts), goneMissed: new Set(p.goneMissed) });
    }
  }
  // Format-1 files already read whole once: rewritten in format 2 now, so they never are again.
  for (const day of state.legacyDays) {
    if (planned.has(day) || day < state.floor) continue;
    planned.add(day);
    const p = state.partitions.get(day);
    if (p?.complete === true) days.push({ day, kind: 'complete', ...completeData(state, p), sidecars: true });
    else if (state.onDisk.has(day)) {
      days.push({ day, kind: 'merge', attempts: [...p?.attempts.values() ?? []], missed: [...p?.missed.values() ?? []],
        goneAttempts: new Set(p?.goneAttempts), goneMissed: new Set(p?.goneMissed), rewrite: true });
    }
  }
  state.legacyDays.clear();
  // A clean day whose file went out without its sidecars: they are written now, from memory (which
  // holds the day as its file is), unless it is still the newest day of a background snapshot.
  for (const day of [...state.sidecarsOwed]) {
    if (planned.has(day) || day === newest) continue;
    const p = state.partitions.get(day);
    if (p?.complete !== true || !state.onDisk.has(day)) {
      state.sidecarsOwed.delete(day); // dropped by retention or deleted: nothing is owed
      continue;
    }
    planned.add(day);
    days.push({ day, kind: 'sidecars', data: { attempts: [...p.attempts.values()], missed: [...p.missed.values()] } });
  }
  if (goneAnywhere.size > 0) {
    for (const day of state.onDisk) {
      if (planned.has(day) || state.partitions.get(day)?.complete === true) continue;
      days.push({ day, kind: 'merge', attempts: [], missed: [], goneAttempts: new Set(), goneMissed: new Set() });
    }
  }
  for (const d of days) if (d.kind !== 'sidecars') state.writing.add(d.day);
  return { config, days, goneAnywhere };
}

/** After a failed write: the same things are dirty again, so the next snapshot retries them. */
export function restoreDirty(state: StoreState, plan: SnapshotPlan): void {
  if (plan.config !== null) state.configDirty = true;
  for (const d of plan.days) {
    const { day } = d;
    state.writing.delete(day);
    if (d.kind === 'sidecars') continue; // still owed: the next snapshot plans it again
    const p = state.partitions.get(day);
    if (d.kind === 'complete' && p !== undefined) state.partitions.unknownWritten(p);
    if (d.kind === 'merge' && d.rewrite === true) state.legacyDays.add(day);
    // A day memory holds nothing of (a rewrite, a search for ids gone anywhere) is not dirty: that
    // would plan it as deleted. Those are planned again from legacyDays and goneMissedAnywhere.
    if (day >= state.floor && state.partitions.get(day) !== undefined) state.partitions.markDirty(day);
  }
}

/**
 * Writes a plan durably, one day file at a time (each stringify blocks the loop only for its own
 * day). Days that fell below the retention floor since the capture are skipped: retention deletes
 * them. config.json comes last.
 * Returns the number of lowdb files written.
 */
export async function writeSnapshot(deps: SnapshotDeps, plan: SnapshotPlan): Promise<number> {
  const { dir, state } = deps;
  // The capture may have run inside commit(); stringifying starts on a later turn of the event loop.
  await new Promise<void>((resolve) => setImmediate(resolve));
  let files = 0;
  for (const d of plan.days) {
    try {
      if (d.day < state.floor) continue;
      if (d.kind === 'sidecars') {
        const stamp = await dayStamp(dir, d.day);
        if (stamp !== null) await writeDaySidecars(dir, d.day, d.data, stamp, deps.derivations, deps.reads, deps.log);
        state.sidecarsOwed.delete(d.day);
        continue;
      }
      const data = d.kind === 'complete' ? d.data : d.kind === 'merge' ? await merged(deps, d, plan.goneAnywhere) : null;
      if (data === undefined) continue; // a search for ids gone anywhere found none in this day
      if (data === null || (data.attempts.length === 0 && data.missed.length === 0)) {
        if (state.onDisk.has(d.day)) await deleteDays(deps, [d.day]);
        continue;
      }
      const previous = d.kind === 'complete' && d.reuse !== null && d.reuse.generation === (state.fileGeneration.get(d.day) ?? 0)
        ? await previousLines(dir, d.day, d.reuse.changed) : undefined;
      await writeDayFile(dir, d.day, data, previous);
      state.markOnDisk(d.day, true);
      const p = state.partitions.get(d.day);
      // Changes since the capture were noted as unwritten: the file just written is their base.
      if (d.kind === 'complete' && p?.complete === true && p.written === -1) p.written = state.fileGeneration.get(d.day) ?? 0;
      deps.cold.forget(d.day);
      files += 1;
      if (d.kind === 'complete' && !d.sidecars) {
        state.sidecarsOwed.add(d.day);
        continue;
      }
      state.sidecarsOwed.delete(d.day);
      const stamp = await dayStamp(dir, d.day);
      if (stamp !== null) await writeDaySidecars(dir, d.day, data, stamp, deps.derivations, deps.reads, deps.log);
    } finally {
      state.writing.delete(d.day);
    }
    if (d.kind === 'merge') state.settleCold(d.day);
  }
  if (plan.config !== null) {
    await new Low(configFile(dir), plan.config).write();
    files += 1;
  }
  for (const id of plan.goneAnywhere) state.partitions.goneMissedAnywhere.delete(id);
  state.evictCold();
  return files;
}

/** Deletes day files and their sidecars. */
export async function deleteDays(deps: Pick<SnapshotDeps, 'dir' | 'state' | 'cold'>, days: readonly string[]): Promise<void> {
  if (days.length === 0) return;
  for (const day of days) {
    deps.state.markOnDisk(day, false);
    deps.state.sidecarsOwed.delete(day);
    deps.cold.forget(day);
  }
  const set = new Set(days);
  await removeFilesDurably(join(deps.dir, CALLS_DIR), await filesOfDays(deps.dir, CALLS_DIR, set));
  await removeFilesDurably(join(deps.dir, DERIVED_DIR), await filesOfDays(deps.dir, DERIVED_DIR, set));
  await removeFilesDurably(join(deps.dir, INDEX_DIR), days.map((day) => `${day}.json`));
}

/** Deletes day files below the retention floor. */
export async function removeDaysBelowFloor(deps: Pick<SnapshotDeps, 'dir' | 'state' | 'cold'>): Promise<string[]> {
  const below = [...deps.state.onDisk].filter((day) => day < deps.state.floor).sort();
  await deleteDays(deps, below);
  return below;
}

/** The day file's records with the overlay applied; undefined when a pure search changed nothing. */
async function merged(deps: SnapshotDeps, d: Extract<DayPlan, { kind: 'merge' }>,
  goneAnywhere: ReadonlySet<string>): Promise<PartitionData | undefined> {
  const file = deps.state.onDisk.has(d.day)
    ? await deps.cold.read(d.day, deps.state.fileGeneration.get(d.day) ?? 0)
    : { attempts: [], missed: [] };
  const overA = new Map(d.attempts.map((a) => [a.id, a]));
  const overM = new Map(d.missed.map((m) => [m.id, m]));
  const attempts = file.attempts.filter((a) => !overA.has(a.id) && !d.goneAttempts.has(a.id));
  const missed = file.missed.filter((m) => !overM.has(m.id) && !d.goneMissed.has(m.id) && !goneAnywhere.has(m.id));
  const pureSearch = d.attempts.length === 0 && d.missed.length === 0 && d.goneAttempts.size === 0 && d.goneMissed.size === 0;
  if (pureSearch && d.rewrite !== true && missed.length === file.missed.length) return undefined;
  return { attempts: [...attempts, ...overA.values()], missed: [...missed, ...overM.values()] };
}
