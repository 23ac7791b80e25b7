/**
 * @module Overdue: an open call past its team's time-to-callback target, or already escalated, and
 * by how long — what the desk marks so late calls do not look like any other. Measured in business
 * time like the escalation ladder, so a call missed on Friday evening is not "late" on Saturday.
 */
import { isWaiting } from './callback-schedule.ts';
import { isOpen } from './callbacks.ts';
import { stepsTaken, targetFrom, type EscalationPolicy, type EscalationStep, LADDER } from './escalation.ts';
import { businessMsBetween } from './schedule.ts';
import type { Instant, MissedCall, Team } from './types.ts';

export interface Overdue {
  /** The team's target, business minutes. */
  targetMinutes: number;
  /** Business minutes past the target (0 when escalated before the target was reached). */
  minutesOver: number;
  /** The highest ladder step taken, if any. */
  escalated: EscalationStep | null;
}

export function overdueOf(m: MissedCall, team: Pick<Team, 'businessHours' | 'timeZone'>, policy: Pick<EscalationPolicy, 'targetMinutes'>,
  now: Instant): Overdue | null {
  if (!isOpen(m) || isWaiting(m, now)) return null;
  const taken = stepsTaken(m);
  const escalated = [...LADDER].reverse().find((step) => taken.has(step)) ?? null;
  const waited = Math.floor(businessMsBetween(team.businessHours, team.timeZone, targetFrom(m), now) / 60_000);
  const minutesOver = Math.max(0, waited - policy.targetMinutes);
  if (waited < policy.targetMinutes && escalated === null) return null;
  return { targetMinutes: policy.targetMinutes, minutesOver, escalated };
}
