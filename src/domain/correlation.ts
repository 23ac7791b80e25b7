/**
 * @module What correlation reads and returns, shared by its parts (phone events in `correlate.ts`,
 * PBX calls in `correlate-pbx.ts`, entries in `reconcile.ts`, callbacks in `callback-calls.ts`),
 * so none of them imports another's types.
 */
import type { CallAttempt, MissedCall, MissedPolicy, Team } from './types.ts';

/** What the correlator may read of the stored state. */
export interface CorrelationView {
  attemptByPbxId(pbxCallId: string): CallAttempt | undefined;
  recentAttempts(destination: string, callerKey: string, since: string): CallAttempt[];
  openMissedByCaller(team: string, callerKey: string): MissedCall | undefined;
  /** A team's open entries (an ended call that named no number finds the ones its phone was calling). */
  openMissed(team: string): MissedCall[];
  missedCall(id: string): MissedCall | undefined;
}

export interface CorrelationContext {
  view: CorrelationView;
  teams: Team[];
  country: string;
  /** Sliding window (ring timeout + slack): events this close belong to one call. */
  windowSeconds: number;
  policy: MissedPolicy;
  extensionPolicies: Readonly<Record<string, Partial<MissedPolicy>>>;
  afterHours: (destination: string, at: string) => boolean;
  newId: () => string;
}

/** The records an event changed, all of them new objects: the caller persists exactly these. */
export interface CorrelationResult {
  attempts: CallAttempt[];
  missed: MissedCall[];
  removedMissed: string[];
}

/** A result that changes nothing (a fresh one each time: callers may add to it). */
export function noChange(): CorrelationResult {
  return { attempts: [], missed: [], removedMissed: [] };
}

/** The start of the sliding window that ends at `at`. */
export function windowBefore(at: string, ctx: Pick<CorrelationContext, 'windowSeconds'>): string {
  return new Date(Date.parse(at) - ctx.windowSeconds * 1000).toISOString();
}

/** The end of the sliding window that starts at `at`. */
export function windowAfter(at: string, ctx: Pick<CorrelationContext, 'windowSeconds'>): string {
  return new Date(Date.parse(at) + ctx.windowSeconds * 1000).toISOString();
}

/** Whole seconds from `from` to `to`, never negative. */
export function secondsBetween(from: string, to: string): number {
  return Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000));
}
