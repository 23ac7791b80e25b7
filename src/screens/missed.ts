/** @module The product's phone screens: the team's missed-call list, one call, the outcome menu. */
import { callingBackNow } from '../domain/callback-calls.ts';
import { formatLocalTime } from '../domain/schedule.ts';
import type { CallbackOutcome, MissedCall } from '../domain/types.ts';
import { ago, callerLabel, dialBack, fitMiddle, type ScreenContact } from './format.ts';
import type { ListItem, Screen, ScreenLimits, Softkey } from './model.ts';

/** Where a phone's screen links point: every URL carries the phone's token. */
export interface ScreenUrls {
  list(page: number): string;
  detail(id: string): string;
  action(id: string, action: PhoneAction, outcome?: CallbackOutcome): string;
  outcomes(id: string): string;
  /** The outcome menu of whichever item the phone sends as `selection` (Yealink `<Selection>`). */
  outcomesOfSelection(): string;
}

export const PHONE_ACTIONS = ['mine', 'release', 'return', 'ignore', 'reopen'] as const;
export type PhoneAction = (typeof PHONE_ACTIONS)[number];

export interface ScreenState {
  title: string;
  now: string;
  timeZone: string;
  limits: ScreenLimits;
  urls: ScreenUrls;
  /** The directory contact of a caller's number key, if any: its name replaces the PBX's. */
  contactOf?: (callerKey: string) => ScreenContact | undefined;
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
  const items: ListItem[] = [];
  if (current > 0) items.push({ label: '<< Newer calls', url: s.urls.list(current - 1) });
  for (const m of calls.slice(current * pageSize, (current + 1) * pageSize)) items.push(listItem(m, s));
  if (current < pages - 1) items.push({ label: `Older calls >> (${current + 2}/${pages})`, url: s.urls.list(current + 1) });
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

/** One call: who, when, how often, who has it; softkeys to call back and settle it. */
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
  lines.push(statusLine(m, s.now, s.timeZone));
  const tries = m.callbacks.filter((c) => c.outcome === 'no-answer');
  if (tries.length > 0) lines.push(`Tried ${tries.length}x, no answer (last: ${tries.at(-1)?.by ?? ''})`);
  const calling = callingBackNow(m, s.now);
  if (calling !== null) lines.push(`${calling.by} calling back…`);

  const softkeys: Softkey[] = [];
  if (number !== null) softkeys.push({ label: 'Call', action: { type: 'dial', number } });
  if (m.status === 'pending' || m.status === 'assigned') {
    softkeys.push({ label: 'Returned', action: { type: 'open', url: s.urls.outcomes(m.id) } });
    softkeys.push({ label: 'Mine', action: { type: 'open', url: s.urls.action(m.id, 'mine') } });
    softkeys.push({ label: 'Ignore', action: { type: 'open', url: s.urls.action(m.id, 'ignore') } });
  } else {
    softkeys.push({ label: 'Reopen', action: { type: 'open', url: s.urls.action(m.id, 'reopen') } });
  }
  softkeys.push({ label: 'Back', action: { type: 'open', url: s.urls.list(0) } });
  return { kind: 'text', title: label(m, s), lines, softkeys };
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

function listItem(m: MissedCall, s: ScreenState): ListItem {
  const mark = m.status === 'assigned' ? '>' : '*';
  const count = m.attemptIds.length > 1 ? ` (${m.attemptIds.length}x)` : '';
  const calling = callingBackNow(m, s.now);
  const claim = calling !== null ? ` - ${calling.by} calling…`
    : m.assignee !== null && m.assignedAt !== null ? ` - ${m.assignee}, ${ago(m.assignedAt, s.now)}` : '';
  const head = `${mark} ${formatLocalTime(m.lastAt, s.timeZone, s.now)} `;
  const item: ListItem = {
    label: fitMiddle(head, label(m, s), `${count}${claim}`, s.limits.maxLabelChars), url: s.urls.detail(m.id), selection: m.id,
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
        : `Returned by ${m.returned.by} ${formatLocalTime(m.returned.at, timeZone, now)} (${m.returned.outcome})`;
    case 'ignored':
      return `Ignored by ${m.history.findLast((h) => h.action === 'ignored')?.actor ?? '?'}`;
    case 'closed':
      return `Closed: ${m.history.at(-1)?.note ?? m.history.at(-1)?.action ?? ''}`;
  }
}
