/** @module A lowdb adapter that writes JSON power-loss safely (steno only renames, it never fsyncs). */
import { open, readFile, readdir, rename, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Adapter } from 'lowdb';

export const TEMP_SUFFIX = '.tmp';

/** Checks the shape of parsed data; throws with a message saying what is wrong (no file name needed). */
export type Validate<T> = (data: unknown) => T;

/**
 * `Adapter<T>` for `Low`: compact JSON, written to `<file>.tmp` in the same directory, fsync'd,
 * renamed over the target, then the directory fsync'd so the rename itself survives a power cut.
 * One instance per file at a time (the store serialises its disk work), so a fixed temp name is safe.
 *
 * `read()` returns null only when the file does not exist. A file that exists but is not valid JSON
 * or has the wrong shape rejects with an Error naming the file: silently starting empty would lose
 * data that was acknowledged.
 */
export class DurableJsonFile<T> implements Adapter<T> {
  readonly file: string;
  readonly #validate: Validate<T>;

  constructor(file: string, validate: Validate<T>) {
    this.file = file;
    this.#validate = validate;
  }

  async read(): Promise<T | null> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (err) {
      throw new Error(`[ringback] [store] ${this.file} is not valid JSON (${errorText(err)}); ` +
        'refusing to open the store rather than start without its data. Restore the file from a backup, ' +
        'or move it away to accept losing what it held.', { cause: err });
    }
    try {
      return this.#validate(data);
    } catch (err) {
      throw new Error(`[ringback] [store] ${this.file} is not a Ringback store file: ${errorText(err)}`,
        { cause: err });
    }
  }

  async write(data: T): Promise<void> {
    await writeFileDurably(this.file, await stringifyInSlices(data));
  }
}

/** Records stringified per turn of the event loop: ~1 ms of work, whatever the size of the day. */
const RECORDS_PER_SLICE = 250;

/**
 * `JSON.stringify(data)`, byte for byte, but top-level arrays are stringified a slice of records at
 * a time with the event loop free in between: a busy day's file holds tens of thousands of records
 * (tens of MB), and one synchronous stringify of it would stall every phone for hundreds of ms.
 * Safe because committed records are replaced, never changed in place, so the captured arrays hold.
 */
export async function stringifyInSlices(data: unknown): Promise<string> {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return JSON.stringify(data);
  const parts: string[] = [];
  for (const [key, value] of Object.entries(data)) {
    if (value === undefined || typeof value === 'function') continue;
    if (!Array.isArray(value)) {
      parts.push(`${JSON.stringify(key)}:${JSON.stringify(value)}`);
      continue;
    }
    const items: string[] = [];
    for (let i = 0; i < value.length; i += RECORDS_PER_SLICE) {
      if (i > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      for (const item of value.slice(i, i + RECORDS_PER_SLICE)) items.push(JSON.stringify(item) ?? 'null');
    }
    parts.push(`${JSON.stringify(key)}:[${items.join(',')}]`);
  }
  return `{${parts.join(',')}}`;
}

/** temp file → fsync → rename → fsync directory. Never leaves a half-written target. */
export async function writeFileDurably(file: string, text: string | Uint8Array): Promise<void> {
  const tmp = file + TEMP_SUFFIX;
  try {
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(text);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, file);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await fsyncDir(dirname(file));
}

/** Makes creations, renames and deletions inside `dir` durable (Linux: fsync on the directory fd). */
export async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Deletes files (missing ones are fine) and fsyncs their directory once. */
export async function removeFilesDurably(dir: string, names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  for (const name of names) {
    await unlink(join(dir, name)).catch((err: unknown) => {
      if (!isNotFound(err)) throw err;
    });
  }
  await fsyncDir(dir);
}

/** Removes temp files a crash left behind mid-write; their targets are intact, so they are just noise. */
export async function removeTempFiles(dir: string): Promise<string[]> {
  const names = (await readdir(dir)).filter((name) => name.endsWith(TEMP_SUFFIX));
  await removeFilesDurably(dir, names);
  return names.map((name) => join(dir, name));
}

export function isNotFound(err: unknown): boolean {
  return err instanceof Error && (err as NodeJS.ErrnoException).code === 'ENOENT';
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
