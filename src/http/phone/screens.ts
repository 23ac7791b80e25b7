/** @module `GET /phone/:vendor/missed…`: the team's missed-call list on the phone, and its softkey actions. */
import { Router, type Request, type Response } from 'express';
import type { Action } from '../../domain/callbacks.ts';
import { CALLBACK_OUTCOMES } from '../../domain/callbacks.ts';
import { phoneDestinations } from '../../domain/destination.ts';
import type { CallbackOutcome, MissedCall, Phone } from '../../domain/types.ts';
import type { Screen } from '../../screens/model.ts';
import type { Rendered } from '../../vendors/types.ts';
import {
  confirmIgnoreScreen, laterScreen, messageScreen, missedDetailScreen, missedListScreen, moreScreen, outcomeScreen, PHONE_ACTIONS,
  SUB_SCREENS, type PhoneAction, type ScreenState,
} from '../../screens/missed.ts';
import { phoneEndpoints } from '../../screens/phone-urls.ts';
import type { CallLog } from '../../services/call-log.ts';
import { publicBase } from '../public-base.ts';
import { resolvePhone, type PhoneContext, type PhoneContextDeps } from './context.ts';
import { isStoreUnavailable } from '../../store/unavailable.ts';

export interface PhoneScreenDeps extends PhoneContextDeps {
  callLog: CallLog;
  now: () => Date;
  publicUrl: string | null;
  /** Zone for phones in no team. */
  defaultTimeZone: string;
  /** The directory contact of a caller (screens show its name). */
  contactOf?: ScreenState['contactOf'];
}

const TO_DOMAIN: Record<PhoneAction, Action> = {
  mine: 'assign', release: 'unassign', return: 'return', ignore: 'ignore', reopen: 'reopen', schedule: 'schedule',
};
const ACTION_DONE: Record<PhoneAction, string> = {
  mine: 'It is yours now.', release: 'Released to the team.', return: 'Saved.', ignore: 'Ignored.', reopen: 'Reopened.',
  schedule: 'It waits until then, then comes back to the top.',
};

export function phoneScreenRoutes(deps: PhoneScreenDeps): Router {
  const router = Router();

  /**
   * Phones poll the list (idle refresh, every key press): one rendered list per phone, reused while
   * nothing in the store changed and the minute shown ("2 min ago") is the same.
   */
  const lists = new Map<string, { key: string; out: Rendered }>();
  router.get('/:vendor/missed', async (req, res) => {
    const { ctx, state, calls } = await open(req);
    const page = pageOf(ctx.query['p']);
    const key = `${deps.store.revision()}|${page}|${Math.floor(Date.parse(state.now) / 60_000)}|${ctx.vendor.name}|${state.urls.list(0)}`;
    const hit = lists.get(ctx.phone.mac);
    const out = hit?.key === key ? hit.out : ctx.vendor.renderScreen(missedListScreen(calls(), page, state));
    lists.set(ctx.phone.mac, { key, out });
    sendRendered(res, out);
  });

  router.get('/:vendor/missed/:id', async (req, res) => {
    const { ctx, state, call } = await open(req);
    const m = await call(req.params['id']);
    send(res, ctx, m === undefined ? gone(state) : missedDetailScreen(m, state));
  });

  // Before `/:id/outcome`: the list's one "Returned" key, for whichever item the phone had focused.
  router.get('/:vendor/missed/selected/outcome', async (req, res) => {
    const { ctx, state, call } = await open(req);
    const id = selectedId(ctx.query);
    const m = id === '' ? undefined : await call(id);
    send(res, ctx, m === undefined ? messageScreen('Missed calls', 'Choose a call in the list first.', state.urls.list(0)) : outcomeScreen(m, state));
  });

  router.get('/:vendor/missed/:id/outcome', async (req, res) => {
    const { ctx, state, call } = await open(req);
    const m = await call(req.params['id']);
    send(res, ctx, m === undefined ? gone(state) : outcomeScreen(m, state));
  });

  router.get('/:vendor/missed/:id/:action', async (req, res) => {
    const { ctx, state, call } = await open(req);
    const m = await call(req.params['id']);
    const sub = SUB_SCREENS.find((a) => a === req.params['action']);
    if (m !== undefined && sub !== undefined) {
      return send(res, ctx, sub === 'more' ? moreScreen(m, state) : sub === 'later' ? laterScreen(m, state) : confirmIgnoreScreen(m, state));
    }
    const action = PHONE_ACTIONS.find((a) => a === req.params['action']);
    if (m === undefined || action === undefined) return send(res, ctx, gone(state));
    const outcome = CALLBACK_OUTCOMES.find((o) => o === ctx.query['outcome']);
    const at = ctx.query['at'];
    const result = await deps.callLog.act(m.id, {
      action: TO_DOMAIN[action], actor: ctx.phone.userName, via: 'phone', at: state.now,
      ...(outcome === undefined ? {} : { outcome: outcome satisfies CallbackOutcome }),
      ...(action === 'schedule' ? { scheduleAt: typeof at === 'string' ? at.slice(0, 40) : '' } : {}),
    });
    if (result === undefined) return send(res, ctx, gone(state));
    if (!result.ok) return send(res, ctx, missedDetailScreen(m, state, result.message));
    send(res, ctx, missedDetailScreen(result.call, state, result.changed ? ACTION_DONE[action] : undefined));
  });

  async function open(req: Request) {
    const ctx = await resolvePhone(req, deps);
    const now = deps.now().toISOString();
    // On a full disk the list is still shown (it is read from memory); only lastSeen is not kept.
    await deps.callLog.touch(ctx.phone, ctx.ip, 'screen', now).catch((err: unknown) => {
      if (!isStoreUnavailable(err)) throw err;
    });
    const { teams, served: destinations } = phoneDestinations(ctx.phone, deps.store.teams());
    const state: ScreenState = {
      title: teams.length === 1 ? teams[0]?.name ?? 'Missed calls' : 'Missed calls',
      now,
      timeZone: teams[0]?.timeZone ?? deps.defaultTimeZone,
      limits: ctx.vendor.limits,
      urls: phoneEndpoints(publicBase(req, deps.publicUrl), ctx.vendor.name, ctx.phone.token),
      ...(deps.contactOf === undefined ? {} : { contactOf: deps.contactOf }),
      viewer: ctx.phone.userName,
      ...(teams[0]?.businessHours === undefined ? {} : { businessHours: teams[0].businessHours }),
    };
    // The screen builder puts them in list order (scheduled callbacks wait, then come back on top).
    const calls = (): MissedCall[] => mergeNewestFirst(destinations.map((d) => deps.store.openMissed(d)));
    // A phone sees only its own teams' calls, whatever id it asks for. A closed entry of an older day
    // (a reopen from its detail screen) is history.
    const call = async (id: string | undefined): Promise<MissedCall | undefined> => {
      const m = id === undefined ? undefined : deps.store.missedCall(id) ?? await deps.store.history.missedCall(id);
      return m !== undefined && destinations.includes(m.team) ? m : undefined;
    };
    return { ctx, state, calls, call };
  }

  return router;
}

// --- Internal helpers ---

function send(res: Response, ctx: PhoneContext, screen: Screen): void {
  sendRendered(res, ctx.vendor.renderScreen(screen));
}

function sendRendered(res: Response, out: Rendered): void {
  res.status(200).type(out.contentType).set('Cache-Control', 'no-store').send(out.body);
}

function gone(state: ScreenState): Screen {
  return messageScreen('Missed calls', 'This call is no longer in your list.', state.urls.list(0));
}

/**
 * The id a Yealink phone appended from the focused item's `<Selection>`: `…&sel=&selection=<id>`,
 * or `…&sel=selection=<id>` if it adds no separator (which one is NOT CONFIRMED).
 */
function selectedId(query: Readonly<Record<string, string>>): string {
  const glued = /^selection=(.*)$/.exec(query['sel'] ?? '')?.[1];
  const id = query['selection'] ?? glued ?? '';
  return /^[A-Za-z0-9._~-]{1,64}$/.test(id) ? id : '';
}

function pageOf(p: string | undefined): number {
  const n = Number(p);
  return Number.isInteger(n) && n >= 0 && n < 10_000 ? n : 0;
}

function mergeNewestFirst(lists: MissedCall[][]): MissedCall[] {
  if (lists.length === 1) return lists[0] ?? [];
  const byId = new Map<string, MissedCall>();
  for (const list of lists) for (const m of list) byId.set(m.id, m);
  return [...byId.values()].sort((a, b) => (a.lastAt < b.lastAt ? 1 : a.lastAt > b.lastAt ? -1 : 0));
}
