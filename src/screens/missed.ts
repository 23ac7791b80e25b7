/**
 * @module The product's phone screens: the team's missed-call list, one call, the outcome menu, the
 * Ignore confirmation, "call back later" and the More menu for keys a vendor has no room for.
 * Labels use words, not marks: a phone has no legend to explain a `*` or `>`.
 */
import { callingBackNow } from '../domain/callback-calls.ts';
import { isWaiting, listOrder, scheduleOf } from '../domain/callback-schedule.ts';
import { formatLocalTime, nextOpening } from '../domain/schedule.ts';
import type { CallbackOutcome, MissedCall, Team } from '../domain/types.ts';
import { ago, callerLabel, dialBack, fitMiddle, type ScreenContact } from './format.ts';
import { fitDetailKeys } from './keys.ts';
import type { ListItem, Screen, ScreenLimits, Softkey } from './model.ts';

/** Where a phone's screen links point: every URL carries the phone's token. */
export interface ScreenUrls {
  list(page: number): string;
  detail(id: string): string;
  /** `at`: the scheduled time of a `schedule` action. */
  action(id: string, action: PhoneAction, outcome?: CallbackOutcome, at?: string): string;
  outcomes(id: string): string;
  /** The outcome menu of whichever item the phone sends as `selection` (Yealink `<Selection>`). */
  outcomesOfSelection(): string;
  /** A screen below the detail: the More menu, "call back later", the Ignore confirmation. */
  sub(id: string, screen: SubScreen): string;
}

export const PHONE_ACTIONS = ['mine', 'release', 'return', 'ignore', 'reopen', 'schedule'] as const;
export type PhoneAction = (typeof PHONE_ACTIONS)[number];
export const SUB_SCREENS = ['more', 'later', 'confirm-ignore'] as const;
export type SubScreen = (typeof SUB_SCREENS)[number];

export interface ScreenState {
  title: string;
  now: string;
  timeZone: string;
  limits: ScreenLimits;
  urls: ScreenUrls;
  /** The directory contact of a caller's number key, if any: its name replaces the PBX's. */
  contactOf?: (callerKey: string) => ScreenContact | undefined;
  /** Who looks at the screen (the phone's user name): their own claim gets a Release key. */
  viewer?: string;
  /** The team's opening hours: "call back later" offers the next opening. */
  businessHours?: Team['businessHours'];
}

/** Newest first, a page at a time; Newer/Older entries page within the vendor's item limit. */
export function missedListScreen(calls: readonly MissedCall[], page: number, s: ScreenState): Screen {
  if (calls.length === 0) {
    return {
      kind: 'text', title: s.title, lines: ['No missed calls waiting.'],
      softkeys: [{ label: 'Refresh', action: { type: 'open', url: s.urls.list(0) } }, { label: 'Exit', action: { type: 'exit' } }],
    };
  }
  const pageSize = Math.max(1, s.limits.maxItems - 2);
  const pages = Math.ceil(calls.length / pageSize);
  const current = Math.min(Math.max(0, page), pages - 1);
  const ordered = listOrder(calls, s.now);
  const items: ListItem[] = [];
  if (current > 0) items.push({ label: `Newer calls (page ${current} of ${pages})`, url: s.urls.list(current - 1) });
  for (const m of ordered.slice(current * pageSize, (current + 1) * pageSize)) items.push(listItem(m, s));
  if (current < pages - 1) items.push({ label: `Older calls (page ${current + 2} of ${pages})`, url: s.urls.list(current + 1) });
  return {
    kind: 'list',
    title: fitMiddle('', s.title, ` (${calls.length})`, s.limits.maxTitleChars),
    items,
    softkeys: [
      { label: 'Open', action: { type: 'select' } },
      { label: 'Call', action: { type: 'dial-selected' } },
      // One "mark returned" key for the whole list, where the phone sends the highlighted item.
      { label: 'Returned', action: { type: 'open-selected', url: s.urls.outcomesOfSelection() } },
      { label: 'Exit', action: { type: 'exit' } },
      { label: 'Refresh', action: { type: 'open', url: s.urls.list(current) } },
    ],
  };
}

/**
 * One call: who, when, how often, who has it; softkeys to call back and settle it. Back is always
 * on the first page of keys; what does not fit the vendor's keys goes under More.
 */
export function missedDetailScreen(m: MissedCall, s: ScreenState, message?: string): Screen {
  const number = dialBack(m);
  const lines: string[] = [];
  if (message !== undefined) lines.push(message);
  const contact = s.contactOf?.(m.caller.key);
  if (contact !== undefined && contact.company !== '') lines.push(contact.company);
  if (number !== null && label(m, s) !== number) lines.push(number);
  const times = m.attemptTimes.map((t) => formatLocalTime(t, s.timeZone, s.now));
  lines.push(m.attemptTimes.length > 1 ? `Called ${m.attemptTimes.length} times: ${times.join(', ')}` : `Called ${times[0] ?? ''}`);
  if (m.ringSeconds !== null) lines.push(`Rang ${m.ringSeconds} s${m.extension === '' ? '' : ` on ${m.extension}`}`);
  if (m.afterHours) lines.push('After hours');
  const scheduled = scheduleOf(m);
  if (scheduled !== null && (m.status === 'pending' || m.status === 'assigned')) {
    const at = formatLocalTime(scheduled.at, s.timeZone, s.now);
    lines.push(isWaiting(m, s.now) ? `Call back at ${at} (set by ${scheduled.by})` : `Call back now: it was set for ${at}`);
  }
  lines.push(statusLine(m, s.now, s.timeZone));
  const tries = m.callbacks.filter((c) => c.outcome === 'no-answer');
  if (tries.length > 0) lines.push(`Tried ${tries.length} ${tries.length === 1 ? 'time' : 'times'}, no answer (last: ${tries.at(-1)?.by ?? ''})`);
  const calling = callingBackNow(m, s.now);
  if (calling !== null) lines.push(`${calling.by} calling back…`);
  const back: Softkey = { label: 'Back', action: { type: 'open', url: s.urls.list(0) } };
  return { kind: 'text', title: label(m, s), lines, softkeys: fitDetailKeys(detailKeys(m, s, number), back, s.limits, s.urls.sub(m.id, 'more')) };
}

/** The keys under More: those of the detail screen that did not fit, as list items. */
export function moreScreen(m: MissedCall, s: ScreenState): Screen {
  const all = detailKeys(m, s, dialBack(m));
  const shown = new Set(missedDetailScreen(m, s).softkeys.map((k) => k.label));
  const items: ListItem[] = [];
  for (const k of all) if (!shown.has(k.label) && k.action.type === 'open') items.push({ label: k.label, url: k.action.url });
  return {
    kind: 'list', title: label(m, s),
    items: items.length > 0 ? items : [{ label: 'Back to the call', url: s.urls.detail(m.id) }],
    softkeys: [{ label: 'OK', action: { type: 'select' } }, { label: 'Back', action: { type: 'open', url: s.urls.detail(m.id) } }],
  };
}

/** Ignore removes the call from every phone of the team: ask first. */
export function confirmIgnoreScreen(m: MissedCall, s: ScreenState): Screen {
  return {
    kind: 'text', title: 'Ignore this call?',
    lines: [`${label(m, s)} will leave the list on every phone of the team, without a callback.`],
    softkeys: [
      { label: 'Ignore', action: { type: 'open', url: s.urls.action(m.id, 'ignore') } },
      { label: 'Cancel', action: { type: 'open', url: s.urls.detail(m.id) } },
    ],
  };
}

/** "Call back later": the entry waits, then comes back to the top of the list at that time. */
export function laterScreen(m: MissedCall, s: ScreenState): Screen {
  const nowMs = Date.parse(s.now);
  const choice = (text: string, atMs: number): ListItem => {
    const at = new Date(atMs).toISOString();
    return { label: `${text} (${formatLocalTime(at, s.timeZone, s.now)})`, url: s.urls.action(m.id, 'schedule', undefined, at) };
  };
  // Whole quarter hours read better on a phone than "10:07".
  const quarter = (ms: number) => Math.ceil(ms / 900_000) * 900_000;
  const items = [choice('In 30 minutes', quarter(nowMs + 30 * 60_000)), choice('In 1 hour', quarter(nowMs + 3_600_000)),
    choice('In 2 hours', quarter(nowMs + 7_200_000))];
  const opening = nextOpening(s.businessHours, s.timeZone, s.now);
  if (opening !== null) items.push(choice('When we open', Date.parse(opening)));
  return {
    kind: 'list', title: `Call back ${label(m, s)} later`, items,
    softkeys: [{ label: 'OK', action: { type: 'select' } }, { label: 'Back', action: { type: 'open', url: s.urls.detail(m.id) } }],
  };
}

/** "Returned" asks how it went: reached or voicemail settle it, no answer keeps it open. */
export function outcomeScreen(m: MissedCall, s: ScreenState): Screen {
  const choice = (label: string, outcome: CallbackOutcome): ListItem => ({ label, url: s.urls.action(m.id, 'return', outcome) });
  return {
    kind: 'list',
    title: `Call back ${label(m, s)}`,
    items: [choice('Reached', 'reached'), choice('Left voicemail', 'voicemail'), choice('No answer', 'no-answer'),
      choice('Wrong number', 'wrong-number')],
    softkeys: [{ label: 'OK', action: { type: 'select' } }, { label: 'Back', action: { type: 'open', url: s.urls.detail(m.id) } }],
  };
}

/** A phone-friendly message instead of an error page. */
export function messageScreen(title: string, text: string, back: string | null): Screen {
  return {
    kind: 'text', title, lines: [text],
    softkeys: back === null ? [{ label: 'Exit', action: { type: 'exit' } }]
      : [{ label: 'Back', action: { type: 'open', url: back } }, { label: 'Exit', action: { type: 'exit' } }],
  };
}

// --- Internal helpers ---

function label(m: MissedCall, s: ScreenState): string {
  return callerLabel(m, s.contactOf?.(m.caller.key));
}

/** The open keys of a call, most used first: Call, Returned, Mine or Release, Later, Ignore (asks first). */
function detailKeys(m: MissedCall, s: ScreenState, number: string | null): Softkey[] {
  const keys: Softkey[] = [];
  if (number !== null) keys.push({ label: 'Call', action: { type: 'dial', number } });
  if (m.status === 'pending' || m.status === 'assigned') {
    keys.push({ label: 'Returned', action: { type: 'open', url: s.urls.outcomes(m.id) } });
    const mine = m.status === 'assigned' && s.viewer !== undefined && m.assignee === s.viewer;
    keys.push(mine ? { label: 'Release', action: { type: 'open', url: s.urls.action(m.id, 'release') } }
      : { label: 'Mine', action: { type: 'open', url: s.urls.action(m.id, 'mine') } });
    keys.push({ label: 'Later', action: { type: 'open', url: s.urls.sub(m.id, 'later') } });
    keys.push({ label: 'Ignore', action: { type: 'open', url: s.urls.sub(m.id, 'confirm-ignore') } });
  } else {
    keys.push({ label: 'Reopen', action: { type: 'open', url: s.urls.action(m.id, 'reopen') } });
  }
  return keys;
}

/** "10:00 Dora Schmidt, 3 calls - Anna, 2 min ago": time, who, how often, who has it or when to call back. */
function listItem(m: MissedCall, s: ScreenState): ListItem {
  const count = m.attemptIds.length > 1 ? `, ${m.attemptIds.length} calls` : '';
  const scheduled = scheduleOf(m);
  const calling = callingBackNow(m, s.now);
  const claim = calling !== null ? ` - ${calling.by} calling back`
    : m.assignee !== null && m.assignedAt !== null ? ` - ${m.assignee}, ${ago(m.assignedAt, s.now)}` : '';
  const later = scheduled === null || calling !== null ? ''
    : isWaiting(m, s.now) ? ` - call back ${formatLocalTime(scheduled.at, s.timeZone, s.now)}` : ' - call back now';
  const head = `${formatLocalTime(m.lastAt, s.timeZone, s.now)} `;
  const item: ListItem = {
    label: fitMiddle(head, label(m, s), `${count}${later || claim}`, s.limits.maxLabelChars), url: s.urls.detail(m.id), selection: m.id,
  };
  const number = dialBack(m);
  return number === null ? item : { ...item, dial: number };
}

function statusLine(m: MissedCall, now: string, timeZone: string): string {
  switch (m.status) {
    case 'pending':
      return 'Open: nobody has it yet';
    case 'assigned':
      return `Claimed by ${m.assignee ?? '?'}, ${m.assignedAt === null ? '' : ago(m.assignedAt, now)}`;
    case 'returned':
      return m.returned === null ? 'Returned'
        : `Returned by ${m.returned.by} ${formatLocalTime(m.returned.at, timeZone, now)} (${OUTCOME_WORDS[m.returned.outcome]})`;
    case 'ignored':
      return `Ignored by ${m.history.findLast((h) => h.action === 'ignored')?.actor ?? '?'}`;
    case 'closed':
      return `Closed: ${m.history.at(-1)?.note ?? m.history.at(-1)?.action ?? ''}`;
  }
}

const OUTCOME_WORDS: Record<CallbackOutcome, string> = {
  reached: 'reached', voicemail: 'left voicemail', 'no-answer': 'no answer', 'wrong-number': 'wrong number', dialled: 'dialled back',
};
