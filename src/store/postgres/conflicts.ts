/** @module What a group of changes touches, for telling apart commits of two instances that race on one call. */
import type { Change } from '../types.ts';
import { RETENTION_FLOOR_KEY } from '../changes.ts';

/**
 * Collections whose records are rewritten whole from what an instance read (read, decide, write),
 * by more than one instance: a write built on a stale view of one must be built again, not
 * overwrite the other's. (Other collections are written blind, by one instance, or per phone by
 * the instance the phone talks to: last write wins there, as in one process.)
 */
const CONTESTED = new Set<string>(['outboxItems', 'outboxMessages']);

/**
 * What a commit's changes are about: the calls (the correlation identity: destination and caller
 * for attempts, team and caller for entries; and the records themselves), and the inventory and
 * contested records it rewrites whole. Two instances correlating one call (a ring group's phones
 * reporting to both), or one editing a phone while the other records the phone's last contact,
 * produce changes with a common key; the one that commits second was built on a view without the
 * first's, so it must be built again (CommitConflictError), or it would undo the first.
 */
export function callKeys(changes: readonly Change[]): Set<string> {
  const keys = new Set<string>();
  for (const c of changes) {
    switch (c.t) {
      case 'attempt':
        keys.add(`a\u0000${c.v.destination}\u0000${c.v.caller.key}`).add(`A\u0000${c.v.id}`);
        break;
      case 'missed':
        keys.add(`m\u0000${c.v.team}\u0000${c.v.caller.key}`).add(`M\u0000${c.v.id}`);
        break;
      case 'del-missed':
        keys.add(`M\u0000${c.id}`);
        break;
      case 'phone': keys.add(`P\u0000${c.v.mac}`); break;
      case 'del-phone': keys.add(`P\u0000${c.mac}`); break;
      case 'team': keys.add(`T\u0000${c.v.id}`); break;
      case 'del-team': keys.add(`T\u0000${c.id}`); break;
      case 'put': case 'del':
        if (CONTESTED.has(c.c)) keys.add(`C\u0000${c.c}\u0000${c.id}`);
        break;
      default:
        break;
    }
  }
  return keys;
}

/**
 * The records changes write (any kind), to know whether changes of another instance can simply be
 * applied on top of this instance's commits in flight, or the working view must be rebuilt in
 * commit order. A raised retention floor touches everything.
 */
export function recordKeys(changes: readonly Change[]): Set<string> | 'all' {
  const keys = new Set<string>();
  for (const c of changes) {
    switch (c.t) {
      case 'team': keys.add(`t\u0000${c.v.id}`); break;
      case 'del-team': keys.add(`t\u0000${c.id}`); break;
      case 'phone': keys.add(`p\u0000${c.v.mac}`); break;
      case 'del-phone': keys.add(`p\u0000${c.mac}`); break;
      case 'attempt': keys.add(`A\u0000${c.v.id}`); break;
      case 'missed': keys.add(`M\u0000${c.v.id}`); break;
      case 'del-missed': keys.add(`M\u0000${c.id}`); break;
      case 'put': case 'del': keys.add(`c\u0000${c.c}\u0000${c.id}`); break;
      case 'meta':
        if (c.key === RETENTION_FLOOR_KEY) return 'all';
        keys.add(`k\u0000${c.key}`);
        break;
    }
  }
  return keys;
}

export function overlaps(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  const [small, big] = a.size <= b.size ? [a, b] : [b, a];
  for (const k of small) if (big.has(k)) return true;
  return false;
}
