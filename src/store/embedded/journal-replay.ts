/** @module Reading journal segments back at open: in order, dropping a torn last line. */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { changeProblem, isObject } from '../changes.ts';
import { type JournalLine, patchProblem } from './journal-codec.ts';
import { errorText } from './durable-file.ts';

const SEGMENT = /^(\d+)\.ndjson$/;

export interface Segment {
  seq: number;
  name: string;
}

export type Log = (msg: string, fields?: object) => void;

/** Segment files in write order. */
export async function listSegments(dir: string): Promise<Segment[]> {
  const out: Segment[] = [];
  for (const name of await readdir(dir)) {
    const m = SEGMENT.exec(name);
    if (m?.[1] !== undefined) out.push({ seq: Number(m[1]), name });
  }
  return out.sort((a, b) => a.seq - b.seq);
}

/**
 * The changes of one segment. Batches are appended with one write each and acknowledged only after
 * fsync, so damage can only be at the end of a segment (a crash mid-write): a last line that has no
 * newline or does not parse was never acknowledged and is dropped and reported. A bad line anywhere
 * else means the file was damaged after it was acknowledged; that rejects with file and line, because
 * skipping it would silently lose acknowledged changes.
 */
export async function readSegment(file: string, log: Log): Promise<JournalLine[]> {
  const text = await readFile(file, 'utf8');
  const lines = text.split('\n');
  // A complete segment ends in '\n', leaving '' as the last element; anything else there is torn.
  const tail = lines.pop() ?? '';
  if (tail !== '') reportTorn(log, file, lines.length + 1, 'no newline', tail);
  const changes: JournalLine[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.trim() === '') continue;
    let problem: string | null;
    let value: unknown;
    try {
      value = JSON.parse(line);
      problem = isObject(value) && (value.t === '~attempt' || value.t === '~missed') ? patchProblem(value) : changeProblem(value);
    } catch (err) {
      problem = `not valid JSON (${errorText(err)})`;
    }
    if (problem === null) {
      changes.push(value as JournalLine);
    } else if (i === lines.length - 1 && tail === '') {
      reportTorn(log, file, i + 1, problem, line);
    } else {
      throw new Error(`[ringback] [store] journal ${file} line ${i + 1} is damaged: ${problem}. ` +
        'Refusing to open the store rather than lose acknowledged changes.');
    }
  }
  return changes;
}

export function segmentPath(dir: string, seg: Segment): string {
  return join(dir, seg.name);
}

function reportTorn(log: Log, file: string, line: number, why: string, text: string): void {
  log('store: dropped a torn last journal line (never acknowledged)', {
    file,
    line,
    why,
    bytes: Buffer.byteLength(text),
  });
}
