/** @module `/api/missed-calls` and `/api/calls`: the log, its filters, and actions on entries. */
import { Router } from 'express';
import { z } from 'zod';
import { ACTIONS, CALLBACK_OUTCOMES } from '../domain/callbacks.ts';
import { normaliseNumber } from '../domain/numbers.ts';
import type { CallbackOutcome, MissedStatus } from '../domain/types.ts';
import type { CallLog } from '../services/call-log.ts';
import { describeIssues } from '../services/inventory-input.ts';
import type { Store } from '../store/types.ts';
import { cursor, instant, limit, oneOf, page, single } from './api-query.ts';
import { attemptView, missedView } from './api-views.ts';
import { HttpError } from './errors.ts';

export interface MissedRouteDeps {
  store: Store;
  callLog: CallLog;
  country: string;
  now: () => Date;
}

const STATUSES: readonly MissedStatus[] = ['pending', 'assigned', 'returned', 'ignored', 'closed'];
const OUTCOMES = ['pending', 'missed', 'answered', 'answered-elsewhere', 'abandoned-short', 'not-counted'] as const;

const actionBody = z.object({
  action: z.enum(ACTIONS),
  assignee: z.string().trim().min(1).max(64).optional(),
  outcome: z.enum(CALLBACK_OUTCOMES as [CallbackOutcome, ...CallbackOutcome[]]).optional(),
  note: z.string().max(1000).optional(),
  actor: z.string().trim().min(1).max(64).optional(),
}).strict();

export function missedRoutes(deps: MissedRouteDeps): Router {
  const { store } = deps;
  const router = Router();

  router.get('/missed-calls', (req, res) => {
    const q = req.query as Record<string, unknown>;
    const team = single(q, 'team');
    const status = oneOf(q, 'status', STATUSES);
    const callerText = single(q, 'caller', 64);
    const from = instant(q, 'from');
    const to = instant(q, 'to');
    const callerKey = callerText === undefined ? undefined : normaliseNumber(callerText, deps.country).key;
    const matches = function* () {
      for (const m of store.missedCalls({ ...(team === undefined ? {} : { team }), ...(status === undefined ? {} : { status }),
        ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) })) {
        if (callerText !== undefined && m.caller.key !== callerKey && !m.caller.raw.includes(callerText) &&
          !m.callerName.toLowerCase().includes(callerText.toLowerCase())) continue;
        yield m;
      }
    };
    const now = deps.now().toISOString();
    const p = page(matches(), (m) => ({ at: m.firstAt, id: m.id }), cursor(q), limit(q));
    res.json({ items: p.items.map((m) => missedView(m, now)), nextCursor: p.nextCursor });
  });

  router.get('/missed-calls/:id', (req, res) => {
    const m = store.missedCall(req.params.id);
    if (m === undefined) throw new HttpError(404, 'not_found', 'no such missed call');
    res.json(missedView(m, deps.now().toISOString()));
  });

  router.post('/missed-calls/:id/actions', async (req, res) => {
    const body = actionBody.safeParse(req.body);
    if (!body.success) throw new HttpError(400, 'invalid', describeIssues(body.error));
    const { action, assignee, outcome, note, actor } = body.data;
    const at = deps.now().toISOString();
    const result = await deps.callLog.act(req.params.id, {
      action, actor: actor ?? 'admin', via: 'api', at,
      ...(assignee === undefined ? {} : { assignee }), ...(outcome === undefined ? {} : { outcome }), ...(note === undefined ? {} : { note }),
    });
    if (result === undefined) throw new HttpError(404, 'not_found', 'no such missed call');
    if (!result.ok) throw new HttpError(result.code === 'conflict' ? 409 : 400, result.code, result.message);
    res.json(missedView(result.call, at));
  });

  router.get('/calls', (req, res) => {
    const q = req.query as Record<string, unknown>;
    const team = single(q, 'team');
    const outcome = oneOf(q, 'outcome', OUTCOMES);
    const from = instant(q, 'from');
    const to = instant(q, 'to');
    const matches = function* () {
      for (const a of store.attempts({ ...(team === undefined ? {} : { destination: team }), ...(from === undefined ? {} : { from }),
        ...(to === undefined ? {} : { to }) })) {
        if (outcome === undefined || a.outcome === outcome) yield a;
      }
    };
    const p = page(matches(), (a) => ({ at: a.firstRingAt, id: a.id }), cursor(q), limit(q));
    res.json({ items: p.items.map(attemptView), nextCursor: p.nextCursor });
  });

  return router;
}
