/**
 * @module Poly telephony event notifications (XML POSTed by the phone [PLCM-WEB50-27]) →
 * ParsedEvents. Poly has no missed-call event: the domain infers "missed" from ringing → ended
 * without connected on one `callRef` (phones.md §2.1).
 */
import type { EventKind, ParsedEvent } from '../../domain/types.ts';
import type { ParseEvent } from '../types.ts';
import { cleanField } from '../shared/text.ts';
import { macOf } from '../shared/mac.ts';
import { sipUser, unquote } from '../shared/sip.ts';
import { phoneTimeOf } from './timestamp.ts';
import { attribute, child, childText, children, readXml, tagOf, type XmlNode } from './xml.ts';

/** A phone sends one event per POST; a few in a wrapper at most. More are ignored. */
const MAX_EVENTS = 20;

export const parseEvent: ParseEvent = (req) => {
  const read = readXml(req?.body);
  if (!read.ok) return read;
  const elements = eventElements(read.nodes);
  if (elements.length === 0) return { ok: false, reason: 'no Poly telephony event in body' };
  const events: ParsedEvent[] = [];
  for (const element of elements.slice(0, MAX_EVENTS)) {
    const event = toEvent(element);
    if (event === null) continue;
    const mac = macOf(childText(element, 'MACAddress'));
    events.push(mac === undefined ? event : { ...event, reportedMac: mac });
  }
  // Known events we do not log (OffHook, PhoneLocked…) give ok with no events.
  return { ok: true, events };
};

// --- Internal helpers ---

/** Every event we know, logged or not; anything else in the body is ignored. */
const KNOWN = new Set([
  'IncomingCallEvent',
  'OutgoingCallEvent',
  'CallStateChangeEvent',
  'OffHookEvent',
  'OnHookEvent',
  'LineRegistrationEvent',
  'LineUnregistrationEvent',
  'PhoneLockedEvent',
  'PhoneUnlockedEvent',
  'UserLoginOutEvent',
]);

/** Events bare at the top or inside `<PolycomIPPhone>` (SIP 3.1 wrapper [PLCM-SIP31-36]). */
function eventElements(nodes: XmlNode[]): XmlNode[] {
  const out: XmlNode[] = [];
  for (const node of nodes) {
    const tag = tagOf(node);
    if (tag === 'PolycomIPPhone') out.push(...children(node).filter((c) => KNOWN.has(tagOf(c) ?? '')));
    else if (tag !== undefined && KNOWN.has(tag)) out.push(node);
  }
  return out;
}

function toEvent(element: XmlNode): ParsedEvent | null {
  const phoneTime = phoneTimeOf(field(element, 'TimeStamp'));
  const base = { local: '', remote: '', remoteName: '', called: '', callRef: '', phoneTime };
  switch (tagOf(element)) {
    case 'IncomingCallEvent':
      // CalledPartyNumber is the number this phone was called on (its line, or the group's).
      return {
        ...base,
        kind: 'ringing',
        local: sipUser(field(element, 'CalledPartyNumber')),
        remote: field(element, 'CallingPartyNumber'),
        remoteName: name(element, 'CallingPartyName'),
        called: field(element, 'CalledPartyNumber'),
      };
    case 'OutgoingCallEvent':
      return {
        ...base,
        kind: 'outgoing',
        local: sipUser(field(element, 'CallingPartyNumber')),
        remote: field(element, 'CalledPartyNumber'),
        remoteName: name(element, 'CalledPartyName'),
      };
    case 'CallStateChangeEvent':
      return callStateEvent(element, base);
    case 'OnHookEvent':
      return { ...base, kind: 'ended' };
    case 'LineRegistrationEvent':
      return { ...base, kind: 'registered' };
    case 'LineUnregistrationEvent':
      return { ...base, kind: 'unregistered' };
    default:
      return null;
  }
}

/**
 * `CallState` values [PLCM-WEB50-29]: outgoing Dialtone/Setup/Ringback, incoming Offering,
 * both Connected/Hold/Held/Free/Disconnected. Dialtone, Hold, Held and unknown states are not
 * logged. The state and reference are attributes; `CallInfo` repeats them.
 */
function callStateEvent(element: XmlNode, base: Omit<ParsedEvent, 'kind'>): ParsedEvent | null {
  const lineInfo = child(element, 'CallLineInfo');
  const ref = cleanField(attribute(element, 'CallReference'), 64);
  const infos = lineInfo === undefined ? [] : children(lineInfo).filter((c) => tagOf(c) === 'CallInfo');
  const info = infos.find((i) => ref !== '' && field(i, 'CallReference') === ref) ?? infos[0];
  const state = (cleanField(attribute(element, 'CallState'), 32) || field(info, 'CallState')).toLowerCase();
  const type = field(info, 'CallType').toLowerCase();
  const incoming = type === 'incoming' || state === 'offering';
  const kind = stateKind(state, incoming);
  if (kind === null) return null;
  const local = lineInfo === undefined ? '' : sipUser(field(lineInfo, 'LineDirNum'));
  const remoteIsCaller = incoming || (type === '' && sipUser(field(info, 'CallingPartyDirNum')) !== local);
  return {
    ...base,
    kind,
    local,
    remote: field(info, remoteIsCaller ? 'CallingPartyDirNum' : 'CalledPartyDirNum'),
    remoteName: name(info, remoteIsCaller ? 'CallingPartyName' : 'CalledPartyName'),
    called: incoming ? field(info, 'CalledPartyDirNum') : '',
    callRef: ref || field(info, 'CallReference'),
  };
}

function stateKind(state: string, incoming: boolean): EventKind | null {
  switch (state) {
    case 'offering':
      return 'ringing';
    case 'connected':
      return incoming ? 'answered' : 'connected';
    case 'setup':
    case 'ringback':
      return 'outgoing';
    case 'free':
    case 'disconnected':
      return 'ended';
    default:
      return null;
  }
}

function field(node: XmlNode | undefined, name: string): string {
  return cleanField(childText(node, name));
}

function name(node: XmlNode | undefined, element: string): string {
  return unquote(field(node, element));
}
