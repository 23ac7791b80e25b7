/** @module The data dir's lowdb files: names, shapes and the checks applied when they are read. */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { CallAttempt, MissedCall, Phone, Team } from '../../domain/types.ts';
import { isObject, recordProblem } from '../changes.ts';
import { DurableJsonFile } from './durable-file.ts';

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

export const CONFIG_FILE = 'config.json';
export const CALLS_DIR = 'calls';
/** Per day, its open entries and id hashes (see day-index.ts): a folder of their own, so `calls/` holds the day files. */
export const INDEX_DIR = 'index';
/** Per-day derived values (DayDerivation), `derived/<day>.<name>.json`. */
export const DERIVED_DIR = 'derived';
const DAY_FILE = /^(\d{4}-\d{2}-\d{2})\.json$/;

export function dayFileName(day: string): string {
  return `${day}.json`;
}

/** Files derived from a day file and deleted with it: `derived/<day>.<name>.json`, and the day's index `index/<day>.json`. */
export function sidecarPath(dir: string, day: string, name: string): string {
  return name === 'index' ? join(dir, INDEX_DIR, `${day}.json`) : join(dir, DERIVED_DIR, `${day}.${name}.json`);
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

const DAY_OR_SIDECAR = /^(\d{4}-\d{2}-\d{2})(\.[a-z][a-z0-9-]*)?\.json$/;

/** The files in `sub` (calls/, derived/) that belong to one of `days`: day files, derived values. */
export async function filesOfDays(dir: string, sub: string, days: ReadonlySet<string>): Promise<string[]> {
  return (await readdir(join(dir, sub))).filter((name) => days.has(DAY_OR_SIDECAR.exec(name)?.[1] ?? ''));
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

export function validatePartition(data: unknown): PartitionData {
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
