/**
 * @module The lines of a day's previous file, for the records that did not change since it was
 * written. A snapshot rewrites a hot day whole (the file's offsets must describe the bytes next to
 * them), and while events stream in, the newest day is rewritten at every snapshot: stringifying
 * its tens of thousands of records again was the largest share of the ingest server's time. The
 * records memory holds are never changed in place (a change replaces the object), so a record that
 * was not put or removed since that file was written is, byte for byte, the line the file holds.
 */
import { readFile } from 'node:fs/promises';
import type { CallAttempt, MissedCall } from '../../domain/types.ts';
import { DAY_HEADER, decodeIdPairs, FOOTER_BYTES, isTrailer, type Kind, offsetsOf, parseFooter, type PreviousLine } from './day-file.ts';
import { dayFilePath } from './day-file-io.ts';
import { isNotFound } from './durable-file.ts';

/** Ids put or removed since the previous file was written: their lines are built again. */
export interface Changed {
  attempts: ReadonlySet<string>;
  missed: ReadonlySet<string>;
}

/**
 * Reads the day's current file whole and returns the lookup of unchanged records' lines, or
 * undefined when there is nothing to reuse (no file, or not one of format 2). A record whose id
 * hash is shared in that file, or whose line does not name its id, is stringified again.
 */
export async function previousLines(dir: string, day: string, changed: Changed): Promise<PreviousLine | undefined> {
  let buf: Buffer;
  try {
    buf = await readFile(dayFilePath(dir, day));
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
  const header = Buffer.byteLength(DAY_HEADER);
  if (buf.length < header + FOOTER_BYTES || buf.toString('utf8', 0, header) !== DAY_HEADER) return undefined;
  const at = parseFooter(buf.toString('utf8', buf.length - FOOTER_BYTES));
  if (at === null || at >= buf.length) return undefined;
  let trailer: unknown;
  try {
    trailer = JSON.parse(buf.toString('utf8', at, buf.length - FOOTER_BYTES));
  } catch {
    return undefined;
  }
  if (!isTrailer(trailer)) return undefined;
  const sections = trailer;
  const pairs = {
    attempts: decodeIdPairs(buf.toString('utf8', ...sections.attempts.ids)),
    missed: decodeIdPairs(buf.toString('utf8', ...sections.missed.ids)),
  };
  return (kind: Kind, r: CallAttempt | MissedCall) => {
    if (changed[kind].has(r.id)) return undefined;
    const offsets = offsetsOf(pairs[kind], r.id);
    const start = offsets[0];
    const { end: sectionEnd, start: sectionStart } = sections[kind];
    if (offsets.length !== 1 || start === undefined || start < sectionStart || start >= sectionEnd) return undefined;
    const end = buf.indexOf(0x0a, start);
    if (end < 0 || end >= sectionEnd) return undefined;
    const line = buf.subarray(start, end + 1);
    // A check on the bookkeeping, not a proof: the line is the record's own.
    return line.includes(`"id":${JSON.stringify(r.id)}`) ? line : undefined;
  };
}
