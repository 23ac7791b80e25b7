/**
 * @module The morning digest: calls missed while a team was closed wake nobody; they are listed once
 * at the team's next opening, grouped by caller. Pure: `now` is passed in.
 */
import { isOpen } from './callbacks.ts';
import { nextOpening } from './schedule.ts';
import type { MissedCall, Team } from './types.ts';

/** One caller's open after-hours calls. */
export interface CallerGroup {
  /** The caller's matching key ('' = anonymous: all withheld numbers are one group). */
  callerKey: string;
  number: string;
  name: string;
  calls: MissedCall[];
  /** Attempts over all the caller's calls. */
  attempts: number;
  firstAt: string;
  lastAt: string;
}

export interface DigestDue {
  /** The opening the digest is for (ISO UTC): with the team, its identity. */
  opening: string;
  calls: MissedCall[];
}

/** How long after an opening its digest is still worth sending (the server may have been down). */
export const DIGEST_MAX_AGE_MS = 12 * 3_600_000;

/**
 * The digests due at `now`: open, settled after-hours calls grouped by the opening that follows
 * them, for openings that have come (and not more than `maxAgeMs` ago: older calls are the
 * escalation ladder's business by then).
 */
export function dueDigests(team: Pick<Team, 'businessHours' | 'timeZone'>, calls: readonly MissedCall[], now: string,
  maxAgeMs = DIGEST_MAX_AGE_MS): DigestDue[] {
  const byOpening = new Map<string, MissedCall[]>();
  const oldest = new Date(Date.parse(now) - maxAgeMs).toISOString();
  for (const m of calls) {
    if (!m.afterHours || !isOpen(m) || m.settlesAt > now) continue;
    const opening = nextOpening(team.businessHours, team.timeZone, m.firstAt);
    if (opening === null || opening > now || opening < oldest) continue;
    byOpening.set(opening, [...(byOpening.get(opening) ?? []), m]);
  }
  return [...byOpening].sort(([a], [b]) => (a < b ? -1 : 1)).map(([opening, list]) => ({ opening, calls: list }));
}

/** The calls of one digest (for re-reading it just before sending: some may be handled by then). */
export function digestCalls(team: Pick<Team, 'businessHours' | 'timeZone'>, calls: readonly MissedCall[], opening: string,
  now: string): MissedCall[] {
  return dueDigests(team, calls, now, Number.POSITIVE_INFINITY).find((d) => d.opening === opening)?.calls ?? [];
}

/** Calls grouped by caller, the earliest caller first; within a group, oldest call first. */
export function groupByCaller(calls: readonly MissedCall[]): CallerGroup[] {
  const groups = new Map<string, MissedCall[]>();
  for (const m of calls) groups.set(m.caller.key, [...(groups.get(m.caller.key) ?? []), m]);
  return [...groups].map(([callerKey, list]): CallerGroup => {
    const sorted = [...list].sort((a, b) => (a.firstAt < b.firstAt ? -1 : a.firstAt > b.firstAt ? 1 : 0));
    const first = sorted[0];
    return {
      callerKey,
      number: first?.caller.e164 ?? first?.caller.key ?? '',
      name: sorted.map((m) => m.callerName).find((n) => n !== '') ?? '',
      calls: sorted,
      attempts: sorted.reduce((n, m) => n + m.attemptIds.length, 0),
      firstAt: first?.firstAt ?? '',
      lastAt: sorted.reduce((at, m) => (m.lastAt > at ? m.lastAt : at), ''),
    };
  }).sort((a, b) => (a.firstAt < b.firstAt ? -1 : a.firstAt > b.firstAt ? 1 : 0));
}
