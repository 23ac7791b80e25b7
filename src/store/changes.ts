/** @module Shape checks for changes and records, shared by commit (caller input) and open (disk input). */
import type { Change } from './types.ts';
import { isDay, tryDayOf } from './days.ts';

/** Meta key holding the retention floor: call data of days before it is gone for good. */
export const RETENTION_FLOOR_KEY = 'store.retentionFloor';

const CHANGE_TYPES: ReadonlySet<string> = new Set<Change['t']>([
  'team', 'phone', 'attempt', 'missed', 'del-team', 'del-phone', 'del-missed', 'meta', 'put', 'del',
]);

/**
 * What is wrong with a change, or null. Only what the store itself relies on is checked (ids,
 * the day a record is filed under, the index keys); the domain owns the rest of the values.
 */
export function changeProblem(change: unknown): string | null {
  if (!isObject(change) || typeof change.t !== 'string' || !CHANGE_TYPES.has(change.t)) {
    return 'not a change (unknown or missing "t")';
  }
  switch (change.t) {
    case 'team':
    case 'phone':
    case 'attempt':
    case 'missed':
      return recordProblem(change.t, change.v);
    case 'del-team':
    case 'del-missed':
      return typeof change.id === 'string' ? null : `${change.t} needs a string id`;
    case 'del-phone':
      return typeof change.mac === 'string' ? null : 'del-phone needs a string mac';
    case 'meta':
      if (typeof change.key !== 'string') return 'meta needs a string key';
      if (change.key === RETENTION_FLOOR_KEY && !isDay(change.value)) {
        return `${RETENTION_FLOOR_KEY} must be a YYYY-MM-DD day`;
      }
      return null;
    case 'put':
      if (typeof change.c !== 'string' || typeof change.id !== 'string') return 'put needs a string collection c and id';
      return change.v === undefined ? 'put needs a value' : null;
    case 'del':
      return typeof change.c === 'string' && typeof change.id === 'string' ? null : 'del needs a string collection c and id';
    default:
      return 'unknown change';
  }
}

export function recordProblem(kind: 'team' | 'phone' | 'attempt' | 'missed', v: unknown): string | null {
  if (!isObject(v)) return `${kind}: value is not an object`;
  switch (kind) {
    case 'team':
      return typeof v.id === 'string' ? null : 'team: id must be a string';
    case 'phone':
      if (typeof v.mac !== 'string') return 'phone: mac must be a string';
      return typeof v.token === 'string' ? null : `phone ${v.mac}: token must be a string`;
    case 'attempt':
      if (typeof v.id !== 'string') return 'attempt: id must be a string';
      if (tryDayOf(v.firstRingAt) === undefined) return `attempt ${v.id}: firstRingAt is not an ISO instant`;
      if (typeof v.destination !== 'string') return `attempt ${v.id}: destination must be a string`;
      if (typeof v.lastEventAt !== 'string') return `attempt ${v.id}: lastEventAt must be a string`;
      if (v.pbxCallId !== null && typeof v.pbxCallId !== 'string') return `attempt ${v.id}: bad pbxCallId`;
      return callerProblem(`attempt ${v.id}`, v.caller);
    case 'missed':
      if (typeof v.id !== 'string') return 'missed: id must be a string';
      if (tryDayOf(v.firstAt) === undefined) return `missed ${v.id}: firstAt is not an ISO instant`;
      if (typeof v.lastAt !== 'string') return `missed ${v.id}: lastAt must be a string`;
      if (typeof v.team !== 'string') return `missed ${v.id}: team must be a string`;
      if (typeof v.status !== 'string') return `missed ${v.id}: status must be a string`;
      return callerProblem(`missed ${v.id}`, v.caller);
  }
}

function callerProblem(what: string, caller: unknown): string | null {
  return isObject(caller) && typeof caller.key === 'string' && typeof caller.raw === 'string'
    ? null
    : `${what}: caller needs string key and raw`;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
