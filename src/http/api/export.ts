/**
 * @module `GET /api/missed-calls/export?format=csv|xlsx` with the list's filters: admins and managers
 * (their teams; numbers masked unless they have number access). Each export is audited before the
 * first byte goes out. Mounted before the missed-call routes, so `export` is not taken for an id.
 */
import { Router } from 'express';
import { localParts } from '../../domain/schedule.ts';
import type { MissedCall } from '../../domain/types.ts';
import type { Principal } from '../../services/auth-types.ts';
import type { Audit } from '../../services/audit.ts';
import { writeCsv, writeXlsx, type ExportColumn, type Row } from '../../services/export.ts';
import type { Store } from '../../store/types.ts';
import { principalOf } from './auth/principal.ts';
import { audited } from './auth/audit-trail.ts';
import { oneOf } from './query.ts';
import { reportFor, type ReportRouteDeps } from './reports.ts';
import type { CallerPresenter } from './caller-view.ts';
import { attemptsOf, rangOf } from './missed-extras.ts';
import { missedFilter } from './missed-filter.ts';
import { reportSheets } from './report-sheets.ts';

export interface ExportRouteDeps extends ReportRouteDeps {
  store: Store;
  audit: Audit;
  present: CallerPresenter;
  country: string;
}

/** The export's columns, in order. Times are UTC ISO plus the team's local time for people reading it. */
export const EXPORT_COLUMNS: ExportColumn[] = [
  { key: 'id', header: 'id', width: 38 },
  { key: 'team', header: 'team', width: 18 },
  { key: 'first_call_utc', header: 'first_call_utc', width: 20, type: 'date' },
  { key: 'first_call_local', header: 'first_call_local', width: 17, type: 'local-date' },
  { key: 'last_call_utc', header: 'last_call_utc', width: 20, type: 'date' },
  { key: 'calls', header: 'calls', width: 7 },
  { key: 'caller_number', header: 'caller_number', width: 18, type: 'text' },
  { key: 'caller_e164', header: 'caller_e164', width: 16, type: 'text' },
  { key: 'caller_name', header: 'caller_name', width: 24 },
  { key: 'contact_name', header: 'contact_name', width: 24 },
  { key: 'contact_company', header: 'contact_company', width: 24 },
  { key: 'vip', header: 'vip', width: 6 },
  { key: 'crm_url', header: 'crm_url', width: 30 },
  { key: 'extension', header: 'extension', width: 10, type: 'text' },
  { key: 'rang', header: 'rang', width: 12, type: 'text' },
  { key: 'ring_seconds', header: 'ring_seconds', width: 8 },
  { key: 'after_hours', header: 'after_hours', width: 8 },
  { key: 'status', header: 'status', width: 10 },
  { key: 'assignee', header: 'assignee', width: 16 },
  { key: 'returned_at', header: 'returned_at', width: 20, type: 'date' },
  { key: 'returned_by', header: 'returned_by', width: 16 },
  { key: 'returned_via', header: 'returned_via', width: 8 },
  { key: 'callback_outcome', header: 'callback_outcome', width: 12 },
  { key: 'callbacks', header: 'callbacks', width: 8 },
  { key: 'rule', header: 'rule', width: 40 },
];

export function exportRoutes(deps: ExportRouteDeps): Router {
  const { store } = deps;
  const router = Router();

  router.get('/missed-calls/export', async (req, res) => {
    const format = oneOf(req.query as Record<string, unknown>, 'format', ['csv', 'xlsx'] as const) ?? 'csv';
    const filter = missedFilter(req, store, deps.country);
    const p = principalOf(req);
    const report = format === 'xlsx' ? await reportFor(req, deps, { defaultFrom: 'all' }) : null;
    let rows = 0;
    for await (const _ of filter.entries()) rows += 1;
    const { asked } = filter;
    await audited(req, deps.audit, {
      action: 'export.missed-calls', team: asked.team,
      details: { format, rows, team: asked.team, status: asked.status, callerFilter: asked.caller, from: asked.from, to: asked.to, numbers: p.numbers },
    });

    const now = deps.now().toISOString();
    const teamNames = new Map(store.teams().map((t) => [t.id, { name: t.name, zone: t.timeZone }]));
    const toRow = (m: MissedCall, rang: string[]): Row =>
      exportRow(m, now, p, deps.present, teamNames.get(m.team) ?? { name: m.team, zone: deps.defaultTimeZone }, rang);
    // Pulled by the writer as the client reads (backpressure); the rang extensions of each batch of
    // entries come from one history read of their attempts.
    const lazyRows = async function* (): AsyncGenerator<Row> {
      let batch: MissedCall[] = [];
      const rows = async function* (): AsyncGenerator<Row> {
        const attempts = await attemptsOf(store, batch);
        for (const m of batch) yield toRow(m, rangOf(m, attempts));
        batch = [];
      };
      for await (const m of filter.entries()) {
        batch.push(m);
        if (batch.length >= RANG_BATCH) yield* rows();
      }
      yield* rows();
    };
    const name = `missed-calls-${now.slice(0, 10)}.${format}`;
    res.set('Cache-Control', 'no-store');
    res.set('Content-Disposition', `attachment; filename="${name}"`);
    if (format === 'csv') {
      res.type('text/csv; charset=utf-8');
      await writeCsv(res, EXPORT_COLUMNS, lazyRows());
    } else {
      res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      await writeXlsx(res, { name: 'Missed calls', columns: EXPORT_COLUMNS, rows: lazyRows() }, report === null ? [] : reportSheets(report));
      res.end();
    }
  });

  return router;
}

/** Entries whose attempts are read from history at once while exporting. */
const RANG_BATCH = 200;

function exportRow(m: MissedCall, now: string, p: Principal, present: CallerPresenter, team: { name: string; zone: string },
  rang: string[]): Row {
  const v = present.missed(m, now, p);
  const local = localParts(m.firstAt, team.zone);
  return {
    id: m.id, team: team.name, first_call_utc: m.firstAt, first_call_local: `${local.date} ${local.time}`, last_call_utc: m.lastAt,
    calls: m.attemptIds.length, caller_number: v.caller.national, caller_e164: v.caller.number, caller_name: v.caller.name, contact_name: v.caller.contact?.name ?? '',
    contact_company: v.caller.contact?.company ?? '', vip: v.caller.contact?.vip === true ? 'yes' : 'no', crm_url: v.caller.crmUrl ?? '',
    extension: m.extension, rang: rang.join(', '), ring_seconds: m.ringSeconds, after_hours: m.afterHours ? 'yes' : 'no', status: m.status,
    assignee: m.assignee ?? '', returned_at: m.returned?.at ?? '', returned_by: m.returned?.by ?? '', returned_via: m.returned?.via ?? '',
    callback_outcome: m.returned?.outcome ?? m.callbacks.at(-1)?.outcome ?? '', callbacks: m.callbacks.length, rule: v.rule,
  };
}
