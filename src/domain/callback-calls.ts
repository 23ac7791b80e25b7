/**
 * @module Rule 4 of the correlator: a team phone (or a PBX extension) calling an open caller back.
 * Dialling is not reaching: the outgoing call marks the entry "Anna calling back…"; only a call that
 * connects returns it (reached); a call that ends without connecting is a no-answer try and the
 * entry stays open. Phone events and PBX reports of one call agree instead of counting twice.
 */
import { recordCallback } from './callbacks.ts';
import type { CorrelationContext, CorrelationResult } from './correlation.ts';
import type { MissedCall, PhoneNumber } from './types.ts';

/** Who is calling, from where: `phone` is the mac (or `ext:<extension>` for a PBX-only phone). */
export interface Dialler {
  actor: string;
  phone: string;
  /** How the phone is named in history notes ("Desk 11", "extension 11 (PBX)"). */
  from: string;
  at: string;
}

/** The phone dialled `callee`: each open entry of that caller at these destinations shows who is calling. */
export function callbackDialled(destinations: readonly string[], callee: PhoneNumber, d: Dialler,
  ctx: CorrelationContext): CorrelationResult {
  return result(openOf(destinations, callee, ctx).flatMap((m) => {
    // Poly reports one dial as OutgoingCallEvent, Setup and Ringback: still the same call (unless
    // the earlier one is so old that its end was lost).
    if (m.callingBack?.phone === d.phone && Date.parse(d.at) - Date.parse(m.callingBack.at) <= CALLING_BACK_SHOWN_SECONDS * 1000) return [];
    return [{
      ...m, callingBack: { by: d.actor, at: d.at, phone: d.phone },
      history: [...m.history, { at: d.at, actor: d.actor, action: 'calling back', via: 'auto' as const, note: `dialled ${shown(callee)} from ${d.from}` }],
    }];
  }));
}

/** The phone's call with `callee` connected: the caller is reached, each open entry returned. */
export function callbackConnected(destinations: readonly string[], callee: PhoneNumber, d: Dialler,
  ctx: CorrelationContext): CorrelationResult {
  return result(openOf(destinations, callee, ctx).map((m) => recordCallback(m, {
    actor: m.callingBack?.phone === d.phone ? m.callingBack.by : d.actor, via: 'auto', at: d.at, outcome: 'reached',
    note: `connected to ${shown(callee)} from ${d.from}`,
  })));
}

/**
 * The phone's call ended. Each entry this phone was calling back (and that the call did not
 * connect, or it would be returned) gets a no-answer try. `callee` may be unknown (Poly's OnHook).
 */
export function callbackEnded(destinations: readonly string[], callee: PhoneNumber | null, d: Dialler,
  ctx: CorrelationContext): CorrelationResult {
  const calling: MissedCall[] = [];
  for (const destination of new Set(destinations)) {
    for (const m of ctx.view.openMissed(destination)) {
      if (m.callingBack?.phone !== d.phone) continue;
      if (callee !== null && callee.key !== '' && m.caller.key !== callee.key) continue;
      calling.push(m);
    }
  }
  return result(calling.map((m) => noAnswer(m, m.callingBack?.by ?? d.actor, d)));
}

/**
 * A PBX reported a finished outbound call from a team extension to `callee`: answered (bridged) →
 * reached; not answered → a no-answer try, unless the phone's own events already counted this call.
 */
export function callbackByPbx(destinations: readonly string[], callee: PhoneNumber, answered: boolean,
  d: Dialler & { startedAt: string }, ctx: CorrelationContext): CorrelationResult {
  const since = Date.parse(d.startedAt) - ctx.windowSeconds * 1000;
  return result(openOf(destinations, callee, ctx).flatMap((m) => {
    const actor = m.callingBack?.by ?? d.actor;
    if (answered) return [recordCallback(m, { actor, via: 'auto', at: d.at, outcome: 'reached', note: `the PBX connected ${d.from} to ${shown(callee)}` })];
    const counted = m.callbacks.some((c) => c.via === 'auto' && c.outcome === 'no-answer' && Date.parse(c.at) >= since);
    return counted ? [] : [noAnswer(m, actor, d)];
  }));
}

/**
 * A callback still ringing after this long lost its end event (phone rebooted, network): the entry
 * stops saying "calling back" rather than claiming it forever.
 */
export const CALLING_BACK_SHOWN_SECONDS = 10 * 60;

/** Who is calling the caller back now, if anyone (what screens and the API show). */
export function callingBackNow(m: MissedCall, now: string): { by: string; at: string } | null {
  const c = m.callingBack;
  if (c === undefined || c === null || (m.status !== 'pending' && m.status !== 'assigned')) return null;
  return Date.parse(now) - Date.parse(c.at) <= CALLING_BACK_SHOWN_SECONDS * 1000 ? { by: c.by, at: c.at } : null;
}

// --- Internal helpers ---

function openOf(destinations: readonly string[], callee: PhoneNumber, ctx: CorrelationContext): MissedCall[] {
  if (callee.key === '') return [];
  const out: MissedCall[] = [];
  for (const destination of new Set(destinations)) {
    const open = ctx.view.openMissedByCaller(destination, callee.key);
    if (open !== undefined) out.push(open);
  }
  return out;
}

function noAnswer(m: MissedCall, actor: string, d: Dialler): MissedCall {
  return recordCallback(m, { actor, via: 'auto', at: d.at, outcome: 'no-answer', note: `the call from ${d.from} ended without connecting` });
}

function shown(n: PhoneNumber): string {
  return n.raw === '' ? n.key : n.raw;
}

function result(missed: MissedCall[]): CorrelationResult {
  return { attempts: [], missed, removedMissed: [] };
}
