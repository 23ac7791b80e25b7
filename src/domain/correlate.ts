/**
 * @module Correlation: phone events → one CallAttempt per real call → MissedCall entries.
 *
 * Rules (DESIGN §3): events of one team's phones about one caller within a sliding window are one
 * attempt (1); any answer within the window means not missed, even when the misses came first (2);
 * ringing then ended with no answer is a miss for vendors with no missed event (3); a team phone
 * calling an open caller back shows who is calling and returns the entry once that call connects
 * (4, callback-calls.ts); a duplicate delivery changes nothing (5); only the server's receive time
 * counts (6). A miss is shown at once and retracted when an answer arrives.
 */
import { normaliseNumber } from './numbers.ts';
import { classifyUnanswered, effectivePolicy } from './policy.ts';
import { destinationOf, phoneDestinations, type PhoneDestinations } from './destination.ts';
import { callbackConnected, callbackDialled, callbackEnded } from './callback-calls.ts';
import { noChange, secondsBetween, windowBefore, type CorrelationContext, type CorrelationResult } from './correlation.ts';
import { reconcileEntries } from './reconcile.ts';
import type { CallAttempt, EndpointState, Phone, PhoneEvent, PhoneNumber } from './types.ts';

const NOT_CALLS: ReadonlySet<PhoneEvent['kind']> = new Set(['registered', 'unregistered', 'booted']);

export function correlateEvent(event: PhoneEvent, phone: Phone, ctx: CorrelationContext): CorrelationResult {
  if (NOT_CALLS.has(event.kind)) return noChange();
  // Computed once per event: every step below reads these instead of asking again.
  const caller = normaliseNumber(event.remote, ctx.country, ctx.policy.internalMaxDigits);
  const where = phoneDestinations(phone, ctx.teams, event.local !== '' ? event.local : phone.extension);
  if (event.kind === 'outgoing') return onCallback(event, phone, caller, where, ctx, 'outgoing');
  const destination = destinationOf(where, event.called);
  const recent = ctx.view.recentAttempts(destination, caller.key, windowBefore(event.receivedAt, ctx));
  const call: Incoming = { event, phone, caller, destination, recent, ctx };
  switch (event.kind) {
    case 'ended':
      // An end that finishes no ringing leg may end an outgoing call: a callback that did not connect.
      return onIncomingLeg(call) ?? onCallback(event, phone, caller, where, ctx, 'ended');
    case 'connected':
      if (hasRingingLeg(call)) return onIncomingLeg({ ...call, event: { ...event, kind: 'answered' } }) ?? noChange();
      // The phone's own direction hint alone never settles a call: it only keeps an incoming call
      // whose ringing we did not see from counting as this phone calling the caller back.
      return event.hints?.direction === 'incoming' ? noChange() : onCallback(event, phone, caller, where, ctx, 'connected');
    default:
      return onIncomingLeg(call) ?? noChange();
  }
}

// --- Internal helpers ---

/** An event about an incoming call: who calls, for which destination, and its recent attempts there (newest first). */
interface Incoming {
  event: PhoneEvent;
  phone: Phone;
  caller: PhoneNumber;
  destination: string;
  recent: CallAttempt[];
  ctx: CorrelationContext;
}

function fingerprint(event: PhoneEvent, caller: PhoneNumber): string {
  return `${event.mac}|${event.kind}|${event.callRef}|${caller.key}`;
}

function hasRingingLeg({ recent, phone }: Incoming): boolean {
  return recent.some((a) => a.endpoints[phone.mac]?.state === 'ringing' ||
    (a.endpoints[phone.mac] === undefined && a.outcome === 'pending'));
}

/**
 * The attempt an incoming-call event belongs to: the newest recent attempt in which this phone's
 * leg is not finished. A phone that finished its leg and rings again is on a new call; an `ended`
 * never starts a call (outgoing calls end too).
 */
function findAttempt({ event, recent: all }: Incoming, print: string): { attempt: CallAttempt | undefined; duplicate: boolean } {
  const recent = sameDialog(all, event);
  if (event.callRef !== '' && recent.some((a) => a.seen.includes(print))) return { attempt: undefined, duplicate: true };
  const open = recent.find((a) => {
    const leg = a.endpoints[event.mac];
    return event.kind === 'ended' ? leg?.state === 'ringing' : leg === undefined || leg.state === 'ringing';
  });
  if (open !== undefined) return { attempt: open, duplicate: false };
  const repeated = event.kind === 'ended' ||
    recent.some((a) => a.endpoints[event.mac]?.state === stateOf(event.kind) && event.kind !== 'ringing');
  return { attempt: undefined, duplicate: repeated };
}

/**
 * When the event names its SIP dialog, only attempts of that dialog (or of none reported yet) are
 * candidates, that dialog's first: every phone of a forked INVITE reports the same id, and a second
 * call from the same caller (another dialog) is another attempt even inside the window.
 */
function sameDialog(recent: CallAttempt[], event: PhoneEvent): CallAttempt[] {
  const id = event.dialogId;
  if (id === undefined || id === '') return recent;
  const same = recent.filter((a) => a.dialogIds?.includes(id) === true);
  const unknown = recent.filter((a) => a.dialogIds === undefined || a.dialogIds.length === 0);
  return [...same, ...unknown];
}

function stateOf(kind: PhoneEvent['kind']): EndpointState['state'] {
  switch (kind) {
    case 'answered': return 'answered';
    case 'rejected': return 'rejected';
    case 'missed': return 'missed';
    default: return 'ringing';
  }
}

function newAttempt({ event, caller, destination, ctx }: Incoming): CallAttempt {
  return {
    id: ctx.newId(), destination, caller, callerName: event.remoteName, called: event.called,
    firstRingAt: event.receivedAt, lastEventAt: event.receivedAt, endedAt: null, ringSeconds: null,
    endpoints: {}, answeredBy: null, outcome: 'pending', rule: 'ringing', source: 'phones', pbxCallId: null,
    missedCallId: null, seen: [],
  };
}

/** The event as a leg of an incoming call; undefined when it is no news (a duplicate, or an end of no ringing leg). */
function onIncomingLeg(call: Incoming): CorrelationResult | undefined {
  const print = fingerprint(call.event, call.caller);
  const found = findAttempt(call, print);
  if (found.duplicate) return undefined;
  const before = found.attempt ?? newAttempt(call);
  const attempt = applyLeg(before, call.event, call.phone, print);
  return settle(before.outcome, attempt, call.event, call.ctx);
}

/** Marks an attempt whose caller's CANCEL said "completed elsewhere" (answered by a phone we don't see). */
const ELSEWHERE = 'elsewhere';

function applyLeg(a: CallAttempt, event: PhoneEvent, phone: Phone, print: string): CallAttempt {
  const extension = event.local !== '' ? event.local : phone.extension;
  // Rule 3: a leg that rang and ended with no answer was missed on that phone.
  const state = event.kind === 'ended' ? 'missed' : stateOf(event.kind);
  const sawRinging = event.kind === 'ringing' || a.seen.some((s) => s.includes('|ringing|'));
  const finished = state !== 'ringing';
  const answeredBy = state === 'answered' ? extension
    : event.completedElsewhere === true ? a.answeredBy ?? ELSEWHERE : a.answeredBy;
  return {
    ...a,
    callerName: a.callerName !== '' ? a.callerName : event.remoteName,
    called: a.called !== '' ? a.called : event.called,
    endpoints: { ...a.endpoints, [event.mac]: { extension, state, at: event.receivedAt } },
    lastEventAt: event.receivedAt > a.lastEventAt ? event.receivedAt : a.lastEventAt,
    endedAt: finished ? event.receivedAt : a.endedAt,
    ringSeconds: finished && sawRinging ? Math.max(a.ringSeconds ?? 0, secondsBetween(a.firstRingAt, event.receivedAt)) : a.ringSeconds,
    answeredBy,
    seen: [...a.seen, print].slice(-64),
    ...withDialog(a.dialogIds, event.dialogId),
  };
}

function withDialog(ids: string[] | undefined, id: string | undefined): Pick<CallAttempt, 'dialogIds'> {
  if (id === undefined || id === '') return ids === undefined ? {} : { dialogIds: ids };
  return { dialogIds: ids?.includes(id) === true ? ids : [...(ids ?? []), id].slice(-8) };
}

/** Decide the attempt's outcome from its legs, then move the MissedCall entries to match. */
function settle(previousOutcome: CallAttempt['outcome'], a: CallAttempt,
  event: PhoneEvent, ctx: CorrelationContext): CorrelationResult {
  // Once a PBX reported the call, its verdict stands; phone events only add legs.
  if (a.source === 'pbx') return { attempts: [a], missed: [], removedMissed: [] };
  return reconcileEntries(previousOutcome, { ...a, ...decideFromLegs(a, ctx) }, event.receivedAt, ctx);
}

function decideFromLegs(a: CallAttempt, ctx: CorrelationContext): Pick<CallAttempt, 'outcome' | 'rule'> {
  const legs = Object.values(a.endpoints);
  if (a.answeredBy !== null) {
    return a.answeredBy === ELSEWHERE
      ? { outcome: 'answered-elsewhere', rule: 'the PBX said the call was completed elsewhere' }
      : { outcome: 'answered', rule: `answered on ${a.answeredBy}` };
  }
  if (!legs.some((l) => l.state === 'missed' || l.state === 'rejected')) return { outcome: a.outcome, rule: a.rule };
  const team = ctx.teams.find((t) => t.id === a.destination);
  return classifyUnanswered(a.caller, a.ringSeconds, [...new Set(legs.map((l) => l.extension))],
    effectivePolicy({ defaults: ctx.policy, team: team?.policy, extension: ctx.extensionPolicies[legs[0]?.extension ?? ''] }));
}

/**
 * Rule 4: a team phone calling a caller with an open entry back. Dialling shows who is calling,
 * a connected call returns the entry, an end without connecting counts a no-answer try.
 */
function onCallback(event: PhoneEvent, phone: Phone, callee: PhoneNumber, where: PhoneDestinations, ctx: CorrelationContext,
  step: 'outgoing' | 'connected' | 'ended'): CorrelationResult {
  const destinations = where.all;
  const dialler = { actor: phone.userName, phone: phone.mac, from: phone.label, at: event.receivedAt };
  switch (step) {
    case 'outgoing': return callbackDialled(destinations, callee, dialler, ctx);
    case 'connected': return callbackConnected(destinations, callee, dialler, ctx);
    case 'ended': return callbackEnded(destinations, callee, dialler, ctx);
  }
}
