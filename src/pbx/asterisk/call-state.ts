/** @module One Asterisk call (all channels sharing a Linkedid) while it is open, and the PbxCall it becomes. */
import { classifyDirection, type DirectionRules } from './direction.ts';
import type { PbxCall } from '../../domain/types.ts';

export interface OpenCall {
  linkedid: string;
  startedAt: number;
  lastEventAt: number;
  /** Live channels by Uniqueid → the tracker's event counter when first seen (for reconcile). */
  channels: Map<string, number>;
  caller: string;
  callerName: string;
  called: string;
  originContext: string;
  originEndpoint: string | null;
  /** Whether the first channel (Uniqueid = Linkedid) has been seen, so its fields are filled. */
  originSeen: boolean;
  rang: string[];
  dialledTrunk: boolean;
  /** What to call a dialled leg if it answers: extension, else the number dialled out (by channel name). */
  legLabels: Map<string, string>;
  answeredBy: string | null;
  inQueue: boolean;
  abandoned: boolean;
}

export function newOpenCall(linkedid: string, startedAt: number): OpenCall {
  return {
    linkedid, startedAt, lastEventAt: startedAt, channels: new Map(),
    caller: '', callerName: '', called: '', originContext: '', originEndpoint: null, originSeen: false,
    rang: [], dialledTrunk: false, legLabels: new Map(), answeredBy: null, inQueue: false, abandoned: false,
  };
}

export function toPbxCall(call: OpenCall, endedAt: number, rules: DirectionRules): PbxCall {
  const answered = call.answeredBy !== null;
  return {
    pbxCallId: `ami:${call.linkedid}`,
    caller: call.caller,
    callerName: call.callerName,
    called: call.called,
    startedAt: new Date(call.startedAt).toISOString(),
    endedAt: new Date(Math.max(endedAt, call.startedAt)).toISOString(),
    rang: [...call.rang],
    answeredBy: call.answeredBy,
    // A QueueCallerAbandon, or a caller still in the queue (joined, never left) when the last channel went.
    abandonedInQueue: !answered && (call.abandoned || call.inQueue),
    direction: classifyDirection({
      originEndpoint: call.originEndpoint,
      originContext: call.originContext,
      called: call.called,
      dialledTrunk: call.dialledTrunk,
    }, rules),
  };
}
