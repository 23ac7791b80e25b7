/**
 * @module `GET /phone/:vendor/waiting?t=…`: the idle-screen banner as a page, for phones whose push
 * can only name a URL to fetch (Cisco's `CiscoIPPhoneExecute`): "3 missed calls waiting · oldest
 * 12 min", who is on them, and a key that opens the list.
 */
import { Router } from 'express';
import { pushView } from '../../domain/push.ts';
import type { Screen } from '../../screens/model.ts';
import { phoneEndpoints } from '../../screens/phone-urls.ts';
import type { CallLog } from '../../services/call-log.ts';
import { openCallsOf } from '../../push/service.ts';
import { resolvePhone, type PhoneContextDeps } from './context.ts';
import { publicBase } from '../public-base.ts';

export interface PhoneWaitingDeps extends PhoneContextDeps {
  callLog: Pick<CallLog, 'touch'>;
  now: () => Date;
  publicUrl: string | null;
}

export function phoneWaitingRoutes(deps: PhoneWaitingDeps): Router {
  const router = Router();
  router.get('/:vendor/waiting', async (req, res) => {
    const ctx = await resolvePhone(req, deps);
    const now = deps.now().toISOString();
    await deps.callLog.touch(ctx.phone, ctx.ip, 'screen', now);
    const view = pushView(openCallsOf(deps.store, ctx.phone), now);
    const list = phoneEndpoints(publicBase(req, deps.publicUrl), ctx.vendor.name, ctx.phone.token).list(0);
    const screen: Screen = {
      kind: 'text', title: 'Missed calls',
      lines: view.count === 0 ? ['No missed calls waiting.'] : [view.headline, view.detail],
      softkeys: [{ label: 'List', action: { type: 'open', url: list } }, { label: 'Exit', action: { type: 'exit' } }],
    };
    const out = ctx.vendor.renderScreen(screen);
    res.status(200).type(out.contentType).set('Cache-Control', 'no-store').send(out.body);
  });
  return router;
}
