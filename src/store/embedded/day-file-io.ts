/** @module A whole day file written (always format 2) or read (either format), for snapshots and start-up. */
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeDay, type PreviousLine } from './day-file.ts';
import { DayFileReader, isFormat2, readTrailer } from './day-file-reader.ts';
import { isNotFound, writeFileDurably } from './durable-file.ts';
import { CALLS_DIR, dayFileName, type PartitionData, partitionFile, validatePartition } from './files.ts';

export function dayFilePath(dir: string, day: string): string {
  return join(dir, CALLS_DIR, dayFileName(day));
}

/** Durably (temp file, fsync, rename, directory fsync), in format 2. */
export async function writeDayFile(dir: string, day: string, data: PartitionData, previous?: PreviousLine): Promise<void> {
  await writeFileDurably(dayFilePath(dir, day), await encodeDay(data, previous));
}

/** Every record, checked like any store file; null if there is no file. `format` 1 is a file of an earlier version. */
export async function readDayFile(dir: string, day: string): Promise<{ data: PartitionData; format: 1 | 2 } | null> {
  const file = dayFilePath(dir, day);
  let fh;
  try {
    fh = await open(file, 'r');
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
  try {
    if (!await isFormat2(fh)) {
      await fh.close();
      const data = await partitionFile(dir, day).read();
      return data === null ? null : { data, format: 1 };
    }
    const trailer = await readTrailer(fh, (await fh.stat()).size, file);
    const data = await new DayFileReader(fh, file, trailer, () => undefined).readAll();
    try {
      return { data: validatePartition(data), format: 2 };
    } catch (err) {
      throw new Error(`[ringback] [store] ${file} is not a Ringback store file: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  } finally {
    await fh.close().catch(() => undefined);
  }
}
