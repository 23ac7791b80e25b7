/**
 * @module What the desk shows beside a missed-call entry: every extension its calls rang ("rang 11,
 * 12, 13") and whether it is overdue (past its team's target or escalated, and by how long).
 */
import type { EscalationPolicy } from '../domain/escalation.ts';
import { overdueOf, type Overdue } from '../domain/overdue.ts';
import { rangByAll } from '../domain/rang.ts';
import type { MissedCall } from '../domain/types.ts';
import type { Store } from '../store/types.ts';

export interface DeskExtras {
  rang: string[];
  overdue: Overdue | null;
}

/** A team's time-to-callback target (its notification settings, else the server's default). */
export type TargetOf = (teamId: string) => Pick<EscalationPolicy, 'targetMinutes'> | undefined;

export function deskExtras(store: Pick<Store, 'attempt' | 'team'>, targetOf: TargetOf | undefined) {
  return (m: MissedCall, now: string): DeskExtras => {
    const team = store.team(m.team);
    const target = targetOf?.(m.team);
    return {
      rang: rangByAll(m.attemptIds.map((id) => store.attempt(id)), m.extension),
      overdue: team === undefined || target === undefined ? null : overdueOf(m, team, target, now),
    };
  };
}
