/** @module Keeping MissedCall entries in step with their attempts' outcomes (phone and PBX paths alike). */
import type { CorrelationContext, CorrelationResult } from './correlate.ts';
import { addAttempt, closeByAnswer, newMissedCall, removeAttempt } from './missed-entry.ts';
import type { CallAttempt } from './types.ts';

/**
 * The attempt's outcome changed from `previousOutcome`: a new miss opens an entry (or joins the
 * caller's open one), an answer inside the window retracts the miss (rule 2), and a later answered
 * call closes the caller's open entry (the caller reached the team).
 */
export function reconcileEntries(previousOutcome: CallAttempt['outcome'], attempt: CallAttempt, at: string,
  ctx: CorrelationContext): CorrelationResult {
  const out: CorrelationResult = { attempts: [attempt], missed: [], removedMissed: [] };
  const settlesAt = new Date(Date.parse(attempt.lastEventAt) + ctx.windowSeconds * 1000).toISOString();
  const outcome = attempt.outcome;
  const openOfCaller = () => attempt.caller.key === '' ? undefined : ctx.view.openMissedByCaller(attempt.destination, attempt.caller.key);

  if (outcome === 'missed' && previousOutcome !== 'missed') {
    const open = openOfCaller();
    const entry = open !== undefined
      ? addAttempt(open, attempt, at, settlesAt)
      : newMissedCall(attempt, ctx.newId(), ctx.afterHours(attempt.destination, attempt.firstRingAt), settlesAt);
    attempt.missedCallId = entry.id;
    out.missed.push(entry);
  } else if (outcome === 'missed' && attempt.missedCallId !== null) {
    const entry = ctx.view.missedCall(attempt.missedCallId);
    if (entry !== undefined) out.missed.push({ ...entry, ringSeconds: maxRing(entry.ringSeconds, attempt.ringSeconds), settlesAt });
  } else if (previousOutcome === 'missed' && attempt.missedCallId !== null) {
    // Rule 2: an answer inside the window retracts the miss.
    const entry = ctx.view.missedCall(attempt.missedCallId);
    attempt.missedCallId = null;
    if (entry !== undefined) {
      const r = removeAttempt(entry, attempt, at);
      if (r === null) out.removedMissed.push(entry.id);
      else out.missed.push(r);
    }
  } else if (isAnswered(outcome) && !isAnswered(previousOutcome)) {
    const open = openOfCaller();
    if (open !== undefined && !open.attemptIds.includes(attempt.id)) out.missed.push(closeByAnswer(open, attempt, at));
  }
  return out;
}

export function isAnswered(o: CallAttempt['outcome']): boolean {
  return o === 'answered' || o === 'answered-elsewhere';
}

function maxRing(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.max(a, b);
}
