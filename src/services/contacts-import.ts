/**
 * @module Contact import from CSV (as Excel, Outlook or a CRM writes it): a header row names the
 * columns, `,` `;` or tab separate them, a BOM is fine. Each row is created, or updates the contact
 * that already has one of its numbers (or its CRM id); every row gets a line in the report, and
 * the good rows are committed together even when others fail.
 */
import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import type { Contact } from '../domain/contacts.ts';
import { buildContact, toNumbers, type ContactDirectory } from './contacts.ts';
import { contactInput } from './contact-input.ts';
import { describeIssues } from '../domain/issues.ts';
import { failure, ok, type Result } from '../domain/result.ts';

export const MAX_IMPORT_ROWS = 20_000;

export interface ImportRow {
  /** Line of the file the row starts on (the header is line 1). */
  line: number;
  status: 'created' | 'updated' | 'unchanged' | 'invalid';
  id?: string;
  message?: string;
}

export interface ImportReport {
  dryRun: boolean;
  created: number;
  updated: number;
  unchanged: number;
  invalid: number;
  /** Header cells that were not understood (so a typo in "Telefon" is seen, not silently dropped). */
  ignoredColumns: string[];
  rows: ImportRow[];
}

export type ImportResult = Result<ImportReport>;

/** Header names (lower case, spaces/underscores/dashes dropped) → field. */
const COLUMNS: Record<string, 'name' | 'company' | 'number' | 'crmId' | 'vip'> = {
  name: 'name', fullname: 'name', contact: 'name', displayname: 'name',
  company: 'company', organisation: 'company', organization: 'company', firma: 'company',
  number: 'number', numbers: 'number', phone: 'number', phonenumber: 'number', telephone: 'number', tel: 'number',
  mobile: 'number', mobilephone: 'number', cell: 'number', businessphone: 'number', homephone: 'number', telefon: 'number',
  crmid: 'crmId', crm: 'crmId', externalid: 'crmId', id: 'crmId',
  vip: 'vip',
};
const YES = new Set(['1', 'true', 'yes', 'y', 'x', 'ja', 'vip']);
const NO = new Set(['', '0', 'false', 'no', 'n', 'nein']);

export interface ImportOptions {
  directory: ContactDirectory;
  country: string;
  now: () => Date;
  dryRun: boolean;
}

export async function importContacts(csv: string, opts: ImportOptions): Promise<ImportResult> {
  const parsed = parseRows(csv);
  if (!parsed.ok) return parsed;
  const { header, rows } = parsed.value;
  const fields = header.map((h) => COLUMNS[h.toLowerCase().replace(/[\s_\-.]/g, '')]);
  if (!fields.includes('name') || !fields.includes('number')) {
    return failure('invalid_csv', 'the header row needs a "name" column and a "number" (or "phone", "mobile"…) column');
  }
  const at = opts.now().toISOString();
  const report: ImportReport = {
    dryRun: opts.dryRun, created: 0, updated: 0, unchanged: 0, invalid: 0,
    ignoredColumns: header.filter((_, i) => fields[i] === undefined), rows: [],
  };
  // Rows see the ones before them: a later row with the same number updates the earlier one.
  const pending = new Map<string, Contact>();
  const ownerOf = (key: string): Contact | undefined => {
    for (const c of pending.values()) if (c.numbers.some((n) => n.key === key)) return c;
    const c = opts.directory.byKey(key);
    return c === undefined ? undefined : pending.get(c.id) ?? c;
  };
  const byCrmId = (crmId: string): Contact | undefined => {
    if (crmId === '') return undefined;
    for (const c of pending.values()) if (c.crmId === crmId) return c;
    return opts.directory.list().find((c) => c.crmId === crmId);
  };

  for (const { line, cells } of rows) {
    const row = rowOf(cells, fields);
    const fail = (message: string) => { report.invalid += 1; report.rows.push({ line, status: 'invalid', message }); };
    if (row.vip === null) { fail('vip: use yes/no, true/false, 1/0 or x'); continue; }
    const p = contactInput.safeParse({ name: row.name, company: row.company, numbers: row.numbers, crmId: row.crmId, vip: row.vip });
    if (!p.success) { fail(describeIssues(p.error)); continue; }
    const numbers = toNumbers(p.data.numbers, opts.country);
    if (!numbers.ok) { fail(numbers.message); continue; }
    const owners = new Map<string, Contact>();
    for (const n of numbers.value) { const o = ownerOf(n.key); if (o !== undefined) owners.set(o.id, o); }
    const viaCrm = byCrmId(p.data.crmId);
    if (viaCrm !== undefined) owners.set(viaCrm.id, viaCrm);
    if (owners.size > 1) { fail(`numbers belong to ${owners.size} different contacts: ${[...owners.keys()].join(', ')}`); continue; }
    const existing = [...owners.values()][0];
    if (existing === undefined) {
      const c = buildContact(p.data, numbers.value, randomUUID(), at);
      pending.set(c.id, c);
      report.created += 1;
      report.rows.push({ line, status: 'created', id: c.id });
      continue;
    }
    const merged = [...existing.numbers, ...numbers.value.filter((n) => !existing.numbers.some((e) => e.key === n.key))];
    if (merged.length > 10) { fail('a contact holds at most 10 numbers'); continue; }
    const next: Contact = {
      ...existing, name: p.data.name, numbers: merged, vip: p.data.vip,
      company: row.company === undefined ? existing.company : p.data.company,
      crmId: row.crmId === undefined ? existing.crmId : p.data.crmId,
    };
    if (sameContent(next, existing)) {
      report.unchanged += 1;
      report.rows.push({ line, status: 'unchanged', id: existing.id });
      continue;
    }
    pending.set(next.id, { ...next, updatedAt: at });
    report.updated += 1;
    report.rows.push({ line, status: 'updated', id: existing.id });
  }
  if (!opts.dryRun) await opts.directory.apply([...pending.values()], []);
  return ok(report);
}

// --- Internal helpers ---

function parseRows(csv: string): Result<{ header: string[]; rows: { line: number; cells: string[] }[] }> {
  const text = csv.replace(/^\uFEFF/, '');
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  // The header decides the separator: Excel in many locales writes `;`, others `,` or tabs.
  const delimiter = [';', '\t', ','].reduce((best, d) => (firstLine.split(d).length > firstLine.split(best).length ? d : best), ',');
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      delimiter, info: true, relax_column_count: true, skip_empty_lines: true, trim: true, max_record_size: 64 * 1024,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (e) {
    return failure('invalid_csv', `not readable as CSV: ${(e as Error).message}`);
  }
  const [head, ...body] = records;
  if (head === undefined) return failure('invalid_csv', 'the file is empty');
  if (body.length > MAX_IMPORT_ROWS) return failure('invalid_csv', `at most ${MAX_IMPORT_ROWS} rows per import`);
  return ok({ header: head.record, rows: body.map((r) => ({ line: r.info.lines, cells: r.record })) });
}

interface RawRow {
  name: string;
  company: string | undefined;
  numbers: string[];
  crmId: string | undefined;
  /** null = not a yes/no value */
  vip: boolean | null;
}

function rowOf(cells: string[], fields: (string | undefined)[]): RawRow {
  const row: RawRow = { name: '', company: undefined, numbers: [], crmId: undefined, vip: false };
  cells.forEach((cell, i) => {
    switch (fields[i]) {
      case 'name': row.name = row.name === '' ? cell : row.name; break;
      case 'company': row.company = cell; break;
      case 'crmId': row.crmId = cell; break;
      case 'number': row.numbers.push(...cell.split(/[;|,\n]/).map((s) => s.trim()).filter((s) => s !== '')); break;
      case 'vip': {
        const v = cell.trim().toLowerCase();
        row.vip = YES.has(v) ? true : NO.has(v) ? false : null;
        break;
      }
    }
  });
  return row;
}

function sameContent(a: Contact, b: Contact): boolean {
  return a.name === b.name && a.company === b.company && a.crmId === b.crmId && a.vip === b.vip &&
    a.numbers.length === b.numbers.length && a.numbers.every((n, i) => n.key === b.numbers[i]?.key);
}
