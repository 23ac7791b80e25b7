/**
 * @module What the desk shows beside a missed-call entry: every extension its calls rang ("rang 11,
 * 12, 13") and whether it is overdue (past its team's target or escalated, and by how long).
 */
import type { EscalationPolicy } from '../../domain/escalation.ts';
import { overdueOf, type Overdue } from '../../domain/overdue.ts';
import { rangByAll } from '../../domain/rang.ts';
import type { CallAttempt, MissedCall } from '../../domain/types.ts';
import type { Store } from '../../store/types.ts';

export interface DeskExtras {
  rang: string[];
  overdue: Overdue | null;
}

/** A team's time-to-callback target (its notification settings, else the server's default). */
export type TargetOf = (teamId: string) => Pick<EscalationPolicy, 'targetMinutes'> | undefined;

/**
 * The attempts of a page of entries, hot ones from memory and the rest from history in one read: an
 * open entry's first calls may lie on days that are no longer hot.
 */
export async function attemptsOf(store: Pick<Store, 'attempt' | 'history'>, entries: readonly MissedCall[]): Promise<Map<string, CallAttempt>> {
  const found = new Map<string, CallAttempt>();
  const missing: string[] = [];
  for (const m of entries) {
    for (const id of m.attemptIds) {
      const a = store.attempt(id);
      if (a === undefined) missing.push(id);
      else found.set(id, a);
    }
  }
  if (missing.length > 0) for (const [id, a] of await store.history.attempts(missing)) found.set(id, a);
  return found;
}

/** The extensions an entry's calls rang, from its attempts (see attemptsOf). */
export function rangOf(m: MissedCall, attempts: ReadonlyMap<string, CallAttempt>): string[] {
  return rangByAll(m.attemptIds.map((id) => attempts.get(id)), m.extension);
}

/** The extras of a page of entries, in the same order. */
export function deskExtras(store: Pick<Store, 'attempt' | 'team' | 'history'>, targetOf: TargetOf | undefined) {
  return async (entries: readonly MissedCall[], now: string): Promise<DeskExtras[]> => {
    const attempts = await attemptsOf(store, entries);
    return entries.map((m) => {
      const team = store.team(m.team);
      const target = targetOf?.(m.team);
      return {
        rang: rangOf(m, attempts),
        overdue: team === undefined || target === undefined ? null : overdueOf(m, team, target, now),
      };
    });
  };
}
