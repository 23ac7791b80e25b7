/**
 * @module `GET /api/dashboard/screen-preview`: what a team's phones of one vendor show right now,
 * rendered by that vendor's own renderer (the same code the phones' requests go through), with the
 * vendor-neutral screen model beside it so the dashboard can draw an approximation of the display.
 *
 * Links in the preview carry a placeholder instead of a phone's token: tokens are secrets and the
 * preview is not a phone. Principals who see numbers masked get the screens of masked callers.
 */
import { Router } from 'express';
import { dialablePart } from '../../domain/numbers.ts';
import type { MissedCall } from '../../domain/types.ts';
import {
  messageScreen, missedDetailScreen, missedListScreen, outcomeScreen, type ScreenState, type ScreenUrls,
} from '../../screens/missed.ts';
import type { Screen } from '../../screens/model.ts';
import type { Store } from '../../store/types.ts';
import { vendorByName, vendors } from '../../vendors/index.ts';
import { teamScope } from '../api/auth/access.ts';
import { principalOf } from '../api/auth/principal.ts';
import { oneOf, single } from '../api/query.ts';
import { maskName, maskNumber, maskText } from '../api/caller-view.ts';
import { HttpError } from '../errors.ts';
import { phoneEndpoints } from '../../screens/phone-urls.ts';
import { publicBase } from '../public-base.ts';

export interface ScreenPreviewDeps {
  store: Store;
  now: () => Date;
  publicUrl: string | null;
  defaultTimeZone: string;
  contactOf?: ScreenState['contactOf'];
}

/** Stands where a phone's URLs carry its token. */
export const PREVIEW_TOKEN = 'PHONE-TOKEN';
const VIEWS = ['list', 'detail', 'outcome'] as const;

export function screenPreviewRoutes(deps: ScreenPreviewDeps): Router {
  const router = Router();

  router.get('/dashboard/screen-preview', async (req, res) => {
    const q = req.query as Record<string, unknown>;
    const vendor = vendorByName(single(q, 'vendor', 20) ?? 'yealink');
    if (vendor === undefined) throw new HttpError(400, 'invalid', `vendor: one of ${Object.keys(vendors).join(', ')}`);
    const view = oneOf(q, 'view', VIEWS) ?? 'list';
    const page = Number(single(q, 'page', 4) ?? '0');
    if (!Number.isInteger(page) || page < 0) throw new HttpError(400, 'invalid', 'page: 0 or more');
    const teamId = single(q, 'team', 64) ?? firstTeam(deps.store, teamScope(req, undefined));
    if (teamId === undefined) throw new HttpError(404, 'not_found', 'no team to preview yet: create a team first');
    teamScope(req, teamId);
    const team = deps.store.team(teamId);
    if (team === undefined) throw new HttpError(404, 'not_found', 'no such team');

    const masked = principalOf(req).numbers === 'masked';
    const shown = (m: MissedCall) => (masked ? maskedCall(m) : m);
    const state: ScreenState = {
      title: team.name, now: deps.now().toISOString(), timeZone: team.timeZone || deps.defaultTimeZone, limits: vendor.limits,
      urls: previewUrls(publicBase(req, deps.publicUrl), vendor.name),
      ...(deps.contactOf === undefined || masked ? {} : { contactOf: deps.contactOf }),
      ...(team.businessHours === undefined ? {} : { businessHours: team.businessHours }),
    };
    let screen: Screen;
    if (view === 'list') {
      screen = missedListScreen(deps.store.openMissed(team.id).map(shown), page, state);
    } else {
      const id = single(q, 'id', 100);
      const m = id === undefined ? undefined : deps.store.missedCall(id) ?? await deps.store.history.missedCall(id);
      if (m === undefined || m.team !== team.id) screen = messageScreen('Missed calls', 'This call is no longer in your list.', state.urls.list(0));
      else screen = view === 'detail' ? missedDetailScreen(shown(m), state) : outcomeScreen(shown(m), state);
    }
    const out = vendor.renderScreen(screen);
    res.set('Cache-Control', 'no-store').json({
      vendor: vendor.name, vendorTitle: vendor.title, team: { id: team.id, name: team.name }, view, masked,
      contentType: out.contentType, body: out.body, bytes: Buffer.byteLength(out.body), limits: vendor.limits, screen,
    });
  });

  return router;
}

// --- Internal helpers ---

function firstTeam(store: Store, scope: readonly string[] | null): string | undefined {
  return store.teams().find((t) => scope === null || scope.includes(t.id))?.id;
}

function previewUrls(base: string, vendor: string): ScreenUrls {
  return phoneEndpoints(base, vendor, PREVIEW_TOKEN);
}

/** The call as a principal without number access may see it: no dialable number, no contact lookup. */
function maskedCall(m: MissedCall): MissedCall {
  const number = m.caller.key === '' ? '' : maskNumber(m.caller.e164 ?? m.caller.key);
  const named = m.callerName !== '' && m.callerName !== dialablePart(m.caller.raw);
  return {
    ...m,
    caller: { raw: number, e164: null, key: '' },
    // Without a name the screens fall back to the number's digits, which would drop the mask.
    callerName: named ? maskName(m.callerName) : number,
    rule: maskText(m.rule),
    history: m.history.map((h) => (h.note === undefined ? h : { ...h, note: maskText(h.note) })),
  };
}
