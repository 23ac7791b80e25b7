/**
 * @module The callback workflow: pending → assigned → returned | ignored | closed, and reopen.
 * Every change lands in the entry's history; repeating an action that already holds changes nothing,
 * so a phone's softkey pressed twice (or a retried request) is harmless.
 */
import type { ActionVia, CallbackOutcome, MissedCall, MissedStatus } from './types.ts';

export const ACTIONS = ['assign', 'unassign', 'return', 'ignore', 'close', 'reopen', 'note'] as const;
export type Action = (typeof ACTIONS)[number];
export const CALLBACK_OUTCOMES: readonly CallbackOutcome[] = ['reached', 'voicemail', 'no-answer', 'wrong-number', 'dialled'];

export interface ActionRequest {
  action: Action;
  actor: string;
  via: ActionVia;
  at: string;
  /** assign: who takes it (default: the actor). */
  assignee?: string;
  /** return: how the callback went (default: reached). */
  outcome?: CallbackOutcome;
  note?: string;
}

export type ActionResult =
  | { ok: true; call: MissedCall; changed: boolean }
  | { ok: false; code: 'conflict' | 'invalid'; message: string };

const OPEN: ReadonlySet<MissedStatus> = new Set(['pending', 'assigned']);

export function isOpen(m: MissedCall): boolean {
  return OPEN.has(m.status);
}

export function applyAction(m: MissedCall, r: ActionRequest): ActionResult {
  const unchanged: ActionResult = { ok: true, call: m, changed: false };
  switch (r.action) {
    case 'assign': {
      const assignee = (r.assignee ?? r.actor).trim();
      if (assignee === '') return invalid('assign needs an assignee');
      if (!isOpen(m)) return conflict(m, 'assign');
      if (m.status === 'assigned' && m.assignee === assignee) return unchanged;
      return ok({ ...m, status: 'assigned', assignee, assignedAt: r.at }, r, assignee === r.actor ? 'claimed' : `assigned to ${assignee}`);
    }
    case 'unassign':
      if (m.status !== 'assigned') return m.status === 'pending' ? unchanged : conflict(m, 'unassign');
      return ok({ ...m, status: 'pending', assignee: null, assignedAt: null }, r, 'unassigned');
    case 'return': {
      const outcome = r.outcome ?? 'reached';
      if (!CALLBACK_OUTCOMES.includes(outcome)) return invalid(`unknown outcome ${String(outcome)}`);
      if (m.status === 'returned') return unchanged;
      return { ok: true, call: recordCallback(m, { actor: r.actor, via: r.via, at: r.at, outcome, ...note(r) }), changed: true };
    }
    case 'ignore':
      if (m.status === 'ignored') return unchanged;
      if (!isOpen(m)) return conflict(m, 'ignore');
      return ok({ ...m, status: 'ignored' }, r, 'ignored');
    case 'close':
      if (m.status === 'closed') return unchanged;
      return ok({ ...m, status: 'closed' }, r, 'closed');
    case 'reopen':
      if (isOpen(m)) return unchanged;
      return ok({ ...m, status: m.assignee === null ? 'pending' : 'assigned', returned: null }, r, 'reopened');
    case 'note':
      if ((r.note ?? '').trim() === '') return invalid('note needs text');
      return ok(m, r, 'note');
  }
}

export interface CallbackRecord {
  actor: string;
  via: ActionVia;
  at: string;
  outcome: CallbackOutcome;
  note?: string;
}

/**
 * A callback was made. Reached, voicemail left or dialled from a team phone → returned; wrong number
 * → closed; no answer → stays open, the attempt counted so the next person sees it was tried.
 */
export function recordCallback(m: MissedCall, c: CallbackRecord): MissedCall {
  const entry = { at: c.at, by: c.actor, via: c.via, outcome: c.outcome };
  const callbacks = [...m.callbacks, entry];
  const history = [...m.history, { at: c.at, actor: c.actor, action: `callback: ${c.outcome}`, via: c.via, ...note(c) }];
  switch (c.outcome) {
    case 'no-answer':
      return { ...m, callbacks, history };
    case 'wrong-number':
      return { ...m, callbacks, history, status: 'closed' };
    default:
      return { ...m, callbacks, history, status: 'returned', returned: entry };
  }
}

/** Rule 4 of the correlator: a team phone called the caller back. */
export function markReturned(m: MissedCall, c: CallbackRecord): MissedCall {
  return m.status === 'returned' ? m : recordCallback(m, c);
}

// --- Internal helpers ---

function note(r: { note?: string | undefined }): { note?: string } {
  const text = r.note?.trim().slice(0, 1000);
  return text === undefined || text === '' ? {} : { note: text };
}

function ok(m: MissedCall, r: ActionRequest, action: string): ActionResult {
  return { ok: true, changed: true, call: { ...m, history: [...m.history, { at: r.at, actor: r.actor, action, via: r.via, ...note(r) }] } };
}

function conflict(m: MissedCall, action: Action): ActionResult {
  return { ok: false, code: 'conflict', message: `cannot ${action} a call that is ${m.status}; reopen it first` };
}

function invalid(message: string): ActionResult {
  return { ok: false, code: 'invalid', message };
}
