/**
 * @module The one parser and URL builder behind every "action URL" vendor (Yealink, Snom,
 * Grandstream, Fanvil): the phone sends a GET whose query we designed, `e=<event>` plus `$variables`
 * the phone fills in [Y-CP860-228], [SNOM-DOC-TRIG], [GS-GXP1760-57], [VOIPON-AU].
 */
import type { EventKind, ParsedEvent } from '../../domain/types.ts';
import type { InboundRequest, ParseResult } from '../types.ts';
import { FIELD_MAX, cleanField } from './text.ts';
import { macOf } from './mac.ts';
import { displayNameOf, restorePlus, sipUser, unquote } from './sip.ts';

/**
 * Our query parameter names, the same for every action-URL vendor so one server log reads alike:
 * `e` event, `local` our line, `remote` other party, `name` their display name, `cid` phone-local
 * call id, `mac`, `fw` firmware, `model`, `reason` (Snom `$cancel_reason`), `dialog` (the SIP
 * dialog's Call-ID, Grandstream `{call-id}`), `dur` and `dir` (Yealink `$duration`,
 * `$callDirection`: hints). `t` (token) is the HTTP layer's.
 */
export const PARAM = {
  event: 'e',
  local: 'local',
  remote: 'remote',
  name: 'name',
  callRef: 'cid',
  mac: 'mac',
  firmware: 'fw',
  model: 'model',
  reason: 'reason',
  dialog: 'dialog',
  duration: 'dur',
  direction: 'dir',
} as const;

/** One vendor event we subscribe to: its setting name, our `e` value, and what it means. */
export interface ActionEvent {
  /** The vendor's setting the URL goes into, e.g. `action_url.missed_call`. */
  setting: string;
  /** Our `e=` value. */
  e: string;
  kind: EventKind;
}

export interface ActionUrlSpec {
  events: readonly ActionEvent[];
  /** Which of our parameters get which vendor `$variable`, in URL order (after `e`). */
  variables: Readonly<Partial<Record<Exclude<keyof typeof PARAM, 'event'>, string>>>;
  /** Vendor extras computed from the query (Snom: completedElsewhere). */
  extra?: (param: (name: string) => string) => Partial<ParsedEvent>;
}

/**
 * Events whose `e=` value is the event kind itself, from the vendor's setting for each kind, in
 * the order given: `{ ringing: 'P8310' }` is `{ setting: 'P8310', e: 'ringing', kind: 'ringing' }`.
 */
export function eventsBySetting(settings: Readonly<Partial<Record<EventKind, string>>>): ActionEvent[] {
  return Object.entries(settings).map(([kind, setting]) => ({ setting, e: kind, kind: kind as EventKind }));
}

/**
 * The Yealink variable set [Y-VARS], which Fanvil, Akuvox, Htek and Tiptel phones share
 * (phones.md §1.3): one list for every brand that speaks it.
 */
export const YEALINK_STYLE_VARIABLES: ActionUrlSpec['variables'] = {
  local: '$active_user',
  remote: '$remote',
  name: '$display_remote',
  callRef: '$call_id',
  mac: '$mac',
  firmware: '$firmware',
  model: '$model',
};

/** Build `{ setting: url }` for every event: `${base}&e=<e>&local=$active_user&…`. */
export function buildEventUrls(base: string, spec: ActionUrlSpec): Record<string, string> {
  const sep = base.includes('?') ? (/[?&]$/.test(base) ? '' : '&') : '?';
  const vars = Object.entries(spec.variables)
    .map(([key, variable]) => `&${PARAM[key as keyof typeof PARAM]}=${variable}`)
    .join('');
  const urls: Record<string, string> = {};
  for (const ev of spec.events) urls[ev.setting] = `${base}${sep}${PARAM.event}=${ev.e}${vars}`;
  return urls;
}

/** Parse one action-URL request against a vendor's spec. Never throws on phone input. */
export function parseActionUrl(req: InboundRequest, spec: ActionUrlSpec): ParseResult {
  const query: unknown = req?.query;
  if (query === null || typeof query !== 'object') return { ok: false, reason: 'no query string' };
  const raw = (name: string): unknown => (Object.hasOwn(query, name) ? (query as Record<string, unknown>)[name] : undefined);
  const param = (name: string, max = FIELD_MAX): string => cleanField(raw(name), max);

  const eRaw = raw(PARAM.event);
  const e = typeof eRaw === 'string' ? eRaw.slice(0, 64).trim().toLowerCase() : '';
  if (e === '') return { ok: false, reason: 'missing event parameter "e"' };
  // Our own vocabulary: anything else (controls, `$event`, 10 KB) is not an event we configured.
  const event = /^[a-z-]{1,32}$/.test(e) ? spec.events.find((ev) => ev.e === e) : undefined;
  if (event === undefined) return { ok: false, reason: `unknown event "${cleanField(e, 32)}"` };

  const remoteRaw = cleanField(restoreNumber(raw(PARAM.remote)));
  const localRaw = cleanField(restoreNumber(raw(PARAM.local)));
  const name = displayName(param(PARAM.name)) || displayNameOf(remoteRaw);

  const parsed: ParsedEvent = {
    kind: event.kind,
    local: sipUser(localRaw),
    remote: remoteRaw,
    remoteName: name,
    called: '',
    callRef: param(PARAM.callRef, 128),
    phoneTime: null,
  };
  const firmware = param(PARAM.firmware, 64);
  if (firmware !== '') parsed.firmware = firmware;
  const model = param(PARAM.model, 64);
  if (model !== '') parsed.model = model;
  const mac = macOf(param(PARAM.mac, 32));
  if (mac !== undefined) parsed.reportedMac = mac;
  const dialog = param(PARAM.dialog, 128);
  if (/^[\x21-\x7e]{1,128}$/.test(dialog)) parsed.dialogId = dialog;
  const hints = hintsOf(param(PARAM.direction, 32), param(PARAM.duration, 32));
  if (hints !== undefined) parsed.hints = hints;
  if (spec.extra) Object.assign(parsed, spec.extra((n) => param(n)));
  return { ok: true, events: [parsed] };
}

// --- Internal helpers ---

/**
 * `$callDirection` and `$duration` as Yealink-family firmware fills them (phones.md §8); their exact
 * spelling is NOT CONFIRMED, so only unmistakable words and `s`, `m:ss` or `h:mm:ss` durations count.
 */
function hintsOf(direction: string, duration: string): ParsedEvent['hints'] {
  const hints: NonNullable<ParsedEvent['hints']> = {};
  const d = direction.toLowerCase();
  if (/^(in|incoming|inbound|callin|call_in)$/.test(d)) hints.direction = 'incoming';
  else if (/^(out|outgoing|outbound|callout|call_out)$/.test(d)) hints.direction = 'outgoing';
  const parts = /^(?:(?:(\d{1,2}):)?(\d{1,2}):)?(\d{1,5})$/.exec(duration);
  if (parts !== null) {
    const [, h = '0', m = '0', sec = '0'] = parts;
    const seconds = Number(h) * 3600 + Number(m) * 60 + Number(sec);
    if (seconds <= 86_400) hints.durationSeconds = seconds;
  }
  return Object.keys(hints).length === 0 ? undefined : hints;
}

function restoreNumber(value: unknown): unknown {
  return typeof value === 'string' ? restorePlus(value) : value;
}

/**
 * A display name from the query: quotes stripped. A `+` not followed by a digit is a form-encoded
 * space (`Anna+Smith`); `+4930…` stays a number (the HTTP layer keeps `+` literally, see
 * `InboundRequest.query`).
 */
function displayName(value: string): string {
  return unquote(value.replace(/\+(?!\d)/g, ' ')).replace(/ {2,}/g, ' ');
}
