/** @module Keeping MissedCall entries in step with their attempts' outcomes (phone and PBX paths alike). */
import { windowAfter, type CorrelationContext, type CorrelationResult } from './correlation.ts';
import { addAttempt, closeByAnswer, newMissedCall, removeAttempt } from './missed-entry.ts';
import type { CallAttempt, MissedCall } from './types.ts';

/**
 * The attempt's outcome changed from `previousOutcome`: a new miss opens an entry (or joins the
 * caller's open one), an answer inside the window retracts the miss (rule 2), and a later answered
 * call closes the caller's open entry (the caller reached the team). Returns new records: the
 * attempt (linked to its entry) and the entries that changed; nothing given is modified.
 */
export function reconcileEntries(previousOutcome: CallAttempt['outcome'], attempt: CallAttempt, at: string,
  ctx: CorrelationContext): CorrelationResult {
  const settlesAt = windowAfter(attempt.lastEventAt, ctx);
  const outcome = attempt.outcome;
  const openOfCaller = () => attempt.caller.key === '' ? undefined : ctx.view.openMissedByCaller(attempt.destination, attempt.caller.key);
  const result = (a: CallAttempt, missed: MissedCall[] = [], removedMissed: string[] = []): CorrelationResult =>
    ({ attempts: [a], missed, removedMissed });

  if (outcome === 'missed' && previousOutcome !== 'missed') {
    const open = openOfCaller();
    const entry = open !== undefined
      ? addAttempt(open, attempt, at, settlesAt)
      : newMissedCall(attempt, ctx.newId(), ctx.afterHours(attempt.destination, attempt.firstRingAt), settlesAt);
    return result({ ...attempt, missedCallId: entry.id }, [entry]);
  }
  if (outcome === 'missed' && attempt.missedCallId !== null) {
    const entry = ctx.view.missedCall(attempt.missedCallId);
    return result(attempt, entry === undefined ? [] : [{ ...entry, ringSeconds: maxRing(entry.ringSeconds, attempt.ringSeconds), settlesAt }]);
  }
  if (previousOutcome === 'missed' && attempt.missedCallId !== null) {
    // Rule 2: an answer inside the window retracts the miss.
    const entry = ctx.view.missedCall(attempt.missedCallId);
    const unlinked = { ...attempt, missedCallId: null };
    if (entry === undefined) return result(unlinked);
    const left = removeAttempt(entry, attempt, at);
    return left === null ? result(unlinked, [], [entry.id]) : result(unlinked, [left]);
  }
  if (isAnswered(outcome) && !isAnswered(previousOutcome)) {
    const open = openOfCaller();
    if (open !== undefined && !open.attemptIds.includes(attempt.id)) return result(attempt, [closeByAnswer(open, attempt, at)]);
  }
  return result(attempt);
}

function isAnswered(o: CallAttempt['outcome']): boolean {
  return o === 'answered' || o === 'answered-elsewhere';
}

function maxRing(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.max(a, b);
}
