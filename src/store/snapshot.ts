/** @module Snapshots as lowdb files: config.json and calls/<day>.json, loaded at open and rewritten when dirty. */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import type { CallAttempt, MissedCall, Phone, Team } from '../domain/types.ts';
import { isObject, recordProblem } from './changes.ts';
import { DurableJsonFile, removeFilesDurably } from './durable-file.ts';
import type { StoreState } from './state.ts';

export interface ConfigData {
  teams: Team[];
  phones: Phone[];
  meta: Record<string, unknown>;
  /** Absent in files written before collections existed. */
  collections?: Record<string, Record<string, unknown>>;
}

export interface PartitionData {
  attempts: CallAttempt[];
  missed: MissedCall[];
}

/** What one snapshot writes, captured synchronously at the moment the journal is cut. */
export interface SnapshotPlan {
  config: ConfigData | null;
  /** data null = the day became empty: delete its file */
  days: { day: string; data: PartitionData | null }[];
}

export const CONFIG_FILE = 'config.json';
export const CALLS_DIR = 'calls';
const DAY_FILE = /^(\d{4}-\d{2}-\d{2})\.json$/;

export function dayFileName(day: string): string {
  return `${day}.json`;
}

export function configFile(dir: string): DurableJsonFile<ConfigData> {
  return new DurableJsonFile(join(dir, CONFIG_FILE), validateConfig);
}

export function partitionFile(dir: string, day: string): DurableJsonFile<PartitionData> {
  return new DurableJsonFile(join(dir, CALLS_DIR, dayFileName(day)), validatePartition);
}

/** Day files present in `calls/`, ascending. */
export async function listDayFiles(dir: string): Promise<string[]> {
  const days: string[] = [];
  for (const name of await readdir(join(dir, CALLS_DIR))) {
    const m = DAY_FILE.exec(name);
    if (m?.[1] !== undefined) days.push(m[1]);
  }
  return days.sort();
}

/**
 * Reads the snapshot into `state`: config first (it carries the retention floor), then every day
 * file at or above the floor. Returns the day files below the floor (leftovers of a drop that
 * crashed before deleting them: stale, to be deleted, never loaded).
 */
export async function loadSnapshot(dir: string, state: StoreState, onDisk: Set<string>): Promise<string[]> {
  const empty: ConfigData = { teams: [], phones: [], meta: {} };
  const config = new Low<ConfigData>(configFile(dir), empty);
  await config.read();
  state.loadConfig(config.data.teams, config.data.phones, config.data.meta, config.data.collections);
  const configMissing = config.data === empty;

  const stale: string[] = [];
  const misfiled = new Set<string>();
  for (const day of await listDayFiles(dir)) {
    if (day < state.floor) {
      stale.push(day);
      continue;
    }
    onDisk.add(day);
    const db = new Low<PartitionData>(partitionFile(dir, day), { attempts: [], missed: [] });
    await db.read();
    for (const a of db.data.attempts) {
      const put = state.putAttempt(a);
      // A record in the wrong file or in two files (a crash between two day writes): the journal
      // still holds its latest value; rewrite both days at the next snapshot.
      if (put !== undefined || state.partitions.get(day)?.attempts.get(a.id) !== a) {
        misfiled.add(day);
        if (typeof put === 'string') misfiled.add(put);
      }
    }
    for (const m of db.data.missed) {
      const put = state.putMissed(m);
      if (put !== undefined || state.partitions.get(day)?.missed.get(m.id) !== m) {
        misfiled.add(day);
        if (typeof put === 'string') misfiled.add(put);
      }
    }
  }
  state.partitions.takeDirty(); // what was just read is what is on disk
  for (const day of misfiled) state.partitions.markDirty(day);
  // A new store writes config.json at its first snapshot, so the layout is complete from then on.
  state.configDirty = configMissing;
  return stale;
}

/** Synchronous: takes the dirty set and shallow copies of what to write, then clears the flags. */
export function captureSnapshot(state: StoreState): SnapshotPlan {
  const config = state.configDirty
    ? {
      teams: [...state.teams.values()], phones: [...state.phones.values()], meta: Object.fromEntries(state.meta),
      collections: Object.fromEntries([...state.collections].map(([name, records]) => [name, Object.fromEntries(records)])),
    }
    : null;
  state.configDirty = false;
  const days: SnapshotPlan['days'] = [];
  for (const day of state.partitions.takeDirty()) {
    const p = state.partitions.get(day);
    if (p === undefined || state.partitions.forgetIfEmpty(day)) {
      days.push({ day, data: null });
    } else {
      days.push({ day, data: { attempts: [...p.attempts.values()], missed: [...p.missed.values()] } });
    }
  }
  return { config, days };
}

/** After a failed write: the same things are dirty again, so the next snapshot retries them. */
export function restoreDirty(state: StoreState, plan: SnapshotPlan): void {
  if (plan.config !== null) state.configDirty = true;
  for (const { day } of plan.days) if (day >= state.floor) state.partitions.markDirty(day);
}

/**
 * Writes a plan durably, one day file at a time (each stringify blocks the loop only for its own
 * day). Days that fell below the retention floor since the capture are skipped: retention deletes them.
 */
export async function writeSnapshot(dir: string, plan: SnapshotPlan, state: StoreState,
  onDisk: Set<string>): Promise<number> {
  // The capture may have run inside commit(); stringifying starts on a later turn of the event loop.
  await new Promise<void>((resolve) => setImmediate(resolve));
  let files = 0;
  const gone: string[] = [];
  for (const { day, data } of plan.days) {
    if (day < state.floor) continue;
    if (data === null) {
      if (onDisk.delete(day)) gone.push(dayFileName(day));
      continue;
    }
    await new Low(partitionFile(dir, day), data).write();
    onDisk.add(day);
    files += 1;
  }
  await removeFilesDurably(join(dir, CALLS_DIR), gone);
  if (plan.config !== null) {
    await new Low(configFile(dir), plan.config).write();
    files += 1;
  }
  return files;
}

/** Deletes day files below the retention floor. */
export async function removeDaysBelowFloor(dir: string, state: StoreState, onDisk: Set<string>): Promise<string[]> {
  const below = [...onDisk].filter((day) => day < state.floor).sort();
  for (const day of below) onDisk.delete(day);
  await removeFilesDurably(join(dir, CALLS_DIR), below.map(dayFileName));
  return below;
}

function validateConfig(data: unknown): ConfigData {
  if (!isObject(data) || !Array.isArray(data.teams) || !Array.isArray(data.phones) || !isObject(data.meta)) {
    throw new Error('expected {teams: [], phones: [], meta: {}}');
  }
  if (data.collections !== undefined && (!isObject(data.collections) || !Object.values(data.collections).every(isObject))) {
    throw new Error('expected collections: {name: {id: record}}');
  }
  checkAll('team', data.teams);
  checkAll('phone', data.phones);
  return data as unknown as ConfigData;
}

function validatePartition(data: unknown): PartitionData {
  if (!isObject(data) || !Array.isArray(data.attempts) || !Array.isArray(data.missed)) {
    throw new Error('expected {attempts: [], missed: []}');
  }
  checkAll('attempt', data.attempts);
  checkAll('missed', data.missed);
  return data as unknown as PartitionData;
}

function checkAll(kind: 'team' | 'phone' | 'attempt' | 'missed', values: unknown[]): void {
  for (const [i, v] of values.entries()) {
    const problem = recordProblem(kind, v);
    if (problem !== null) throw new Error(`${kind} #${i}: ${problem}`);
  }
}
