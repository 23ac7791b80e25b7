/** @module Files derived from a day file and kept next to it (`<day>.<name>.json`): recomputed when missing or stale. */
import { readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isObject } from '../changes.ts';
import { CALLS_DIR, dayFileName, sidecarPath } from './files.ts';
import { TEMP_SUFFIX, isNotFound } from './durable-file.ts';

export interface Sidecar<T> {
  /** The day file it was computed from (see dayStamp): a crash between the two writes leaves them apart. */
  stamp: string;
  version: number;
  value: T;
}

/**
 * Identifies one version of a day file: its size and modification time (each write replaces the
 * file, so both move). Not its inode: a copy of the data dir (cp -a, a restored backup) keeps
 * these, and its indexes and derived values stay valid. Null if there is none.
 */
export async function dayStamp(dir: string, day: string): Promise<string | null> {
  try {
    const s = await stat(join(dir, CALLS_DIR, dayFileName(day)), { bigint: true });
    return `${s.size}:${s.mtimeNs}`;
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
}

/** The sidecar, or null when it is missing or unreadable: it is derived data, so it is recomputed, never trusted blindly. */
export async function readSidecar<T>(dir: string, day: string, name: string): Promise<Sidecar<T> | null> {
  let text: string;
  try {
    text = await readFile(sidecarPath(dir, day, name), 'utf8');
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
  try {
    const data: unknown = JSON.parse(text);
    if (!isObject(data) || typeof data.stamp !== 'string' || typeof data.version !== 'number' || !('value' in data)) return null;
    return data as unknown as Sidecar<T>;
  } catch {
    return null;
  }
}

/**
 * Temp file + rename, without fsync: losing a sidecar in a power cut only costs recomputing it,
 * and a torn one never replaces a whole one.
 */
export async function writeSidecar(dir: string, day: string, name: string, sidecar: Sidecar<unknown>): Promise<void> {
  const file = sidecarPath(dir, day, name);
  const tmp = file + TEMP_SUFFIX;
  try {
    await writeFile(tmp, JSON.stringify(sidecar));
    await rename(tmp, file);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}
