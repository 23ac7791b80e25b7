import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import request from 'supertest';
import XLSX from 'xlsx';
import { EXPORT_COLUMNS } from '../../src/http/api-export.ts';
import { neutralise } from '../../src/services/export.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { auth } from '../support/office.ts';
import { bearer, missCall, missedItems, tokenFor, twoTeams, type Office } from '../auth/fixtures.ts';

/** supertest parser: the raw body as a Buffer (the response is a stream underneath). */
function binary(res: request.Response, done: (err: Error | null, body: Buffer) => void): void {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
}

const HOSTILE = [
  ['+4930100001', '=HYPERLINK("http://evil.example","click")'],
  ['+4930100002', '@SUM(A1:A9)'],
  ['+4930100003', '-10-cmd|calc'],
  ['+4930100004', 'Müller, "Bob"; Söhne'],
  ['+4930100005', 'Plain Name'],
] as const;

describe('missed-call export: CSV and xlsx', () => {
  let t: TestApp;
  let o: Office;

  before(async () => {
    t = await startTestApp();
    o = await twoTeams(t);
    for (const [number, name] of HOSTILE) await missCall(t, o.salesPhone, number, name);
    await missCall(t, o.supportPhone, '+4930200001', 'Support Caller');
    const [first] = await missedItems(t.app, auth, `?team=${o.sales}`);
    await request(t.app).post(`/api/missed-calls/${first?.id ?? ''}/actions`).set(auth).send({ action: 'return', outcome: 'voicemail', actor: 'Anna' }).expect(200);
  });
  after(async () => t.close());

  test('the CSV is UTF-8 with a BOM, parses back with the right columns, and neutralises formula cells', async () => {
    const r = await request(t.app).get('/api/missed-calls/export?format=csv').set(auth).buffer(true).parse(binary).expect(200);
    const body = r.body as Buffer;
    assert.match(String(r.headers['content-type']), /^text\/csv; charset=utf-8/);
    assert.match(String(r.headers['content-disposition']), /attachment; filename="missed-calls-2026-11-26\.csv"/);
    assert.deepEqual([...body.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const rows = parse(body, { bom: true, columns: true }) as Record<string, string>[];
    const header = (parse(body, { bom: true, to_line: 1 }) as string[][])[0];
    assert.deepEqual(header, EXPORT_COLUMNS.map((c) => c.header));

    const api = await missedItems(t.app, auth, '?limit=500');
    assert.deepEqual(rows.map((row) => row['id']), api.map((m) => m.id), 'the same rows, in the same order, as the list');
    const byNumber = new Map(rows.map((row) => [row['caller_number'], row]));
    assert.equal(byNumber.get("'+4930100001")?.['caller_name'], `'=HYPERLINK("http://evil.example","click")`);
    assert.equal(byNumber.get("'+4930100002")?.['caller_name'], "'@SUM(A1:A9)");
    assert.equal(byNumber.get("'+4930100003")?.['caller_name'], "'-10-cmd|calc");
    assert.equal(byNumber.get("'+4930100004")?.['caller_name'], 'Müller, "Bob"; Söhne', 'commas, quotes and umlauts survive');
    assert.equal(byNumber.get("'+4930100005")?.['team'], 'Sales');
    for (const row of rows) for (const cell of Object.values(row)) assert.doesNotMatch(cell, /^[=+\-@\t\r]/, 'no cell starts a formula');
    const returned = rows.find((row) => row['status'] === 'returned');
    assert.deepEqual([returned?.['returned_by'], returned?.['callback_outcome'], returned?.['calls']], ['Anna', 'voicemail', '1']);
    assert.match(rows[0]?.['first_call_local'] ?? '', /^2026-11-26 1\d:\d\d$/);
  });

  test('the export takes the list\'s filters', async () => {
    const r = await request(t.app).get(`/api/missed-calls/export?format=csv&team=${o.sales}&status=pending`).set(auth).expect(200);
    const rows = parse(r.text, { bom: true, columns: true }) as Record<string, string>[];
    const api = await missedItems(t.app, auth, `?team=${o.sales}&status=pending`);
    assert.deepEqual(rows.map((row) => row['id']), api.map((m) => m.id));
    assert.equal(rows.length, 4);
    const byCaller = await request(t.app).get('/api/missed-calls/export?format=csv&caller=030 100004').set(auth).expect(200);
    assert.equal((parse(byCaller.text, { bom: true, columns: true }) as unknown[]).length, 1);
  });

  test('the xlsx opens with the xlsx library and holds the same rows, with the report tables as extra sheets', async () => {
    const r = await request(t.app).get('/api/missed-calls/export?format=xlsx').set(auth).buffer(true).parse(binary).expect(200);
    assert.equal(r.headers['content-type'], 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const book = XLSX.read(r.body as Buffer, { type: 'buffer' });
    assert.deepEqual(book.SheetNames, ['Missed calls', 'Summary', 'By hour', 'By weekday', 'Ring duration', 'Callbacks by person', 'Repeat callers', 'Extensions']);
    const sheet = book.Sheets['Missed calls'];
    assert.ok(sheet !== undefined);
    const xrows = XLSX.utils.sheet_to_json<Record<string, string | number>>(sheet, { defval: '' });
    const csv = await request(t.app).get('/api/missed-calls/export?format=csv').set(auth).expect(200);
    const crows = parse(csv.text, { bom: true, columns: true }) as Record<string, string>[];
    assert.equal(xrows.length, crows.length);
    // Same cells; the CSV's are neutralised for spreadsheets, the xlsx's are typed text and need not be.
    xrows.forEach((x, i) => {
      for (const c of EXPORT_COLUMNS) assert.equal(neutralise(String(x[c.header] ?? '')), crows[i]?.[c.header], `row ${i} ${c.header}`);
    });
    assert.ok(xrows.some((x) => x['caller_name'] === '=HYPERLINK("http://evil.example","click")'));
    const cell = sheet['H2'] as { t: string; f?: string } | undefined;
    assert.equal(cell?.f, undefined, 'no cell is a formula');
    const summary = XLSX.utils.sheet_to_json<{ Metric: string; Value: number }>(book.Sheets['Summary']!);
    assert.equal(summary.find((s) => s.Metric === 'Missed')?.Value, 6);
    const hours = XLSX.utils.sheet_to_json<{ Hour: number; Calls: number }>(book.Sheets['By hour']!);
    assert.equal(hours.length, 24);
    assert.equal(hours.reduce((s, h) => s + h.Calls, 0), 6);
  });

  test('a manager\'s export masks the numbers; the audit trail records each export', async () => {
    const manager = await tokenFor(t.app, { name: 'Lead', role: 'manager', teams: [o.sales] });
    const r = await request(t.app).get('/api/missed-calls/export?format=xlsx').set(bearer(manager)).buffer(true).parse(binary).expect(200);
    const book = XLSX.read(r.body as Buffer, { type: 'buffer' });
    const rows = XLSX.utils.sheet_to_json<Record<string, string>>(book.Sheets['Missed calls']!);
    assert.equal(rows.length, 5);
    assert.ok(rows.every((row) => /^\+49•+\d\d$/.test(row['caller_number'] ?? '')));
    const audit = await request(t.app).get('/api/audit?action=export.missed-calls').set(auth).expect(200);
    const items = (audit.body as { items: { actor: { name: string }; details: { format: string; rows: number } }[] }).items;
    assert.deepEqual([items[0]?.actor.name, items[0]?.details.format, items[0]?.details.rows], ['Lead', 'xlsx', 5]);
  });
});
