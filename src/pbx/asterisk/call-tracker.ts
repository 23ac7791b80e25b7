/**
 * @module AMI events → one PbxCall per finished call. Pure: no I/O, no clock (time comes in as `now`).
 *
 * Grouping (phones.md §4.1): every channel of a call carries the first channel's Uniqueid as its
 * `Linkedid`; a ring group's legs (samples/asterisk/ami-unanswered-huntgroup.raw: six DialBegin/DialEnd
 * pairs) share it. The call is finished when its last channel hangs up, and only then emitted, once.
 *
 * Outcome: a leg that answered (`DialEnd` `DialStatus: ANSWER` [AST-DIALEND], a dialled extension
 * entering a bridge, a queue `AgentConnect`, a `Pickup`) sets `answeredBy`; otherwise every leg ended
 * NOANSWER/CANCEL/BUSY/CHANUNAVAIL/… [AST-DIALSTATUS] and `answeredBy` stays null: missed. Losing legs
 * of a ring group with Dial option `c` end with cause 26 "answered elsewhere" [AST-DIAL-C]; the
 * winner's ANSWER already decides. The caller's own channel going Up (voicemail, IVR) is not an
 * answer — FusionPBX counts a voicemail answer as missed too [FPBX-XMLCDR]. An outbound call
 * answered by the far end has `answeredBy` = the number dialled (no extension answered it). A
 * `QueueCallerAbandon`, or a caller still in a queue when the call ends, sets `abandonedInQueue`.
 * `rang` holds extension-shaped endpoints of dialled legs only (never the caller, never a trunk), in
 * the order they were dialled; a call that reached no phone (IVR, voicemail, feature code) has `rang: []`.
 *
 * Channels whose `Newchannel` we missed (we connected mid-call) are adopted from the first
 * channel event that names them, `CoreShowChannel` included, so calls in progress at (re)connect
 * are followed to their Hangup rather than lost. Needs Asterisk 12+ (Linkedid on every event).
 */
import { parseChannelName } from './channel-name.ts';
import { newOpenCall, toPbxCall, type OpenCall } from './call-state.ts';
import { DEFAULT_INBOUND_CONTEXT, defaultIsExtension, type DirectionRules } from './direction.ts';
import { getField as field, type AmiMessage } from './framing.ts';
import type { PbxCall } from '../../domain/types.ts';

export interface CallTrackerOptions {
  /** Whether an endpoint or number is an internal extension. Default: 1–6 digits. */
  isExtension?: (endpointOrNumber: string) => boolean;
  /** Dialplan contexts where inbound (trunk) calls start. Default: FreePBX's `from-trunk`, `from-pstn`, … */
  inboundContext?: RegExp;
  /** Calls tracked at once; beyond this new Linkedids are ignored so a flood cannot exhaust memory. */
  maxOpenCalls?: number;
  /** Finished Linkedids remembered so late or repeated events never re-open or re-emit a call. */
  rememberFinished?: number;
}

export interface CallTracker {
  /** Apply one AMI event received at `now` (ms). Returns the calls it finished (usually none or one). */
  handle(event: AmiMessage, now: number): PbxCall[];
  /** A point in the event sequence: channels first seen after it are spared by `reconcile`. */
  checkpoint(): number;
  /**
   * After a `CoreShowChannels` listing (`live` = the Uniqueids it listed): channels first seen
   * before `checkpoint` and not listed are gone, as if hung up at `endedAt`; calls left without
   * channels are finished and returned.
   */
  reconcile(live: ReadonlySet<string>, checkpoint: number, endedAt: number): PbxCall[];
  /** Finish calls with no event for `maxIdleMs` (their Hangup was lost); `endedAt` = their last event. */
  expire(now: number, maxIdleMs: number): PbxCall[];
  /** Calls currently open. */
  readonly openCalls: number;
}

/** Events that may introduce a channel we have not seen (we connected after its Newchannel). */
const ADOPTING = new Set([
  'newchannel', 'coreshowchannel', 'newstate', 'newcallerid', 'newconnectedline', 'newexten', 'dialbegin',
  'dialstate', 'dialend', 'bridgeenter', 'queuecallerjoin', 'agentcalled', 'agentconnect', 'musiconholdstart',
]);
const MAX_CHANNELS_PER_CALL = 1000;
const MAX_RANG = 256;
const MAX_TEXT = 128;

export function createCallTracker(options: CallTrackerOptions = {}): CallTracker {
  const rules: DirectionRules = {
    isExtension: options.isExtension ?? defaultIsExtension,
    inboundContext: options.inboundContext ?? DEFAULT_INBOUND_CONTEXT,
  };
  const maxOpenCalls = options.maxOpenCalls ?? 10_000;
  const rememberFinished = options.rememberFinished ?? 10_000;
  const calls = new Map<string, OpenCall>();
  /** Uniqueid → Linkedid of every live channel. */
  const channelCall = new Map<string, string>();
  const finished = new Set<string>();
  let seq = 0;

  function finish(call: OpenCall, endedAt: number): PbxCall {
    calls.delete(call.linkedid);
    for (const uid of call.channels.keys()) channelCall.delete(uid);
    finished.add(call.linkedid);
    if (finished.size > rememberFinished) {
      const oldest = finished.values().next();
      if (oldest.done !== true) finished.delete(oldest.value);
    }
    return toPbxCall(call, endedAt, rules);
  }

  /** The open call for a Linkedid, created when allowed. */
  function callFor(linkedid: string, now: number, create: boolean): OpenCall | undefined {
    const open = calls.get(linkedid);
    if (open !== undefined || !create || linkedid === '' || finished.has(linkedid)) return open;
    if (calls.size >= maxOpenCalls) return undefined;
    const call = newOpenCall(linkedid, now);
    calls.set(linkedid, call);
    return call;
  }

  /** Put a channel into its call (moving it if its Linkedid changed, as bridges may do). */
  function attach(call: OpenCall, uniqueid: string): void {
    if (uniqueid === '' || call.channels.has(uniqueid)) return;
    const previous = channelCall.get(uniqueid);
    if (previous !== undefined) calls.get(previous)?.channels.delete(uniqueid);
    if (call.channels.size >= MAX_CHANNELS_PER_CALL) return;
    call.channels.set(uniqueid, seq);
    channelCall.set(uniqueid, call.linkedid);
  }

  /** The event's own channel: adopt it, and fill the caller's fields from the first channel. */
  function adopt(e: AmiMessage, name: string, now: number): OpenCall | undefined {
    const linkedid = field(e, 'Linkedid');
    const uniqueid = field(e, 'Uniqueid');
    const adopting = ADOPTING.has(name);
    const call = callFor(linkedid, now, adopting);
    if (call === undefined) return undefined;
    call.lastEventAt = now;
    if (!adopting) return call;
    attach(call, uniqueid);
    if (uniqueid !== '' && uniqueid === linkedid) {
      if (!call.originSeen) {
        call.originSeen = true;
        call.originContext = field(e, 'Context');
        call.originEndpoint = parseChannelName(field(e, 'Channel'))?.endpoint ?? null;
        call.caller = text(field(e, 'CallerIDNum'));
        call.callerName = text(field(e, 'CallerIDName'));
        if (name === 'coreshowchannel') call.startedAt = now - durationMs(field(e, 'Duration'));
      } else if (name === 'newcallerid') {
        // A CID lookup or dialplan `Set(CALLERID(name)=…)` refined the caller.
        call.caller = text(field(e, 'CallerIDNum')) || call.caller;
        call.callerName = text(field(e, 'CallerIDName')) || call.callerName;
      }
      // The first real extension the caller's channel ran is what was dialled (`s` is FreePBX's "start").
      const exten = field(e, 'Exten');
      if (call.called === '' && exten !== '' && exten !== 's' && name !== 'coreshowchannel') call.called = text(exten);
    }
    return call;
  }

  /** A dialled leg (DialBegin/DialEnd/AgentCalled `Dest*` fields): it rang. */
  function addLeg(call: OpenCall, e: AmiMessage): string {
    const destName = field(e, 'DestChannel') || field(e, 'Interface');
    attach(call, field(e, 'DestUniqueid'));
    const ep = parseChannelName(destName);
    if (ep === null) return destName;
    const known = call.legLabels.get(destName);
    if (known !== undefined) return known;
    let label = ep.endpoint;
    if (rules.isExtension(ep.endpoint)) {
      if (!call.rang.includes(ep.endpoint) && call.rang.length < MAX_RANG) call.rang.push(ep.endpoint);
    } else if (ep.tech.toLowerCase() !== 'local') {
      call.dialledTrunk = true;
      label = dialledNumber(field(e, 'DialString')) ?? ep.endpoint;
    }
    if (call.legLabels.size < MAX_CHANNELS_PER_CALL) call.legLabels.set(destName, label);
    return label;
  }

  function answered(call: OpenCall, by: string): void {
    if (call.answeredBy === null && by !== '') call.answeredBy = text(by);
  }

  function hangup(e: AmiMessage, now: number): PbxCall[] {
    const uniqueid = field(e, 'Uniqueid');
    const linkedid = channelCall.get(uniqueid);
    const call = linkedid === undefined ? undefined : calls.get(linkedid);
    if (call === undefined) return [];
    call.channels.delete(uniqueid);
    channelCall.delete(uniqueid);
    call.lastEventAt = now;
    return call.channels.size === 0 ? [finish(call, now)] : [];
  }

  return {
    handle(e, now) {
      seq += 1;
      const name = field(e, 'Event').toLowerCase();
      if (name === '') return [];
      if (name === 'hangup') return hangup(e, now);
      if (name === 'pickup') {
        // Asterisk 12+: `Channel` is the phone that picked up, `Target*` the ringing leg's call.
        const call = calls.get(field(e, 'TargetLinkedid'));
        const ep = parseChannelName(field(e, 'Channel'));
        if (call !== undefined && ep !== null) answered(call, ep.endpoint);
        return [];
      }
      const call = adopt(e, name, now);
      if (call === undefined) return [];
      switch (name) {
        case 'coreshowchannel': {
          // A dialled leg ("AppDial") listed at reconnect: it rang, and in a bridge it answered.
          if (field(e, 'Application') !== 'AppDial') break;
          const ep = parseChannelName(field(e, 'Channel'));
          if (ep === null || !rules.isExtension(ep.endpoint)) break;
          if (!call.rang.includes(ep.endpoint) && call.rang.length < MAX_RANG) call.rang.push(ep.endpoint);
          if (field(e, 'BridgeId') !== '') answered(call, ep.endpoint);
          break;
        }
        case 'dialbegin':
        case 'agentcalled':
          addLeg(call, e);
          break;
        case 'dialend': {
          const label = addLeg(call, e);
          if (field(e, 'DialStatus').toUpperCase() === 'ANSWER') answered(call, label);
          break;
        }
        case 'agentconnect':
          answered(call, addLeg(call, e));
          break;
        case 'bridgeenter': {
          // Covers answers without a DialEnd (attended transfer, pickup variants); the caller's own
          // channel entering a bridge is not an answer, and neither is a trunk.
          const uniqueid = field(e, 'Uniqueid');
          const ep = parseChannelName(field(e, 'Channel'));
          if (uniqueid !== call.linkedid && ep !== null && rules.isExtension(ep.endpoint)) answered(call, ep.endpoint);
          break;
        }
        case 'queuecallerjoin':
          call.inQueue = true;
          if (call.called === '') call.called = text(field(e, 'Queue'));
          break;
        case 'queuecallerleave':
          call.inQueue = false;
          break;
        case 'queuecallerabandon':
          call.inQueue = false;
          call.abandoned = true;
          break;
        default:
          break;
      }
      return [];
    },

    checkpoint() {
      return seq;
    },

    reconcile(live, checkpoint, endedAt) {
      const out: PbxCall[] = [];
      for (const call of [...calls.values()]) {
        for (const [uid, firstSeen] of [...call.channels]) {
          if (firstSeen <= checkpoint && !live.has(uid)) {
            call.channels.delete(uid);
            channelCall.delete(uid);
          }
        }
        if (call.channels.size === 0) out.push(finish(call, Math.max(endedAt, call.lastEventAt)));
      }
      return out;
    },

    expire(now, maxIdleMs) {
      const out: PbxCall[] = [];
      for (const call of [...calls.values()]) {
        if (now - call.lastEventAt >= maxIdleMs) out.push(finish(call, call.lastEventAt));
      }
      return out;
    },

    get openCalls() {
      return calls.size;
    },
  };
}

// --- Internal helpers ---

/** Asterisk writes `<unknown>` for an absent caller id; control characters never reach the log. */
function text(s: string): string {
  const v = s.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return v === '<unknown>' ? '' : v.slice(0, MAX_TEXT);
}

/** `CoreShowChannel` `Duration: HH:MM:SS` → ms. */
function durationMs(s: string): number {
  const m = /^(\d+):(\d{2}):(\d{2})$/.exec(s.trim());
  return m === null ? 0 : ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1000;
}

/** The number in a trunk DialString (`provider/sip:0301234@host`, `0301234@provider`), if it is one. */
function dialledNumber(dialString: string): string | null {
  const last = dialString.slice(dialString.lastIndexOf('/') + 1).replace(/^(sips?|tel):/i, '');
  const user = last.split('@')[0] ?? '';
  return /^\+?[0-9*#]+$/.test(user) ? user : null;
}
