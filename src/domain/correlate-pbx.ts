/**
 * @module PBX calls (AMI, webhook) → CallAttempts. The PBX sees every leg of a call, so its call id
 * is the best dedupe key and its verdict wins (DESIGN §3 rule 1): a phone-event attempt for the same
 * caller and team within the window is taken over, and phone events arriving later only add legs.
 */
import { noChange, secondsBetween, windowAfter, windowBefore, type CorrelationContext, type CorrelationResult } from './correlation.ts';
import { destinationOfPbxCall, phoneDestinations } from './destination.ts';
import { normaliseNumber } from './numbers.ts';
import { classifyUnanswered, effectivePolicy } from './policy.ts';
import { callbackByPbx } from './callback-calls.ts';
import { reconcileEntries } from './reconcile.ts';
import type { CallAttempt, PbxCall, PhoneNumber } from './types.ts';

export function correlatePbxCall(call: PbxCall, ctx: CorrelationContext): CorrelationResult {
  if (ctx.view.attemptByPbxId(call.pbxCallId) !== undefined) return noChange(); // rule 5: delivered twice
  const caller = normaliseNumber(call.caller, ctx.country, ctx.policy.internalMaxDigits);
  if (call.direction === 'outbound') return onOutbound(call, caller, ctx);

  const called = normaliseNumber(call.called, ctx.country, ctx.policy.internalMaxDigits).key;
  const destination = destinationOfPbxCall(called, call.rang, ctx.teams);
  const since = windowBefore(call.startedAt, ctx);
  // The same call seen by the phones first: the newest phone-sourced attempt in the window.
  const fromPhones = ctx.view.recentAttempts(destination, caller.key, since)
    .find((a) => a.source === 'phones' && a.pbxCallId === null && a.firstRingAt <= windowAfter(call.endedAt, ctx));
  const base: CallAttempt = fromPhones ?? {
    id: ctx.newId(), destination, caller, callerName: call.callerName, called, firstRingAt: call.startedAt,
    lastEventAt: call.endedAt, endedAt: call.endedAt, ringSeconds: null, endpoints: {}, answeredBy: null,
    outcome: 'pending', rule: '', source: 'pbx', pbxCallId: call.pbxCallId, missedCallId: null, seen: [],
  };
  // The phones may have seen the call ring before the PBX told us of it: the earliest start counts.
  const firstRingAt = call.startedAt < base.firstRingAt ? call.startedAt : base.firstRingAt;
  const ringSeconds = call.answeredBy === null ? secondsBetween(firstRingAt, call.endedAt) : base.ringSeconds;
  const verdict = decide(call, caller, destination, ringSeconds ?? 0, ctx);
  const attempt: CallAttempt = {
    ...base,
    callerName: base.callerName !== '' ? base.callerName : call.callerName,
    called: base.called !== '' ? base.called : called,
    firstRingAt,
    lastEventAt: call.endedAt > base.lastEventAt ? call.endedAt : base.lastEventAt,
    endedAt: call.endedAt,
    ringSeconds,
    answeredBy: call.answeredBy,
    rang: [...new Set([...(base.rang ?? []), ...call.rang])],
    source: 'pbx',
    pbxCallId: call.pbxCallId,
    ...verdict,
  };
  return reconcileEntries(base.outcome, attempt, call.endedAt, ctx);
}

// --- Internal helpers ---

function decide(call: PbxCall, caller: PhoneNumber, destination: string, rang: number, ctx: CorrelationContext): Pick<CallAttempt, 'outcome' | 'rule'> {
  if (call.answeredBy !== null) return { outcome: 'answered', rule: `the PBX says ${call.answeredBy} answered` };
  const team = ctx.teams.find((t) => t.id === destination);
  // A call that reached no phone (IVR, voicemail, a feature code) is ours only if a team owns the number.
  if (call.rang.length === 0 && team === undefined) return { outcome: 'not-counted', rule: 'the call reached no phone of a team' };
  const policy = effectivePolicy({ defaults: ctx.policy, team: team?.policy, extension: ctx.extensionPolicies[call.rang[0] ?? ''] });
  const verdict = classifyUnanswered(caller, rang, call.rang, policy);
  if (call.abandonedInQueue && verdict.outcome === 'missed') {
    return { outcome: 'missed', rule: `the caller gave up waiting in the queue after ${rang} s` };
  }
  return verdict;
}

/**
 * Rule 4 for PBX-only phones (Cisco) and a PBX's view of any callback: a team extension called the
 * caller back. The far end answered (a bridge) → reached; not answered → a no-answer try.
 */
function onOutbound(call: PbxCall, extension: PhoneNumber, ctx: CorrelationContext): CorrelationResult {
  const ext = extension.key;
  // A PBX names only the extension: the destinations of a phone with that one line and no assignment.
  const where = phoneDestinations({ extension: ext, lines: [], teamIds: [] }, ctx.teams);
  const callee = normaliseNumber(call.called, ctx.country, ctx.policy.internalMaxDigits);
  const dialler = {
    actor: call.callerName !== '' ? call.callerName : `extension ${ext}`, phone: where.own, from: `extension ${ext} (PBX)`,
    at: call.endedAt, startedAt: call.startedAt,
  };
  return callbackByPbx(where.all, callee, call.answeredBy !== null, dialler, ctx);
}
