/**
 * @module Missed-call exports: one row per entry, streamed as CSV (csv-stringify) or .xlsx (exceljs'
 * streaming writer), so memory stays flat whatever the number of rows.
 *
 * CSV is UTF-8 with a BOM (Excel otherwise reads it as the local code page), and a text cell that
 * starts with `=`, `+`, `-`, `@`, tab or CR gets a leading `'` so a spreadsheet shows it as text
 * instead of running it as a formula (a caller name can be chosen by the caller). Phone numbers
 * people read are written as dialled from the site's country (`030 7654321`): no trigger, so no `'`.
 * In .xlsx every cell is typed — text, number or date — never a formula, so nothing needs changing:
 * `date` columns become real date cells, `text` columns are text-formatted (a number stays `+49…`).
 */
import { once } from 'node:events';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';

// exceljs is loaded at the first .xlsx export, not at start: it is 28 MB of RSS and a third of a
// second of start-up for a format most sites never ask for.
// Node hands a CommonJS module's exports over as `default`; exceljs's typings describe them as the module itself.
type ExcelJs = typeof import('exceljs');
let excel: Promise<ExcelJs> | null = null;
const loadExcel = (): Promise<ExcelJs> => excel ??= import('exceljs').then((m) => (m as unknown as { default: ExcelJs }).default);

export type Cell = string | number | null;
export type Row = Record<string, Cell>;

export interface ExportColumn {
  key: string;
  /** Header text (CSV and the sheet's first row). */
  header: string;
  /** Column width in characters (xlsx only). */
  width?: number;
  /**
   * xlsx cell type: `date` turns an ISO instant (UTC) or a `YYYY-MM-DD HH:MM` wall time into a date
   * cell; `text` formats the column as text so an edit does not turn `030…` into a number.
   */
  type?: 'date' | 'local-date' | 'text';
}

/** A table shown on an extra sheet of the .xlsx (the report tables). */
export interface ExtraSheet {
  name: string;
  columns: ExportColumn[];
  rows: Row[];
}

/** `'` before a leading `=`, `+`, `-`, `@`, tab or CR (OWASP's CSV-injection advice). */
export function neutralise(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export async function writeCsv(out: Writable, columns: readonly ExportColumn[], rows: Iterable<Row> | AsyncIterable<Row>): Promise<number> {
  let count = 0;
  const counted = async function* (): AsyncGenerator<Row> {
    for await (const r of rows) {
      count += 1;
      yield r;
    }
  };
  const csv = stringify({
    bom: true,
    header: true,
    columns: columns.map((c) => ({ key: c.key, header: c.header })),
    cast: { string: neutralise },
    record_delimiter: 'windows',
  });
  // pipeline carries backpressure from the response back to the row generator.
  await pipeline(Readable.from(counted(), { objectMode: true, highWaterMark: 64 }), csv, out);
  return count;
}

/** Rows between checks of the output's backpressure: exceljs itself does not wait for a slow reader. */
const DRAIN_EVERY = 500;

export async function writeXlsx(out: Writable, sheet: { name: string; columns: ExportColumn[]; rows: Iterable<Row> | AsyncIterable<Row> },
  extra: readonly ExtraSheet[]): Promise<number> {
  // Shared strings would keep every distinct text in memory until the end: off.
  const ExcelJS = await loadExcel();
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  book.creator = 'Ringback';
  let count = 0;
  const main = book.addWorksheet(sheet.name, { views: [{ state: 'frozen', ySplit: 1 }] });
  main.columns = sheet.columns.map((c) => ({ key: c.key, header: c.header, width: c.width ?? 14, ...columnStyle(c) }));
  main.getRow(1).font = { bold: true };
  main.getRow(1).commit();
  const typed = sheet.columns.filter((c) => c.type === 'date' || c.type === 'local-date');
  for await (const r of sheet.rows) {
    main.addRow(typed.length === 0 ? r : withDates(r, typed)).commit();
    count += 1;
    if (count % DRAIN_EVERY === 0) await drained(out);
  }
  main.commit();
  for (const x of extra) {
    const ws = book.addWorksheet(x.name);
    ws.columns = x.columns.map((c) => ({ key: c.key, header: c.header, width: c.width ?? 14 }));
    ws.getRow(1).font = { bold: true };
    ws.getRow(1).commit();
    for (const r of x.rows) ws.addRow(r).commit();
    ws.commit();
  }
  await book.commit();
  return count;
}

/** Date cells carry a number format (Excel has no date type, only formatted serial numbers); text columns `@`. */
function columnStyle(c: ExportColumn): { style?: { numFmt: string } } {
  if (c.type === 'date') return { style: { numFmt: 'yyyy-mm-dd hh:mm:ss' } };
  if (c.type === 'local-date') return { style: { numFmt: 'yyyy-mm-dd hh:mm' } };
  if (c.type === 'text') return { style: { numFmt: '@' } };
  return {};
}

/**
 * ISO strings of date columns as Dates. Spreadsheet dates have no zone: a UTC instant is written as
 * UTC wall time, a local `YYYY-MM-DD HH:MM` as that wall time (exceljs counts serials in UTC).
 */
function withDates(r: Row, columns: readonly ExportColumn[]): Record<string, Cell | Date> {
  const out: Record<string, Cell | Date> = { ...r };
  for (const c of columns) {
    const v = r[c.key];
    if (typeof v !== 'string' || v === '') continue;
    const ms = c.type === 'local-date' ? Date.parse(`${v.replace(' ', 'T')}:00Z`) : Date.parse(v);
    if (!Number.isNaN(ms)) out[c.key] = new Date(ms);
  }
  return out;
}

/** Waits while the output is full, and yields once so the zip stream can pass data on. */
async function drained(out: Writable): Promise<void> {
  while (out.writableNeedDrain && !out.destroyed) await once(out, 'drain');
  await new Promise<void>((resolve) => setImmediate(resolve));
  if (out.destroyed) throw new Error('[ringback] [export] the client went away');
}
