/**
 * @module Likely routing or device faults, read from the call log: an extension whose share of
 * missed calls jumps against its own recent baseline, or a team that missed every call for an hour of
 * business time. Pure: attempts and `now` are passed in.
 */
import { isWithinBusinessHours } from './schedule.ts';
import type { CallAttempt, Team } from './types.ts';

export type FaultRule = 'extension-missed-share' | 'team-all-missed';

export interface Fault {
  rule: FaultRule;
  /** The extension, or the team id. */
  subject: string;
  /** Start of the window the fault was seen in (ISO UTC). */
  since: string;
  /** Calls counted in the window, and how many of them were missed. */
  calls: number;
  missed: number;
  share: number;
  /** extension-missed-share: the extension's own share before the window, and over how many calls. */
  baselineShare: number | null;
  baselineCalls: number | null;
}

export interface FaultOptions {
  /** The recent window (default one hour). */
  windowMs: number;
  /** The baseline: this long before the window (default seven days). */
  baselineMs: number;
  /** Fewest calls in the window before anything is judged (default 4; a team needs 3). */
  minCalls: number;
  minTeamCalls: number;
  /** Fewest calls in the baseline for it to count as one (default 10). */
  minBaselineCalls: number;
  /** The window's share must exceed the baseline's by this much (default 0.4) and be at least `minShare` (0.6). */
  jump: number;
  minShare: number;
}

export const DEFAULT_FAULT_OPTIONS: FaultOptions = {
  windowMs: 3_600_000, baselineMs: 7 * 86_400_000, minCalls: 4, minTeamCalls: 3, minBaselineCalls: 10, jump: 0.4, minShare: 0.6,
};

/**
 * Per extension, the share of calls that rang it and ended missed (nobody answered), in the last
 * window against the baseline before it. A phone that stopped ringing or answering, or a queue
 * that routes to a dead line, shows as a jump; an extension that always misses half its calls does not.
 */
export function extensionFaults(attempts: Iterable<CallAttempt>, now: string, opts: FaultOptions = DEFAULT_FAULT_OPTIONS): Fault[] {
  const { windowStart, baselineStart } = bounds(now, opts);
  const recent = new Map<string, Tally>();
  const before = new Map<string, Tally>();
  for (const a of attempts) {
    const missed = countedMiss(a);
    if (missed === null || a.firstRingAt >= now || a.firstRingAt < baselineStart) continue;
    const tallies = a.firstRingAt >= windowStart ? recent : before;
    for (const extension of new Set(Object.values(a.endpoints).map((e) => e.extension))) {
      if (extension === '') continue;
      tally(tallies, extension, missed);
    }
  }
  const faults: Fault[] = [];
  for (const [extension, now_] of recent) {
    const base = before.get(extension);
    if (now_.calls < opts.minCalls || base === undefined || base.calls < opts.minBaselineCalls) continue;
    const share = now_.missed / now_.calls;
    const baselineShare = base.missed / base.calls;
    if (share < opts.minShare || share - baselineShare < opts.jump) continue;
    faults.push({
      rule: 'extension-missed-share', subject: extension, since: windowStart, calls: now_.calls, missed: now_.missed,
      share: round(share), baselineShare: round(baselineShare), baselineCalls: base.calls,
    });
  }
  return faults.sort((a, b) => (a.subject < b.subject ? -1 : 1));
}

/**
 * Teams that missed every one of at least `minTeamCalls` calls in the last window — counting only
 * calls that came in during business hours (after hours everything is missed, as it should be).
 */
export function teamAllMissedFaults(attempts: Iterable<CallAttempt>, teams: readonly Team[], now: string,
  opts: FaultOptions = DEFAULT_FAULT_OPTIONS): Fault[] {
  const { windowStart } = bounds(now, opts);
  const byId = new Map(teams.map((t) => [t.id, t]));
  const recent = new Map<string, Tally>();
  for (const a of attempts) {
    const missed = countedMiss(a);
    const team = byId.get(a.destination);
    if (missed === null || team === undefined || a.firstRingAt < windowStart || a.firstRingAt >= now) continue;
    if (!isWithinBusinessHours(team.businessHours, team.timeZone, a.firstRingAt)) continue;
    tally(recent, team.id, missed);
  }
  const faults: Fault[] = [];
  for (const [team, t] of recent) {
    if (t.calls < opts.minTeamCalls || t.missed < t.calls) continue;
    faults.push({ rule: 'team-all-missed', subject: team, since: windowStart, calls: t.calls, missed: t.missed, share: 1,
      baselineShare: null, baselineCalls: null });
  }
  return faults.sort((a, b) => (a.subject < b.subject ? -1 : 1));
}

/** Where the fault scans start reading (attempts before this do not matter). */
export function faultScanStart(now: string, opts: FaultOptions = DEFAULT_FAULT_OPTIONS): string {
  return bounds(now, opts).baselineStart;
}

// --- Internal helpers ---

interface Tally {
  calls: number;
  missed: number;
}

/** true = missed, false = answered, null = not a call that counts (pending, too short, not counted). */
function countedMiss(a: CallAttempt): boolean | null {
  switch (a.outcome) {
    case 'missed': return true;
    case 'answered':
    case 'answered-elsewhere': return false;
    default: return null;
  }
}

function tally(map: Map<string, Tally>, key: string, missed: boolean): void {
  const t = map.get(key) ?? { calls: 0, missed: 0 };
  t.calls += 1;
  if (missed) t.missed += 1;
  map.set(key, t);
}

function bounds(now: string, opts: FaultOptions): { windowStart: string; baselineStart: string } {
  const windowStart = Date.parse(now) - opts.windowMs;
  return { windowStart: new Date(windowStart).toISOString(), baselineStart: new Date(windowStart - opts.baselineMs).toISOString() };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
