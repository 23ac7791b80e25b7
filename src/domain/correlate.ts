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
import { destinationOf, teamsOfPhone } from './destination.ts';
import { callbackConnected, callbackDialled, callbackEnded } from './callback-calls.ts';
import { reconcileEntries } from './reconcile.ts';
import type {
  CallAttempt, EndpointState, MissedCall, MissedPolicy, Phone, PhoneEvent, PhoneNumber, Team,
} from './types.ts';

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

/** The records an event changed: the caller persists exactly these. */
export interface CorrelationResult {
  attempts: CallAttempt[];
  missed: MissedCall[];
  removedMissed: string[];
}

const EMPTY: CorrelationResult = { attempts: [], missed: [], removedMissed: [] };
const TERMINAL: ReadonlySet<EndpointState['state']> = new Set(['missed', 'answered', 'ended', 'rejected']);

export function correlateEvent(event: PhoneEvent, phone: Phone, ctx: CorrelationContext): CorrelationResult {
  switch (event.kind) {
    case 'ringing':
    case 'missed':
    case 'answered':
    case 'rejected':
      return onIncomingLeg(event, phone, ctx);
    case 'ended': {
      // An end that finishes no ringing leg may end an outgoing call: a callback that did not connect.
      const leg = onIncomingLeg(event, phone, ctx);
      return leg !== EMPTY ? leg : onCallback(event, phone, ctx, 'ended');
    }
    case 'connected':
      if (hasRingingLeg(event, phone, ctx)) return onIncomingLeg({ ...event, kind: 'answered' }, phone, ctx);
      // The phone's own direction hint alone never settles a call: it only keeps an incoming call
      // whose ringing we did not see from counting as this phone calling the caller back.
      return event.hints?.direction === 'incoming' ? EMPTY : onCallback(event, phone, ctx, 'connected');
    case 'outgoing':
      return onCallback(event, phone, ctx, 'outgoing');
    case 'registered':
    case 'unregistered':
    case 'booted':
      return EMPTY;
  }
}

// --- Internal helpers ---

function callerOf(event: PhoneEvent, ctx: CorrelationContext): PhoneNumber {
  return normaliseNumber(event.remote, ctx.country, ctx.policy.internalMaxDigits);
}

function fingerprint(event: PhoneEvent, caller: PhoneNumber): string {
  return `${event.mac}|${event.kind}|${event.callRef}|${caller.key}`;
}

function secondsBetween(from: string, to: string): number {
  return Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000));
}

function sinceWindow(at: string, ctx: CorrelationContext): string {
  return new Date(Date.parse(at) - ctx.windowSeconds * 1000).toISOString();
}

function hasRingingLeg(event: PhoneEvent, phone: Phone, ctx: CorrelationContext): boolean {
  const caller = callerOf(event, ctx);
  const destination = destinationOf(phone, event, ctx.teams);
  const open = ctx.view.recentAttempts(destination, caller.key, sinceWindow(event.receivedAt, ctx));
  return open.some((a) => a.endpoints[phone.mac]?.state === 'ringing' ||
    (a.endpoints[phone.mac] === undefined && a.outcome === 'pending'));
}

/**
 * The attempt an incoming-call event belongs to: the newest recent attempt in which this phone's
 * leg is not finished. A phone that finished its leg and rings again is on a new call; an `ended`
 * never starts a call (outgoing calls end too).
 */
function findAttempt(event: PhoneEvent, caller: PhoneNumber, destination: string, ctx: CorrelationContext,
  print: string): { attempt: CallAttempt | undefined; duplicate: boolean } {
  const recent = sameDialog(ctx.view.recentAttempts(destination, caller.key, sinceWindow(event.receivedAt, ctx)), event);
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

function newAttempt(event: PhoneEvent, caller: PhoneNumber, destination: string, ctx: CorrelationContext): CallAttempt {
  return {
    id: ctx.newId(), destination, caller, callerName: event.remoteName, called: event.called,
    firstRingAt: event.receivedAt, lastEventAt: event.receivedAt, endedAt: null, ringSeconds: null,
    endpoints: {}, answeredBy: null, outcome: 'pending', rule: 'ringing', source: 'phones', pbxCallId: null,
    missedCallId: null, seen: [],
  };
}

function onIncomingLeg(event: PhoneEvent, phone: Phone, ctx: CorrelationContext): CorrelationResult {
  const caller = callerOf(event, ctx);
  const destination = destinationOf(phone, event, ctx.teams);
  const print = fingerprint(event, caller);
  const found = findAttempt(event, caller, destination, ctx, print);
  if (found.duplicate) return EMPTY;
  const before = found.attempt ?? newAttempt(event, caller, destination, ctx);
  const attempt = applyLeg(before, event, phone, print);
  return settle(before.outcome, attempt, event, ctx);
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
function onCallback(event: PhoneEvent, phone: Phone, ctx: CorrelationContext, step: 'outgoing' | 'connected' | 'ended'): CorrelationResult {
  const callee = callerOf(event, ctx);
  const destinations = [...teamsOfPhone(phone, ctx.teams).map((t) => t.id), `ext:${event.local !== '' ? event.local : phone.extension}`];
  const dialler = { actor: phone.userName, phone: phone.mac, from: phone.label, at: event.receivedAt };
  switch (step) {
    case 'outgoing': return callbackDialled(destinations, callee, dialler, ctx);
    case 'connected': return callbackConnected(destinations, callee, dialler, ctx);
    case 'ended': return callbackEnded(destinations, callee, dialler, ctx);
  }
}
