/**
 * @module Escalation: a missed call still unhandled past its team's time-to-callback target climbs a
 * ladder — remind the claimer, then the team's lead, then a manager — each step once, each one in the
 * call's history. Time counts in business hours only (a call missed on Friday evening is not overdue
 * on Saturday). Pure: `now` is passed in.
 */
import { isOpen } from './callbacks.ts';
import { isWaiting, scheduleOf } from './callback-schedule.ts';
import { businessMsBetween } from './schedule.ts';
import type { HistoryEntry, MissedCall, Team } from './types.ts';

export const LADDER = ['claimer', 'lead', 'manager'] as const;
export type EscalationStep = (typeof LADDER)[number];

export interface EscalationPolicy {
  /** Business minutes a missed call may wait for its callback before the first step. */
  targetMinutes: number;
  /** Business minutes from one step to the next. */
  stepMinutes: number;
}

export interface EscalationDue {
  step: EscalationStep;
  /** Business minutes since the call came in (what the target is measured against). */
  businessMinutes: number;
  /** The claimer at the time (null: nobody claimed it, so step one reminds the whole team). */
  claimer: string | null;
}

/** The history action that records a step; also how a step already taken is recognised. */
export function escalationAction(step: EscalationStep): string {
  return `escalated: ${step}`;
}

/** When each step was taken, read from the call's history (the single source of truth). */
export function stepsTaken(m: MissedCall): Map<EscalationStep, string> {
  const taken = new Map<EscalationStep, string>();
  for (const h of m.history) {
    for (const step of LADDER) if (h.via === 'auto' && h.action === escalationAction(step) && !taken.has(step)) taken.set(step, h.at);
  }
  return taken;
}

/**
 * The next step due for a call at `now`, or null. Step one is due once the call has waited
 * `targetMinutes` of business time; each later step `stepMinutes` of business time after the one
 * before it was taken — so after a long outage the ladder is climbed one step at a time, not all at
 * once. Only settled, open calls escalate: a miss an answer may still retract never does.
 */
export function dueEscalation(m: MissedCall, team: Pick<Team, 'businessHours' | 'timeZone'>, policy: EscalationPolicy,
  now: string): EscalationDue | null {
  // A callback scheduled for later is not late before its time: the target counts from then.
  if (!isOpen(m) || m.settlesAt > now || isWaiting(m, now)) return null;
  const taken = stepsTaken(m);
  const index = LADDER.findIndex((step) => !taken.has(step));
  const step = LADDER[index];
  if (step === undefined) return null;
  const previous = index === 0 ? undefined : taken.get(LADDER[index - 1] ?? step);
  const anchor = previous ?? targetFrom(m);
  const needMs = (index === 0 ? policy.targetMinutes : policy.stepMinutes) * MINUTE;
  if (businessMsBetween(team.businessHours, team.timeZone, anchor, now) < needMs) return null;
  const businessMinutes = Math.floor(businessMsBetween(team.businessHours, team.timeZone, m.firstAt, now) / MINUTE);
  return { step, businessMinutes, claimer: m.status === 'assigned' ? m.assignee : null };
}

/** Where the time-to-callback target counts from: the first call, or a scheduled time after it. */
export function targetFrom(m: Pick<MissedCall, 'firstAt' | 'scheduled'>): string {
  const s = scheduleOf(m);
  return s !== null && s.at > m.firstAt ? s.at : m.firstAt;
}

/** The call with the step recorded in its history (`via: auto`). */
export function recordEscalation(m: MissedCall, due: EscalationDue, at: string, note: string): MissedCall {
  const entry: HistoryEntry = { at, actor: 'ringback', action: escalationAction(due.step), via: 'auto', note };
  return { ...m, history: [...m.history, entry] };
}

// --- Internal helpers ---

const MINUTE = 60_000;
