/** @module `GET /phone/:vendor/missed…`: the team's missed-call list on the phone, and its softkey actions. */
import { Router, type Request, type Response } from 'express';
import type { Action } from '../../domain/callbacks.ts';
import { CALLBACK_OUTCOMES } from '../../domain/callbacks.ts';
import type { CallbackOutcome } from '../../domain/types.ts';
import type { Screen } from '../../screens/model.ts';
import type { Rendered } from '../../vendors/types.ts';
import {
  confirmIgnoreScreen, laterScreen, messageScreen, missedDetailScreen, moreScreen, outcomeScreen, PHONE_ACTIONS,
  SUB_SCREENS, type PhoneAction, type ScreenState,
} from '../../screens/missed.ts';
import { publicBase } from '../public-base.ts';
import { resolvePhone, type PhoneContext } from './context.ts';
import type { ListAnswer } from './list-answer.ts';
import { openScreen, type OpenScreen, type PhoneScreenDeps } from './screen-state.ts';

export type { PhoneScreenDeps } from './screen-state.ts';

const TO_DOMAIN: Record<PhoneAction, Action> = {
  mine: 'assign', release: 'unassign', return: 'return', ignore: 'ignore', reopen: 'reopen', schedule: 'schedule',
};
const ACTION_DONE: Record<PhoneAction, string> = {
  mine: 'It is yours now.', release: 'Released to the team.', return: 'Saved.', ignore: 'Ignored.', reopen: 'Reopened.',
  schedule: 'It waits until then, then comes back to the top.',
};

/** `list`: the list's answer (listAnswer), shared with its front route (list-front.ts) so both use one cache. */
export function phoneScreenRoutes(deps: PhoneScreenDeps, list: ListAnswer): Router {
  const router = Router();

  router.get('/:vendor/missed', async (req, res) => {
    sendRendered(res, await list(await resolvePhone(req, deps), publicBase(req, deps.publicUrl)));
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

  async function open(req: Request): Promise<OpenScreen> {
    return openScreen(deps, await resolvePhone(req, deps), publicBase(req, deps.publicUrl));
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
