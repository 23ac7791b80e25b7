/** @module The domain's data: plain values that cross every boundary (no I/O, no classes). */

export const VENDOR_NAMES = ['yealink', 'poly', 'cisco', 'snom', 'grandstream', 'fanvil'] as const;
export type VendorName = (typeof VENDOR_NAMES)[number];

/** ISO-8601 UTC timestamp string, e.g. `2026-11-26T09:15:00.000Z`. Always the server's clock. */
export type Instant = string;

/** A phone number as received (`raw`) and as matched (`key`: E.164 where possible, else digits). */
export interface PhoneNumber {
  raw: string;
  /** E.164 (`+4930123456`) when the number could be parsed for the configured country, else null. */
  e164: string | null;
  /** The matching key: `e164` when known, otherwise the dialable digits (`*`, `#` kept). Empty = anonymous. */
  key: string;
}

export interface WeeklyHours {
  /** 0 = Sunday … 6 = Saturday → list of `HH:MM-HH:MM` ranges in the team's zone. */
  [day: number]: string[];
}

export interface Team {
  id: string;
  name: string;
  /** Member extensions: an event from one of these lines belongs to this team. */
  extensions: string[];
  /** Numbers the team owns (group/queue numbers, DIDs), as keys of PhoneNumber. */
  numbers: string[];
  /** IANA time zone used to show times and compute business hours. */
  timeZone: string;
  /** Per-team override of the missed-call policy. */
  policy?: Partial<MissedPolicy>;
  businessHours?: { weekly: WeeklyHours; holidays: string[] };
  createdAt: Instant;
}

export interface PhoneLine {
  extension: string;
  sipUser?: string;
  /** Secret: only ever written into the owning phone's provisioning files. */
  sipPassword?: string;
  sipServer?: string;
}

export interface LastSeen {
  at: Instant;
  ip: string;
  via: 'event' | 'provisioning' | 'screen';
}

export interface Phone {
  /** 12 lower-case hex digits: the identity. */
  mac: string;
  vendor: VendorName;
  model: string;
  label: string;
  /** The primary line's extension (lines[0] when lines are given). */
  extension: string;
  lines: PhoneLine[];
  teamIds: string[];
  /** Secret carried in every URL the phone calls. */
  token: string;
  /** The name shown as actor when this phone's user acts ("Anna"); defaults to the label. */
  userName: string;
  lastSeen: LastSeen | null;
  firmware: string | null;
  /** Phone clock minus server clock, ms, from the last event that carried the phone's time. */
  clockSkewMs: number | null;
  createdAt: Instant;
  /** Pushing "calls waiting" to its idle screen (issue 14); absent = defaults (lastSeen address, no secret). */
  push?: PhonePush;
}

/** Where and how the server pushes to a phone's idle screen. */
export interface PhonePush {
  /** `host[:port]` the phone's push interface listens on; absent = the address it was last seen from, port 80. */
  address?: string;
  /** Secret the phone demands of pushes (provisioned into it). Write-only: never shown by the API. */
  password?: string;
  /** false = never push to this phone. */
  enabled?: boolean;
}

export const EVENT_KINDS = [
  'ringing', // a call offered to this phone
  'missed', // the phone gave up on an incoming call it did not answer
  'answered', // the phone answered (connected) an incoming call
  'outgoing', // the phone dialled out
  'connected', // a call of unknown direction is connected (Yealink "established")
  'ended', // a call ended (terminated / Free / onhook)
  'rejected', // the user rejected an incoming call on this phone
  'registered',
  'unregistered',
  'booted',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** What a vendor adapter makes of one inbound request, before the server adds time and identity. */
export interface ParsedEvent {
  kind: EventKind;
  /** Our line (extension / SIP user); empty when the phone did not say. */
  local: string;
  /** The other party as the phone gave it (SIP URI, number, `user@host`). */
  remote: string;
  remoteName: string;
  /** The number the caller dialled, when the phone reports it (group/DID). */
  called: string;
  /** Vendor's call id, phone-local: never a cross-phone key. */
  callRef: string;
  /** The phone's own clock when it sent the event, ISO-8601, if it said. */
  phoneTime: string | null;
  /** Firmware/model the phone reported, if any. */
  firmware?: string;
  model?: string;
  /** Snom `$cancel_reason` etc.: a CANCEL that said "completed elsewhere". */
  completedElsewhere?: boolean;
  /**
   * The SIP dialog's Call-ID when the phone reports it (Grandstream `{call-id}`): the same on every
   * phone of a forked INVITE, so it links ring-group members' reports of one call, and tells two
   * calls from one caller apart. Absent when the phone did not fill it.
   */
  dialogId?: string;
  /** What the phone says about the call itself (Yealink `$callDirection`, `$duration`): hints, never the only source. */
  hints?: { direction?: 'incoming' | 'outgoing'; durationSeconds?: number };
  /** The MAC the phone states in the request (12 lower-case hex): checked against the token's phone. */
  reportedMac?: string;
}

/** A phone event as the domain sees it: the server's receive time, the phone's identity. */
export interface PhoneEvent extends ParsedEvent {
  receivedAt: Instant;
  vendor: VendorName;
  mac: string;
  /** The request as received, capped, for audit. */
  raw: string;
}

/** A finished call as a PBX reports it (AMI, webhook): authoritative, keyed by the PBX's id. */
export interface PbxCall {
  /** The PBX's call id (Asterisk Linkedid, FreeSWITCH call UUID…), prefixed by the source. */
  pbxCallId: string;
  caller: string;
  callerName: string;
  /** The number dialled (group, queue, DID) if known. */
  called: string;
  startedAt: Instant;
  endedAt: Instant;
  /** Extensions that rang. */
  rang: string[];
  /** Extension that answered, or null. */
  answeredBy: string | null;
  /** true when the caller hung up while waiting in a queue. */
  abandonedInQueue: boolean;
  direction: 'inbound' | 'outbound' | 'internal';
}

export type CallOutcome = 'pending' | 'missed' | 'answered' | 'answered-elsewhere' | 'abandoned-short' | 'not-counted';

/** One real call from one caller to one destination (a ring group = one attempt). */
export interface CallAttempt {
  id: string;
  /** Team id, or `ext:<extension>` for a phone in no team. */
  destination: string;
  caller: PhoneNumber;
  callerName: string;
  called: string;
  firstRingAt: Instant;
  lastEventAt: Instant;
  endedAt: Instant | null;
  ringSeconds: number | null;
  /** Per phone (mac) what it did: ringing → missed/answered/ended. */
  endpoints: Record<string, EndpointState>;
  /** Extensions the PBX says rang (PBX-reported calls; phones' calls have `endpoints`). */
  rang?: string[];
  answeredBy: string | null;
  outcome: CallOutcome;
  /** Why the outcome is what it is, in words (the rule that decided). */
  rule: string;
  source: 'phones' | 'pbx';
  pbxCallId: string | null;
  /** The MissedCall this attempt is counted in, if any. */
  missedCallId: string | null;
  /** Fingerprints of events already applied (duplicate deliveries change nothing). */
  seen: string[];
  /** SIP dialog ids the phones reported for this call (`ParsedEvent.dialogId`); absent = none seen. */
  dialogIds?: string[];
}

export interface EndpointState {
  extension: string;
  state: 'ringing' | 'missed' | 'answered' | 'ended' | 'rejected';
  at: Instant;
}

export type MissedStatus = 'pending' | 'assigned' | 'returned' | 'ignored' | 'closed';
export type ActionVia = 'phone' | 'api' | 'auto';
export type CallbackOutcome = 'reached' | 'voicemail' | 'no-answer' | 'wrong-number' | 'dialled';

export interface HistoryEntry {
  at: Instant;
  actor: string;
  action: string;
  via: ActionVia;
  note?: string;
}

export interface MissedCall {
  id: string;
  caller: PhoneNumber;
  callerName: string;
  /** Team id (or `ext:<extension>`). */
  team: string;
  extension: string;
  firstAt: Instant;
  lastAt: Instant;
  /** Times of each grouped attempt, oldest first. */
  attemptTimes: Instant[];
  attemptIds: string[];
  ringSeconds: number | null;
  afterHours: boolean;
  status: MissedStatus;
  assignee: string | null;
  assignedAt: Instant | null;
  returned: { at: Instant; by: string; via: ActionVia; outcome: CallbackOutcome } | null;
  callbacks: { at: Instant; by: string; via: ActionVia; outcome: CallbackOutcome }[];
  /**
   * A team phone is dialling the caller back right now: set by its outgoing call, cleared when that
   * call connects (returned, reached) or ends without connecting (a no-answer try). Absent in
   * records written before callback attempts were tracked.
   */
  callingBack?: CallingBack | null;
  /** The rule that made this a missed call. */
  rule: string;
  history: HistoryEntry[];
  /** When no answer can retract it any more (notifications only fire after this). */
  settlesAt: Instant;
  /** A callback put off to a time ("call back at 14:00"); absent or null = none. See callback-schedule.ts. */
  scheduled?: { at: Instant; by: string } | null;
}

/** Who is calling a caller back, from which phone (mac, or `ext:<extension>` for a PBX-only phone). */
export interface CallingBack {
  by: string;
  at: Instant;
  phone: string;
}

/** What counts as missed. Per team and per extension overrides are merged over the defaults. */
export interface MissedPolicy {
  /** A call that rang shorter than this is `abandoned-short`, not missed. */
  minRingSeconds: number;
  countInternal: boolean;
  countAnonymous: boolean;
  /** Numbers with at most this many digits are internal extensions. */
  internalMaxDigits: number;
}

/** A PBX the server follows for calls (Asterisk AMI); the secret never leaves the server. */
export interface PbxSource {
  id: string;
  type: 'asterisk-ami';
  host: string;
  port: number;
  username: string;
  secret: string;
  createdAt: Instant;
}
