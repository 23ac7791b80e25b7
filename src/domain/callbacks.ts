/**
 * @module The callback workflow: pending → assigned → returned | ignored | closed, and reopen.
 * Every change lands in the entry's history; repeating an action that already holds changes nothing,
 * so a phone's softkey pressed twice (or a retried request) is harmless.
 */
import { scheduledAction, scheduleProblem } from './callback-schedule.ts';
import type { ActionVia, CallbackOutcome, MissedCall, MissedStatus } from './types.ts';

export const ACTIONS = ['assign', 'unassign', 'return', 'ignore', 'close', 'reopen', 'note', 'schedule'] as const;
export type Action = (typeof ACTIONS)[number];
/** `dialled` is no longer recorded (dialling is not reaching) but stays valid for older records and the API. */
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
  /** schedule: when to call back (ISO instant, in the future). */
  scheduleAt?: string;
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
      if (assignee === '') return invalid('assignee: expected the name of who takes the call');
      if (!isOpen(m)) return conflict(m, 'assign');
      if (m.status === 'assigned' && m.assignee === assignee) return unchanged;
      return ok({ ...m, status: 'assigned', assignee, assignedAt: r.at }, r, assignee === r.actor ? 'claimed' : `assigned to ${assignee}`);
    }
    case 'unassign':
      if (m.status !== 'assigned') return m.status === 'pending' ? unchanged : conflict(m, 'unassign');
      return ok({ ...m, status: 'pending', assignee: null, assignedAt: null }, r, 'unassigned');
    case 'return': {
      const outcome = r.outcome ?? 'reached';
      if (!CALLBACK_OUTCOMES.includes(outcome)) return invalid(`outcome: expected one of ${CALLBACK_OUTCOMES.join(', ')}`);
      const record: CallbackRecord = { actor: r.actor, via: r.via, at: r.at, outcome, ...note(r) };
      const automatic = automaticRecordOf(m, record);
      if (automatic !== undefined) {
        // The person who made the call says how it went: their word replaces what the phone's events implied.
        if (automatic.outcome === outcome) return unchanged;
        return { ok: true, call: correctCallback(m, record, automatic.outcome), changed: true };
      }
      if (m.status === 'returned') return unchanged;
      return { ok: true, call: recordCallback(m, record), changed: true };
    }
    case 'ignore':
      if (m.status === 'ignored') return unchanged;
      if (!isOpen(m)) return conflict(m, 'ignore');
      return ok({ ...m, status: 'ignored', ...unscheduled(m) }, r, 'ignored');
    case 'close':
      if (m.status === 'closed') return unchanged;
      return ok({ ...m, status: 'closed', ...unscheduled(m) }, r, 'closed');
    case 'reopen':
      if (isOpen(m)) return unchanged;
      return ok({ ...m, status: m.assignee === null ? 'pending' : 'assigned', returned: null, ...unscheduled(m) }, r, 'reopened');
    case 'schedule': {
      if (r.scheduleAt === undefined) return invalid('at: expected the time to call back, e.g. 2026-12-01T14:00:00+01:00');
      const problem = scheduleProblem(r.scheduleAt, r.at);
      if (problem !== null) return invalid(problem);
      if (!isOpen(m)) return conflict(m, 'schedule');
      const at = new Date(r.scheduleAt).toISOString();
      if (m.scheduled?.at === at) return unchanged;
      return ok({ ...m, scheduled: { at, by: r.actor } }, r, scheduledAction(at));
    }
    case 'note':
      if ((r.note ?? '').trim() === '') return invalid('note: expected some text');
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
 * A callback was made. Reached or voicemail left → returned; wrong number → closed; no answer →
 * stays open, the attempt counted so the next person sees it was tried. Whoever was calling is
 * no longer calling. The phones' automatic records and the phone's/API's "Returned" use this one
 * shape (a `callbacks` entry and a `callback: <outcome>` history line).
 */
export function recordCallback(m: MissedCall, c: CallbackRecord): MissedCall {
  const entry = { at: c.at, by: c.actor, via: c.via, outcome: c.outcome };
  return settleBy({ ...m, callbacks: [...m.callbacks, entry] }, entry, historyLine(c));
}

/** How many times someone tried to call the caller back (every outcome, automatic or told). */
export function callbackAttempts(m: MissedCall): number {
  return m.callbacks.length;
}

/** An automatic record may be corrected by its caller for this long (the call is still in mind). */
export const CORRECTION_SECONDS = 15 * 60;

// --- Internal helpers ---

function historyLine(c: CallbackRecord) {
  return { at: c.at, actor: c.actor, action: `callback: ${c.outcome}`, via: c.via, ...note(c) };
}

function settleBy(m: MissedCall, entry: MissedCall['callbacks'][number], line: MissedCall['history'][number]): MissedCall {
  const base = { ...m, history: [...m.history, line], callingBack: null };
  switch (entry.outcome) {
    case 'no-answer':
      return base;
    case 'wrong-number':
      return { ...base, status: 'closed', ...unscheduled(m) };
    default:
      return { ...base, status: 'returned', returned: entry, ...unscheduled(m) };
  }
}

/**
 * The automatic record (made from the phone's or PBX's events) of the call this person just
 * finished, when it is what the entry's state rests on: the latest try, theirs, recent, and either
 * the one that returned the entry or a no-answer that left it open.
 */
function automaticRecordOf(m: MissedCall, c: CallbackRecord): MissedCall['callbacks'][number] | undefined {
  const last = m.callbacks.at(-1);
  if (last === undefined || last.via !== 'auto' || c.via === 'auto' || last.by !== c.actor) return undefined;
  if (Date.parse(c.at) - Date.parse(last.at) > CORRECTION_SECONDS * 1000) return undefined;
  const rests = m.status === 'returned' ? m.returned?.at === last.at && m.returned.by === last.by
    : isOpen(m) && last.outcome === 'no-answer';
  return rests ? last : undefined;
}

/** The told outcome replaces the automatic one: still one try, and the entry follows what was told. */
function correctCallback(m: MissedCall, c: CallbackRecord, was: CallbackOutcome): MissedCall {
  const entry = { at: c.at, by: c.actor, via: c.via, outcome: c.outcome };
  const reopened: MissedCall = m.status === 'returned'
    ? { ...m, status: m.assignee === null ? 'pending' : 'assigned', returned: null } : m;
  const told = note(c).note;
  const line = { ...historyLine(c), note: `corrects the automatic "${was}"${told === undefined ? '' : `: ${told}`}` };
  return settleBy({ ...reopened, callbacks: [...m.callbacks.slice(0, -1), entry] }, entry, line);
}

/** A settled or reopened entry waits for nothing any more (records without a schedule stay as they are). */
function unscheduled(m: MissedCall): { scheduled?: null } {
  return m.scheduled == null ? {} : { scheduled: null };
}

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
