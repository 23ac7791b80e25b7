/**
 * @module Read-only views the dashboard's Teams and Phones pages need in one request each:
 * `GET /api/dashboard/teams` (teams with their open calls and phones) and
 * `GET /api/dashboard/phones` (phones with online/offline state, team names and clock skew).
 * Scoped like the lists they summarise: a manager or agent sees their own teams only.
 */
import { Router, type Request } from 'express';
import { teamsOfPhone } from '../../domain/destination.ts';
import { phoneStatus, type PhoneState } from '../../domain/offline.ts';
import type { Phone } from '../../domain/types.ts';
import type { PhoneHealth } from '../../services/phone-health.ts';
import type { Store } from '../../store/types.ts';
import { seesTeam } from '../api/auth/access.ts';
import { principalOf } from '../api/auth/principal.ts';
import { phoneView, teamView } from '../api/views.ts';

export interface DashboardOverviewDeps {
  store: Store;
  now: () => Date;
  /** The follow-up's phone health (issue 6) when it runs: its offline threshold and settling rule win. */
  phoneHealth?: Pick<PhoneHealth, 'report'> | undefined;
  /** Offline threshold when there is no phone-health service (`RINGBACK_OFFLINE_MINUTES`' default). */
  offlineMinutes?: number;
}

const DEFAULT_OFFLINE_MINUTES = 180;

export function dashboardOverviewRoutes(deps: DashboardOverviewDeps): Router {
  const { store } = deps;
  const router = Router();
  const startedAt = deps.now().toISOString();
  const thresholdMs = (deps.offlineMinutes ?? DEFAULT_OFFLINE_MINUTES) * 60_000;

  router.get('/dashboard/teams', (req, res) => {
    const p = principalOf(req);
    const phones = store.phones();
    const teams = store.teams();
    const items = teams.filter((t) => seesTeam(p, t.id)).map((t) => {
      const open = store.openMissed(t.id);
      return {
        ...teamView(t),
        open: open.length,
        assigned: open.filter((m) => m.status === 'assigned').length,
        oldestOpenAt: open.reduce<string | null>((min, m) => (min === null || m.firstAt < min ? m.firstAt : min), null),
        phones: phones.filter((ph) => teamsOfPhone(ph, teams).some((x) => x.id === t.id)).length,
      };
    });
    res.set('Cache-Control', 'no-store').json({ items });
  });

  router.get('/dashboard/phones', async (req, res) => {
    const now = deps.now().toISOString();
    const teams = store.teams();
    const health = await deps.phoneHealth?.report(deps.now());
    const states = new Map(health?.phones.map((h) => [h.mac, h.state]) ?? []);
    const items = visiblePhones(req, store).map((ph) => {
      const state: PhoneState = states.get(ph.mac) ?? phoneStatus(ph, { thresholdMs, startedAt }, now).state;
      return { ...phoneView(ph, store.get('pushStates', ph.mac)), state, teams: teamsOfPhone(ph, teams).map((t) => ({ id: t.id, name: t.name })) };
    });
    res.set('Cache-Control', 'no-store').json({
      now, thresholdMinutes: health?.thresholdMinutes ?? thresholdMs / 60_000, settlingUntil: health?.settlingUntil ?? null, items,
    });
  });

  return router;
}

// --- Internal helpers ---

/** As `GET /api/phones`: admins all, others the phones of their teams. */
function visiblePhones(req: Request, store: Store): Phone[] {
  const p = principalOf(req);
  if (p.role === 'admin') return store.phones();
  const teams = store.teams();
  return store.phones().filter((ph) => teamsOfPhone(ph, teams).some((t) => seesTeam(p, t.id)));
}
