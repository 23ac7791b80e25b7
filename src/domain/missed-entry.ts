/** @module The MissedCall entry's life as attempts join and leave it (repeat-caller grouping). */
import type { CallAttempt, MissedCall } from './types.ts';

const AUTO = 'ringback';

export function newMissedCall(a: CallAttempt, id: string, afterHours: boolean, settlesAt: string): MissedCall {
  const extension = Object.values(a.endpoints)[0]?.extension ?? '';
  return {
    id, caller: a.caller, callerName: a.callerName, team: a.destination, extension,
    firstAt: a.firstRingAt, lastAt: a.firstRingAt, attemptTimes: [a.firstRingAt], attemptIds: [a.id],
    ringSeconds: a.ringSeconds, afterHours, status: 'pending', assignee: null, assignedAt: null, returned: null,
    callbacks: [], rule: a.rule, settlesAt,
    history: [{ at: a.lastEventAt, actor: AUTO, action: 'missed', via: 'auto', note: a.rule }],
  };
}

/** A repeat call from the same caller while the entry is open: one entry, one more attempt. */
export function addAttempt(m: MissedCall, a: CallAttempt, at: string, settlesAt: string): MissedCall {
  if (m.attemptIds.includes(a.id)) return m;
  return {
    ...m,
    callerName: a.callerName !== '' ? a.callerName : m.callerName,
    lastAt: a.firstRingAt > m.lastAt ? a.firstRingAt : m.lastAt,
    attemptTimes: [...m.attemptTimes, a.firstRingAt].sort(),
    attemptIds: [...m.attemptIds, a.id],
    settlesAt,
    history: [...m.history, { at, actor: AUTO, action: 'called again', via: 'auto', note: a.rule }],
  };
}

/**
 * An attempt turned out answered within its window. Returns the entry without it, or null when
 * nothing is left and nobody acted on it yet (the entry never really existed).
 */
export function removeAttempt(m: MissedCall, a: CallAttempt, at: string): MissedCall | null {
  const index = m.attemptIds.indexOf(a.id);
  if (index < 0) return m;
  const attemptIds = m.attemptIds.filter((id) => id !== a.id);
  const attemptTimes = m.attemptTimes.filter((_, i) => i !== index);
  const untouched = m.history.every((h) => h.via === 'auto');
  if (attemptIds.length === 0 && untouched && m.status === 'pending') return null;
  const base = { ...m, attemptIds, attemptTimes, lastAt: attemptTimes.at(-1) ?? m.lastAt };
  if (attemptIds.length > 0) return base;
  return {
    ...base, status: 'closed',
    history: [...m.history, { at, actor: AUTO, action: 'close', via: 'auto', note: a.rule }],
  };
}

/** A later call from the caller was answered: the caller reached the team, nothing left to do. */
export function closeByAnswer(m: MissedCall, a: CallAttempt, at: string): MissedCall {
  return {
    ...m, status: 'closed',
    history: [...m.history, { at, actor: AUTO, action: 'close', via: 'auto', note: `caller reached the team: ${a.rule}` }],
  };
}
