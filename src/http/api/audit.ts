/**
 * @module `GET /api/audit` (newest first, filters, cursor paging) and `GET /api/audit/export` (CSV):
 * admins only, by the access table. Exporting the trail is itself audited.
 */
import { Router, type Request } from 'express';
import { normaliseNumber } from '../../domain/numbers.ts';
import type { AuditEntry } from '../../services/audit-types.ts';
import type { Audit, AuditFilter } from '../../services/audit.ts';
import { writeCsv, type ExportColumn, type Row } from '../../services/export.ts';
import { audited } from './auth/audit-trail.ts';
import { instant, limit, oneOf, single } from './query.ts';
import { HttpError } from '../errors.ts';

export interface AuditRouteDeps {
  audit: Audit;
  country: string;
  now: () => Date;
}

const COLUMNS: ExportColumn[] = ['id', 'at', 'action', 'outcome', 'actor_kind', 'actor_id', 'actor_name', 'actor_role', 'target_type',
  'target_id', 'team', 'ip', 'subject', 'details'].map((key) => ({ key, header: key }));

export function auditRoutes(deps: AuditRouteDeps): Router {
  const router = Router();

  router.get('/audit', async (req, res) => {
    const q = req.query as Record<string, unknown>;
    const filter = await filterOf(req, deps);
    const size = limit(q, 100, 1000);
    const cursor = single(q, 'cursor', 40);
    if (cursor !== undefined && !/^au_\d{10}$/.test(cursor)) throw new HttpError(400, 'invalid', 'cursor: use nextCursor from the previous page');
    const items: AuditEntry[] = [];
    let more = false;
    for (const e of deps.audit.entries(filter)) {
      if (cursor !== undefined && e.id >= cursor) continue;
      if (items.length === size) { more = true; break; }
      items.push(e);
    }
    res.set('Cache-Control', 'no-store').json({ items, nextCursor: more ? items.at(-1)?.id ?? null : null });
  });

  router.get('/audit/export', async (req, res) => {
    const format = oneOf(req.query as Record<string, unknown>, 'format', ['csv'] as const) ?? 'csv';
    const filter = await filterOf(req, deps);
    await audited(req, deps.audit, { action: 'export.audit', details: { format, filtered: Object.keys(filter).length > 0 } });
    res.set('Cache-Control', 'no-store');
    res.set('Content-Disposition', `attachment; filename="audit-${deps.now().toISOString().slice(0, 10)}.csv"`);
    res.type('text/csv; charset=utf-8');
    const rows = function* (): Generator<Row> { for (const e of deps.audit.entries(filter)) yield csvRow(e); };
    await writeCsv(res, COLUMNS, rows());
  });

  return router;
}

/** `subject` takes a phone number and is turned into its keyed hash (the trail never holds the number). */
async function filterOf(req: Request, deps: AuditRouteDeps): Promise<AuditFilter> {
  const q = req.query as Record<string, unknown>;
  const subjectNumber = single(q, 'subject', 64);
  const subjectKey = subjectNumber === undefined ? undefined : normaliseNumber(subjectNumber, deps.country).key;
  if (subjectKey === '') throw new HttpError(400, 'invalid', 'subject: a phone number');
  const f: AuditFilter = {};
  const set = <K extends keyof AuditFilter>(k: K, v: AuditFilter[K] | undefined) => { if (v !== undefined) f[k] = v; };
  set('action', single(q, 'action', 64));
  set('actor', single(q, 'actor', 100));
  set('target', single(q, 'target', 100));
  set('team', single(q, 'team', 64));
  set('outcome', oneOf(q, 'outcome', ['ok', 'denied', 'failed'] as const));
  set('from', instant(q, 'from'));
  set('to', instant(q, 'to'));
  if (subjectKey !== undefined) f.subject = await deps.audit.subjectOf(subjectKey);
  return f;
}

function csvRow(e: AuditEntry): Row {
  return {
    id: e.id, at: e.at, action: e.action, outcome: e.outcome, actor_kind: e.actor.kind, actor_id: e.actor.id, actor_name: e.actor.name,
    actor_role: e.actor.role, target_type: e.target?.type ?? null, target_id: e.target?.id ?? null, team: e.team, ip: e.ip,
    subject: e.subject, details: JSON.stringify(e.details),
  };
}
