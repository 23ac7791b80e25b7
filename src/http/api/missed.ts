/** @module `/api/missed-calls` and `/api/calls`: the log, its filters, and actions on entries. */
import { Router, type Request } from 'express';
import { z } from 'zod';
import { ACTIONS, CALLBACK_OUTCOMES } from '../../domain/callbacks.ts';
import type { CallbackOutcome, MissedCall } from '../../domain/types.ts';
import type { Audit } from '../../services/audit.ts';
import type { CallLog } from '../../services/call-log.ts';
import { describeIssues } from '../../domain/issues.ts';
import type { Store } from '../../store/types.ts';
import { actorName, requireTeam, teamScope } from './auth/access.ts';
import { principalOf } from './auth/principal.ts';
import { audited } from './auth/audit-trail.ts';
import { cursor, instant, limit, oneOf, page, single } from './query.ts';
import type { CallerPresenter } from './caller-view.ts';
import { failed, HttpError } from '../errors.ts';
import { colleaguesOf, type ColleagueSources } from './colleagues.ts';
import { deskExtras, type TargetOf } from './missed-extras.ts';
import { missedFilter } from './missed-filter.ts';

export interface MissedRouteDeps {
  store: Store;
  callLog: CallLog;
  country: string;
  now: () => Date;
  /** How callers are shown (contact match, masked numbers) to the asking principal. */
  present: CallerPresenter;
  audit: Audit;
  /** A team's time-to-callback target, for the overdue mark; absent = no marks. */
  targetOf?: TargetOf;
  /** Where the names a call can be assigned to come from (phones always). */
  colleagues?: Omit<ColleagueSources, 'store'>;
}

const OUTCOMES = ['pending', 'missed', 'answered', 'answered-elsewhere', 'abandoned-short', 'not-counted'] as const;

const actionBody = z.object({
  action: z.enum(ACTIONS),
  assignee: z.string().trim().min(1).max(64).optional(),
  outcome: z.enum(CALLBACK_OUTCOMES as [CallbackOutcome, ...CallbackOutcome[]]).optional(),
  note: z.string().max(1000).optional(),
  actor: z.string().trim().min(1).max(64).optional(),
  /** schedule: when to call back. Checked by the domain, so the message names the field and the format. */
  at: z.string().max(40).optional(),
}).strict();

export function missedRoutes(deps: MissedRouteDeps): Router {
  const { store } = deps;
  const router = Router();
  const extras = deskExtras(store, deps.targetOf);
  const showAll = async (ms: readonly MissedCall[], now: string, req: Request) => {
    const more = await extras(ms, now);
    return ms.map((m, i) => ({ ...deps.present.missed(m, now, principalOf(req)), ...more[i] }));
  };
  const show = async (m: MissedCall, now: string, req: Request) => (await showAll([m], now, req))[0];

  // Filters, team scope (a manager or agent sees their teams only) and caller view (contact match,
  // masked numbers) are shared with the export: see api/missed-filter.ts and api/caller-view.ts.
  router.get('/missed-calls', async (req, res) => {
    const q = req.query as Record<string, unknown>;
    const filter = missedFilter(req, store, deps.country);
    const after = cursor(q);
    const size = limit(q);
    const now = deps.now().toISOString();
    const p = await page(filter.entries(after), (m) => ({ at: m.firstAt, id: m.id }), size);
    res.json({ items: await showAll(p.items, now, req), nextCursor: p.nextCursor });
  });

  // Before `/:id`: the names a call can be handed to, for the principal's teams (or the one asked for).
  router.get('/missed-calls/assignees', (req, res) => {
    const team = single(req.query as Record<string, unknown>, 'team');
    const scope = teamScope(req, team) ?? store.teams().map((t) => t.id);
    res.json({ names: colleaguesOf(scope, { store, ...deps.colleagues }) });
  });

  // Any entry ever kept: a closed one of an older day is history, not in the hot set.
  router.get('/missed-calls/:id', async (req, res) => {
    const m = store.missedCall(req.params.id) ?? await store.history.missedCall(req.params.id);
    if (m === undefined) throw new HttpError(404, 'not_found', 'no such missed call');
    requireTeam(req, m.team);
    res.json(await show(m, deps.now().toISOString(), req));
  });

  router.post('/missed-calls/:id/actions', async (req, res) => {
    const body = actionBody.safeParse(req.body);
    if (!body.success) throw new HttpError(400, 'invalid', describeIssues(body.error));
    const { action, assignee, outcome, note, actor, at: scheduleAt } = body.data;
    const at = deps.now().toISOString();
    const before = store.missedCall(req.params.id) ?? await store.history.missedCall(req.params.id);
    if (before !== undefined) requireTeam(req, before.team);
    const result = await deps.callLog.act(req.params.id, {
      action, actor: actorName(req, actor), via: 'api', at,
      ...(assignee === undefined ? {} : { assignee }), ...(outcome === undefined ? {} : { outcome }), ...(note === undefined ? {} : { note }),
      ...(scheduleAt === undefined ? {} : { scheduleAt }),
    });
    if (result === undefined) throw new HttpError(404, 'not_found', 'no such missed call');
    if (!result.ok) throw failed(result);
    if (result.changed) {
      await audited(req, deps.audit, {
        action: `missed-call.${action}`, target: { type: 'missed-call', id: result.call.id }, team: result.call.team,
        details: { from: before?.status ?? null, to: result.call.status, outcome: outcome ?? null, via: 'api' },
      });
    }
    res.json(await show(result.call, at, req));
  });

  router.get('/calls', async (req, res) => {
    const q = req.query as Record<string, unknown>;
    const team = single(q, 'team');
    const outcome = oneOf(q, 'outcome', OUTCOMES);
    const from = instant(q, 'from');
    const to = instant(q, 'to');
    const scope = teamScope(req, team);
    const teams = scope === null ? null : new Set(scope);
    const after = cursor(q);
    const size = limit(q);
    const matches = async function* () {
      for await (const a of store.history.attemptsIn({ ...(team === undefined ? {} : { destination: team }), ...(from === undefined ? {} : { from }),
        ...(to === undefined ? {} : { to }), ...(after === undefined ? {} : { after }) })) {
        if (teams !== null && !teams.has(a.destination)) continue;
        if (outcome === undefined || a.outcome === outcome) yield a;
      }
    };
    const p = await page(matches(), (a) => ({ at: a.firstRingAt, id: a.id }), size);
    res.json({ items: p.items.map((a) => deps.present.attempt(a, principalOf(req))), nextCursor: p.nextCursor });
  });

  return router;
}
