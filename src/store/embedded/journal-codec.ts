/** @module Journal lines: a change as JSON, or for an update of a call record only the fields that changed. */
import type { CallAttempt, MissedCall } from '../../domain/types.ts';
import type { Change } from '../types.ts';
import { isObject } from '../changes.ts';
import { dayOf, isDay } from '../days.ts';

/**
 * An update of a call record that memory held when it was committed: its id, the day it is filed
 * under (replay finds the earlier version there, in memory or in the day file), the top-level
 * fields set (`s`) and removed (`u`). Replaying it over any later version of the record gives that
 * later version again, so a snapshot that already holds newer values makes it harmless, as with
 * whole records. Most events touch a few fields of a 1.5 KB record: the line is a fraction of it.
 */
export interface Patch {
  t: '~attempt' | '~missed';
  id: string;
  d: string;
  s: Record<string, unknown>;
  u?: string[];
}

export type JournalLine = Change | Patch;

export function isPatch(line: JournalLine): line is Patch {
  return line.t === '~attempt' || line.t === '~missed';
}

/** What is wrong with a patch line, or null (whole changes are checked by changeProblem). */
export function patchProblem(v: Record<string, unknown>): string | null {
  if (typeof v.id !== 'string' || !isDay(v.d) || !isObject(v.s)) return `${String(v.t)} needs id, day d and fields s`;
  if (v.u !== undefined && !(Array.isArray(v.u) && v.u.every((k) => typeof k === 'string'))) return `${String(v.t)}: u must list field names`;
  if ('id' in v.s) return `${String(v.t)}: a patch cannot change the id`;
  return null;
}

/**
 * The journal line of a change, given the version memory held before it (if any). A record moved
 * to another day, or one memory did not hold, is written whole.
 */
export function encodeChange(change: Change, before: CallAttempt | MissedCall | undefined): string {
  // The same object committed again after being changed in place: its earlier fields are gone.
  if (before !== undefined && before !== (change as { v?: unknown }).v && (change.t === 'attempt' || change.t === 'missed')) {
    const day = change.t === 'attempt' ? dayOf(change.v.firstRingAt) : dayOf(change.v.firstAt);
    const beforeDay = change.t === 'attempt' ? dayOf((before as CallAttempt).firstRingAt) : dayOf((before as MissedCall).firstAt);
    if (day === beforeDay) return patchLine(change.t, change.v as unknown as Record<string, unknown>, before as unknown as Record<string, unknown>, day);
  }
  return JSON.stringify(change) + '\n';
}

/** The record a patch makes of the version it was committed over (or of any later one). */
export function applyPatch<T extends CallAttempt | MissedCall>(base: T, p: Patch): T {
  const out: Record<string, unknown> = { ...(base as unknown as Record<string, unknown>), ...p.s };
  for (const k of p.u ?? []) delete out[k];
  return out as unknown as T;
}

function patchLine(kind: 'attempt' | 'missed', next: Record<string, unknown>, before: Record<string, unknown>, day: string): string {
  // Built by hand, one field at a time: only the changed values are stringified.
  let set = '';
  for (const k in next) {
    const v = next[k];
    if (v === undefined || v === before[k]) continue;
    set += (set === '' ? '' : ',') + JSON.stringify(k) + ':' + JSON.stringify(v);
  }
  const removed: string[] = [];
  for (const k in before) if (before[k] !== undefined && next[k] === undefined) removed.push(k);
  const u = removed.length === 0 ? '' : `,"u":${JSON.stringify(removed)}`;
  return `{"t":"~${kind}","id":${JSON.stringify(next.id)},"d":"${day}","s":{${set}}${u}}\n`;
}
