/**
 * Generated AMI event sequences in the shape of the live captures (shared/samples/asterisk/): ring
 * groups, queues, trunks. Text uses LF and a blank line after each event, like the captures;
 * `toWire` turns it into CRLF.
 */
import { sample } from '../support/samples.ts';

export type Eol = '\r\n' | '\n';

export const CAPTURES = ['ami-unanswered-huntgroup.raw', 'ami-unanswered-cancel.raw', 'ami-answered-internal.raw'] as const;

export function readCapture(name: string): string {
  return sample(`asterisk/${name}`);
}

/** LF text → the wire form with the given line end (Asterisk itself writes CRLF). */
export function toWire(text: string, eol: Eol): string {
  return text.replace(/\r?\n/g, eol);
}

export interface Chan {
  name: string;
  uniqueid: string;
  linkedid: string;
  num: string;
  cidName: string;
  context: string;
  exten: string;
}

export function block(event: string, fields: Record<string, string>): string {
  const lines = [`Event: ${event}`, 'Privilege: call,all', ...Object.entries(fields).map(([k, v]) => `${k}: ${v}`)];
  return `${lines.join('\n')}\n\n`;
}

export function chanFields(c: Chan, prefix = ''): Record<string, string> {
  return {
    [`${prefix}Channel`]: c.name,
    [`${prefix}ChannelState`]: '4',
    [`${prefix}CallerIDNum`]: c.num,
    [`${prefix}CallerIDName`]: c.cidName,
    [`${prefix}ConnectedLineNum`]: '<unknown>',
    [`${prefix}Context`]: c.context,
    [`${prefix}Exten`]: c.exten,
    [`${prefix}Priority`]: '1',
    [`${prefix}Uniqueid`]: c.uniqueid,
    [`${prefix}Linkedid`]: c.linkedid,
  };
}

const hangup = (c: Chan, cause = '16'): string => block('Hangup', { ...chanFields(c), Cause: cause, 'Cause-txt': 'Normal Clearing' });

/** One extension (`PJSIP/<ext>-…`) leg of call `linkedid`. */
function leg(linkedid: string, ext: string, n: number, exten = 's'): Chan {
  return {
    name: `PJSIP/${ext}-0000a${String(n).padStart(3, '0')}`, uniqueid: `${linkedid}${n}`, linkedid,
    num: ext, cidName: `Phone ${ext}`, context: 'from-internal', exten,
  };
}

export interface RingGroupCall {
  /** Also the caller channel's Uniqueid. */
  linkedid: string;
  callerExt: string;
  callerName: string;
  group: string;
  members: string[];
  answeredBy?: string;
}

/** An extension dials a ring group; every member rings; nobody answers, or `answeredBy` does. */
export function ringGroupCall(o: RingGroupCall): string {
  const origin: Chan = {
    name: `PJSIP/${o.callerExt}-0000a000`, uniqueid: o.linkedid, linkedid: o.linkedid,
    num: o.callerExt, cidName: o.callerName, context: 'from-internal', exten: o.group,
  };
  const legs = o.members.map((m, i) => leg(o.linkedid, m, i + 1));
  let out = block('Newchannel', chanFields(origin));
  for (const l of legs) {
    out += block('Newchannel', chanFields(l));
    out += block('DialBegin', { ...chanFields(origin), ...chanFields(l, 'Dest'), DialString: l.num });
  }
  for (const l of legs) {
    const status = o.answeredBy === undefined ? 'NOANSWER' : l.num === o.answeredBy ? 'ANSWER' : 'CANCEL';
    out += block('DialEnd', { ...chanFields(origin), ...chanFields(l, 'Dest'), DialStatus: status });
  }
  const winner = legs.find((l) => l.num === o.answeredBy);
  for (const l of legs) if (l !== winner) out += hangup(l, o.answeredBy === undefined ? '0' : '26');
  if (winner !== undefined) {
    out += block('BridgeEnter', { BridgeUniqueid: 'b-1', BridgeNumChannels: '1', ...chanFields(winner) });
    out += block('BridgeEnter', { BridgeUniqueid: 'b-1', BridgeNumChannels: '2', ...chanFields(origin) });
    out += block('BridgeLeave', { BridgeUniqueid: 'b-1', BridgeNumChannels: '1', ...chanFields(origin) });
    out += hangup(winner);
  }
  return out + hangup(origin);
}

export interface QueueCall {
  linkedid: string;
  callerNumber: string;
  callerName: string;
  did: string;
  queue: string;
  members: string[];
}

/** A trunk caller waits in a queue whose members (FreePBX Local/…@from-queue) ring; the caller gives up. */
export function queueAbandonCall(o: QueueCall): string {
  const origin: Chan = {
    name: 'PJSIP/provider-0000b000', uniqueid: o.linkedid, linkedid: o.linkedid,
    num: o.callerNumber, cidName: o.callerName, context: 'from-pstn', exten: o.did,
  };
  const queueFields = { Queue: o.queue, Position: '1', Count: '1' };
  const locals = o.members.map((m, i): Chan => ({
    name: `Local/${m}@from-queue-0000c${String(i).padStart(3, '0')};1`, uniqueid: `${o.linkedid}${i + 1}`,
    linkedid: o.linkedid, num: m, cidName: `Agent ${m}`, context: 'from-queue', exten: m,
  }));
  let out = block('Newchannel', chanFields(origin));
  out += block('QueueCallerJoin', { ...chanFields(origin), ...queueFields });
  for (const [i, l] of locals.entries()) {
    out += block('Newchannel', chanFields(l));
    out += block('AgentCalled', {
      ...chanFields(origin), ...chanFields(l, 'Dest'), Queue: o.queue,
      Interface: `Local/${o.members[i] ?? ''}@from-queue/n`, MemberName: `Agent ${o.members[i] ?? ''}`,
    });
  }
  out += block('QueueCallerAbandon', { ...chanFields(origin), Queue: o.queue, Position: '1', OriginalPosition: '1', HoldTime: '17' });
  for (const l of locals) out += hangup(l);
  out += block('QueueCallerLeave', { ...chanFields(origin), ...queueFields, Count: '0' });
  return out + hangup(origin);
}

/** An extension calls out through a trunk; the far end answers (or, with `answered: false`, does not). */
export function outboundCall(o: { linkedid: string; ext: string; number: string; answered?: boolean }): string {
  const origin: Chan = {
    name: `PJSIP/${o.ext}-0000d000`, uniqueid: o.linkedid, linkedid: o.linkedid,
    num: o.ext, cidName: `Phone ${o.ext}`, context: 'from-internal', exten: o.number,
  };
  const trunk: Chan = {
    name: 'PJSIP/provider-0000d001', uniqueid: `${o.linkedid}1`, linkedid: o.linkedid,
    num: o.number, cidName: '', context: 'from-trunk', exten: 's',
  };
  return block('Newchannel', chanFields(origin)) + block('Newchannel', chanFields(trunk))
    + block('DialBegin', { ...chanFields(origin), ...chanFields(trunk, 'Dest'), DialString: `provider/sip:${o.number}@sip.example.net` })
    + block('DialEnd', { ...chanFields(origin), ...chanFields(trunk, 'Dest'), DialStatus: o.answered === false ? 'NOANSWER' : 'ANSWER' })
    + (o.answered === false ? '' : block('BridgeEnter', { BridgeUniqueid: 'b-2', ...chanFields(trunk) }))
    + hangup(trunk) + hangup(origin);
}

/** A one-channel call, sent last in a test: once it arrives, everything sent before it was processed. */
export function markerCall(linkedid = '1900000000.1'): string {
  const c = leg(linkedid, '99', 0, '*43');
  const origin = { ...c, uniqueid: linkedid };
  return block('Newchannel', chanFields(origin)) + hangup(origin);
}
