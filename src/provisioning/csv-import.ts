/**
 * @module Phones from a CSV file (API `POST /api/phones/import` and `npm run cli -- phones import`):
 * one row per line of a phone, parsed with csv-parse, each phone created or updated through the
 * same inventory service (and its validation) as the API, with a report per row saying what
 * happened and why. SIP passwords come in here and never go out: not in the report, not in logs.
 */
import { parse } from 'csv-parse/sync';
import type { Phone, Team } from '../domain/types.ts';
import { failure, ok, type Result } from '../domain/result.ts';
import type { Inventory } from '../services/inventory.ts';
import { macInput } from '../services/inventory-input.ts';
import type { Store } from '../store/types.ts';

export const CSV_COLUMNS = ['mac', 'vendor', 'model', 'label', 'user_name', 'extension', 'sip_user', 'sip_password', 'sip_server', 'teams'] as const;
type Column = (typeof CSV_COLUMNS)[number];
const PHONE_COLUMNS: readonly Column[] = ['vendor', 'model', 'label', 'user_name', 'teams'];
const LINE_COLUMNS: readonly Column[] = ['extension', 'sip_user', 'sip_password', 'sip_server'];

export const MAX_ROWS = 5000;

export interface RowReport {
  /** Line number in the file where the row ends (the header is line 1; a quoted cell may span lines). */
  line: number;
  mac: string;
  result: 'created' | 'updated' | 'unchanged' | 'rejected';
  reason?: string;
}

export interface ImportReport {
  rows: RowReport[];
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

export type ImportResult = Result<ImportReport>;

interface Row {
  line: number;
  cells: Partial<Record<Column, string>>;
}

/** Import `text`; a file that is not CSV at all (or lacks the `mac` column) is refused as a whole. */
export async function importPhones(text: string, deps: { store: Store; inventory: Inventory }): Promise<ImportResult> {
  const parsed = readRows(text);
  if (!parsed.ok) return parsed;
  const groups = new Map<string, Row[]>();
  const rows: RowReport[] = [];
  for (const row of parsed.value) {
    const mac = macInput.safeParse(row.cells.mac ?? '');
    if (!mac.success) {
      rows.push({ line: row.line, mac: (row.cells.mac ?? '').slice(0, 32), result: 'rejected', reason: 'mac: a MAC address is 12 hex digits' });
      continue;
    }
    groups.set(mac.data, [...(groups.get(mac.data) ?? []), row]);
  }
  for (const [mac, group] of groups) {
    const outcome = await importPhone(mac, group, deps);
    for (const row of group) rows.push({ line: row.line, mac, ...outcome });
  }
  rows.sort((a, b) => a.line - b.line);
  const count = (r: RowReport['result']) => rows.filter((x) => x.result === r).length;
  return ok({ rows, created: count('created'), updated: count('updated'), unchanged: count('unchanged'), rejected: count('rejected') });
}

// --- Internal helpers ---

function readRows(text: string): Result<Row[]> {
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  // Spreadsheets in comma-decimal locales write `;`: take whichever the header uses.
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  let records: unknown[];
  try {
    records = parse(text, { bom: true, delimiter, relax_column_count: true, skip_empty_lines: true, trim: true, info: true, max_record_size: 64 * 1024, to: MAX_ROWS + 1 }) as unknown[];
  } catch (e) {
    // csv-parse messages can quote a field (a password): only its code and line are passed on.
    const err = e as { code?: unknown; lines?: unknown };
    return failure('invalid_csv', `not readable as CSV (${typeof err.code === 'string' ? err.code : 'error'}${typeof err.lines === 'number' ? ` at line ${err.lines}` : ''})`);
  }
  const typed = records.flatMap((r) => (isRecord(r) ? [r] : []));
  const [header, ...data] = typed;
  if (header === undefined) return failure('invalid_csv', 'the file is empty: it needs a header row naming the columns');
  const names = header.record.map((h) => h.trim().toLowerCase().replace(/[\s-]+/g, '_'));
  const unknown = names.filter((n) => n !== '' && !(CSV_COLUMNS as readonly string[]).includes(n));
  if (!names.includes('mac')) return failure('invalid_csv', `the header needs a "mac" column (columns: ${CSV_COLUMNS.join(', ')})`);
  if (unknown.length > 0) return failure('invalid_csv', `unknown columns: ${unknown.map((u) => u.slice(0, 32)).join(', ')} (columns: ${CSV_COLUMNS.join(', ')})`);
  if (data.length > MAX_ROWS) return failure('invalid_csv', `at most ${MAX_ROWS} rows per file`);
  const rows = data.map((r) => {
    const cells: Partial<Record<Column, string>> = {};
    for (const [i, name] of names.entries()) {
      const v = r.record[i];
      if (v !== undefined && v !== '' && name !== '') cells[name as Column] = v;
    }
    return { line: r.info.lines, cells };
  });
  return ok(rows);
}

function isRecord(r: unknown): r is { record: string[]; info: { lines: number } } {
  return typeof r === 'object' && r !== null && 'record' in r && Array.isArray(r.record) && 'info' in r;
}

type Outcome = { result: RowReport['result']; reason?: string };

async function importPhone(mac: string, group: Row[], deps: { store: Store; inventory: Inventory }): Promise<Outcome> {
  const first = group[0];
  if (first === undefined) return { result: 'rejected', reason: 'no rows' };
  // Later rows of the same MAC add lines; what they say about the phone must agree with the first.
  for (const row of group.slice(1)) {
    const clash = PHONE_COLUMNS.find((c) => row.cells[c] !== undefined && row.cells[c] !== first.cells[c]);
    if (clash !== undefined) return { result: 'rejected', reason: `${clash}: rows of one phone disagree (line ${first.line} and ${row.line})` };
  }
  const teams = teamIds(first.cells.teams, deps.store.teams());
  if (!teams.ok) return { result: 'rejected', reason: teams.reason };
  const existing = deps.store.phone(mac);
  const hasLines = group.some((r) => LINE_COLUMNS.some((c) => r.cells[c] !== undefined));
  const lines = group.map((r, i) => {
    // An empty password cell keeps the one already stored for that line: a re-import of an export never wipes secrets.
    const kept = existing?.lines.find((l) => l.extension === r.cells.extension)?.sipPassword ?? existing?.lines[i]?.sipPassword;
    const password = r.cells.sip_password ?? kept;
    return {
      extension: r.cells.extension ?? '',
      ...(r.cells.sip_user === undefined ? {} : { sipUser: r.cells.sip_user }),
      ...(password === undefined ? {} : { sipPassword: password }),
      ...(r.cells.sip_server === undefined ? {} : { sipServer: r.cells.sip_server }),
    };
  });
  const c = first.cells;
  const fields = {
    ...(c.vendor === undefined ? {} : { vendor: c.vendor }),
    ...(c.model === undefined ? {} : { model: c.model }),
    ...(c.label === undefined ? {} : { label: c.label }),
    ...(c.user_name === undefined ? {} : { userName: c.user_name }),
    ...(teams.ids === undefined ? {} : { teamIds: teams.ids }),
  };
  if (existing === undefined) {
    if (c.vendor === undefined) return { result: 'rejected', reason: 'vendor: required for a new phone' };
    return outcome('created', await deps.inventory.createPhone({ mac, ...fields, lines, ...(teams.ids === undefined ? {} : { teamIds: teams.ids }) }));
  }
  const patch = { ...fields, ...(hasLines ? { lines } : {}) };
  if (isUnchanged(existing, patch)) return { result: 'unchanged' };
  return outcome('updated', await deps.inventory.updatePhone(mac, patch));
}

function outcome(done: 'created' | 'updated', r: Result<Phone>): Outcome {
  return r.ok ? { result: done } : { result: 'rejected', reason: r.message };
}

function teamIds(cell: string | undefined, teams: Team[]): { ok: true; ids: string[] | undefined } | { ok: false; reason: string } {
  if (cell === undefined) return { ok: true, ids: undefined };
  const ids: string[] = [];
  for (const ref of cell.split(/[|;]/).map((s) => s.trim()).filter((s) => s !== '')) {
    const byId = teams.find((t) => t.id === ref);
    const byName = teams.filter((t) => t.name.toLowerCase() === ref.toLowerCase());
    if (byId !== undefined) ids.push(byId.id);
    else if (byName.length === 1 && byName[0] !== undefined) ids.push(byName[0].id);
    else return { ok: false, reason: `teams: ${byName.length > 1 ? 'more than one team is called' : 'no team'} "${ref.slice(0, 64)}"` };
  }
  return { ok: true, ids };
}

function isUnchanged(phone: Phone, patch: Record<string, unknown>): boolean {
  return Object.entries(patch).every(([k, v]) => JSON.stringify(phone[k as keyof Phone]) === JSON.stringify(v));
}
