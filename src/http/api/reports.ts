/** @module `GET /api/reports/summary`: a period's report for one team or all the principal's teams. */
import { Router, type Request } from 'express';
import type { ReportSummary } from '../../domain/reports.ts';
import type { Principal } from '../../services/auth-types.ts';
import { buildReport } from '../../services/reports.ts';
import type { Store } from '../../store/types.ts';
import { teamScope } from './auth/access.ts';
import { principalOf } from './auth/principal.ts';
import { instant, single } from './query.ts';
import type { CallerPresenter, CallerView } from './caller-view.ts';
import { HttpError } from '../errors.ts';

export interface ReportRouteDeps {
  store: Store;
  present: CallerPresenter;
  defaultTimeZone: string;
  now: () => Date;
}

/** Without `from`, a report covers the 30 days before `to` (default: now). */
export const DEFAULT_REPORT_DAYS = 30;
const MAX_REPORT_DAYS = 3660;

export function reportRoutes(deps: ReportRouteDeps): Router {
  const router = Router();
  router.get('/reports/summary', async (req, res) => {
    res.json(await reportFor(req, deps, { defaultFrom: 'days' }));
  });
  return router;
}

export type ReportView = Omit<ReportSummary, 'repeatCallers'> & {
  teams: string[] | null;
  repeatCallers: Omit<ReportSummary['repeatCallers'], 'top'> & {
    top: (Omit<ReportSummary['repeatCallers']['top'][number], 'callerKey' | 'name'> & { caller: CallerView })[];
  };
};

/**
 * The report for a request's `team`, `from` and `to`, scoped to the principal's teams, callers shown
 * as the principal may see them. `defaultFrom: 'all'` (exports) means "since the first record".
 */
export async function reportFor(req: Request, deps: ReportRouteDeps, opts: { defaultFrom: 'days' | 'all' }): Promise<ReportView> {
  const q = req.query as Record<string, unknown>;
  const teams = teamScope(req, single(q, 'team'));
  const now = deps.now();
  const to = instant(q, 'to') ?? now.toISOString();
  const from = instant(q, 'from') ??
    (opts.defaultFrom === 'days' ? new Date(Date.parse(to) - DEFAULT_REPORT_DAYS * 86_400_000).toISOString() : null);
  if (from !== null && from >= to) throw new HttpError(400, 'invalid', 'from must be before to');
  if (from !== null && Date.parse(to) - Date.parse(from) > MAX_REPORT_DAYS * 86_400_000) throw new HttpError(400, 'invalid', 'a report spans at most ten years');
  const summary = await buildReport(deps.store, { teams, from, to, now: now.toISOString(), defaultTimeZone: deps.defaultTimeZone });
  return present(summary, teams, principalOf(req), deps.present);
}

function present(s: ReportSummary, teams: readonly string[] | null, p: Principal, presenter: CallerPresenter): ReportView {
  return {
    ...s,
    teams: teams === null ? null : [...teams],
    repeatCallers: {
      ...s.repeatCallers,
      top: s.repeatCallers.top.map(({ callerKey, name, ...row }) => ({ caller: presenter.caller(keyNumber(callerKey), name, p), ...row })),
    },
  };
}

/** The report keeps only the matching key; E.164 keys start with `+`, others are digits. */
function keyNumber(key: string) {
  return { raw: key, e164: key.startsWith('+') ? key : null, key };
}
