import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import request from 'supertest';
import XLSX from 'xlsx';
import { EXPORT_COLUMNS } from '../../src/http/api/export.ts';
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
    // Numbers as dialled in the site's country: no formula trigger, so no apostrophe.
    const byNumber = new Map(rows.map((row) => [row['caller_number'], row]));
    assert.equal(byNumber.get('030 100001')?.['caller_name'], `'=HYPERLINK("http://evil.example","click")`);
    assert.equal(byNumber.get('030 100002')?.['caller_name'], "'@SUM(A1:A9)");
    assert.equal(byNumber.get('030 100003')?.['caller_name'], "'-10-cmd|calc");
    assert.equal(byNumber.get('030 100004')?.['caller_name'], 'Müller, "Bob"; Söhne', 'commas, quotes and umlauts survive');
    assert.equal(byNumber.get('030 100005')?.['team'], 'Sales');
    assert.equal(byNumber.get('030 100005')?.['caller_e164'], "'+4930100005", 'the E.164 column is for programs; a spreadsheet shows its guard');
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
    // Same cells; the CSV's are neutralised for spreadsheets, the xlsx's are typed text and need not be (dates aside).
    xrows.forEach((x, i) => {
      for (const c of EXPORT_COLUMNS) {
        if (c.type === 'date' || c.type === 'local-date') continue;
        assert.equal(neutralise(String(x[c.header] ?? '')), crows[i]?.[c.header], `row ${i} ${c.header}`);
      }
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
    assert.ok(rows.every((row) => /^\+49•+\d\d$/.test(row['caller_e164'] ?? '')));
    assert.ok(rows.every((row) => /^0[•\s]+\d\d$/.test(row['caller_number'] ?? '')), JSON.stringify(rows.map((r) => r['caller_number'])));
    const audit = await request(t.app).get('/api/audit?action=export.missed-calls').set(auth).expect(200);
    const items = (audit.body as { items: { actor: { name: string }; details: { format: string; rows: number } }[] }).items;
    assert.deepEqual([items[0]?.actor.name, items[0]?.details.format, items[0]?.details.rows], ['Lead', 'xlsx', 5]);
  });

  test('the xlsx has real date cells, and numbers as text cells that show no apostrophe', async () => {
    const r = await request(t.app).get(`/api/missed-calls/export?format=xlsx&team=${o.sales}`).set(auth).buffer(true).parse(binary).expect(200);
    const book = XLSX.read(r.body as Buffer, { type: 'buffer', cellDates: true, cellNF: true, cellStyles: true });
    const sheet = book.Sheets['Missed calls']!;
    const col = (header: string) => XLSX.utils.encode_col(EXPORT_COLUMNS.findIndex((c) => c.header === header));
    const api = await missedItems(t.app, auth, `?team=${o.sales}`);
    const first = sheet[`${col('first_call_utc')}2`] as XLSX.CellObject;
    assert.equal(first.t, 'd', 'first_call_utc is a date cell');
    assert.equal((first.v as Date).toISOString(), (api[0] as unknown as { firstAt: string } | undefined)?.firstAt);
    assert.match(String(first.z), /yyyy-mm-dd hh:mm/);
    const local = sheet[`${col('first_call_local')}2`] as XLSX.CellObject;
    assert.equal(local.t, 'd');
    // Berlin is UTC+1 in November: the local cell shows the wall time there.
    assert.equal((local.v as Date).getTime(), Math.floor(Date.parse((api[0] as unknown as { firstAt: string } | undefined)?.firstAt ?? '') / 60_000) * 60_000 + 3_600_000);
    for (const header of ['caller_number', 'caller_e164', 'extension']) {
      const cell = sheet[`${col(header)}2`] as XLSX.CellObject;
      assert.equal(cell.t, 's', `${header} is a text cell`);
      assert.doesNotMatch(String(cell.v), /^'/, `${header} shows no apostrophe`);
    }
    assert.equal((sheet[`${col('caller_e164')}2`] as XLSX.CellObject).v, api[0]?.caller.number);
    assert.match(String((sheet[`${col('caller_number')}2`] as XLSX.CellObject).v), /^030 1000\d\d$/);
    assert.equal((sheet[`${col('rang')}2`] as XLSX.CellObject).v, '11');
  });

  test('opened as a spreadsheet, the CSV runs no formula and shows the number as a phone number', async () => {
    // SheetJS reads CSV the way a spreadsheet imports it: a leading = or + becomes a formula or a number.
    const r = await request(t.app).get(`/api/missed-calls/export?format=csv&team=${o.sales}`).set(auth).expect(200);
    const sheet = XLSX.read(r.text.replace(/^\uFEFF/, ''), { type: 'string' }).Sheets['Sheet1']!;
    const cells = Object.entries(sheet).filter(([k]) => !k.startsWith('!')).map(([, v]) => v as XLSX.CellObject);
    assert.ok(cells.every((c) => c.f === undefined), 'no cell is a formula');
    const col = XLSX.utils.encode_col(EXPORT_COLUMNS.findIndex((c) => c.header === 'caller_number'));
    const numbers = XLSX.utils.sheet_to_json<string[]>(sheet, { header: 1, raw: true }).slice(1).map((row) => row[XLSX.utils.decode_col(col)]);
    assert.ok(numbers.every((n) => typeof n === 'string' && /^030 1000\d\d$/.test(n)), JSON.stringify(numbers));
  });

  test('exporting the open view holds exactly the open entries, claimed ones included', async () => {
    const [one] = await missedItems(t.app, auth, `?team=${o.sales}&status=pending`);
    await request(t.app).post(`/api/missed-calls/${one?.id ?? ''}/actions`).set(auth).send({ action: 'assign', assignee: 'Ben' }).expect(200);
    const r = await request(t.app).get(`/api/missed-calls/export?format=csv&team=${o.sales}&status=open`).set(auth).expect(200);
    const rows = parse(r.text, { bom: true, columns: true }) as Record<string, string>[];
    const open = await missedItems(t.app, auth, `?team=${o.sales}&status=open`);
    assert.deepEqual(rows.map((row) => row['id']), open.map((m) => m.id));
    assert.deepEqual([...new Set(rows.map((row) => row['status']))].sort(), ['assigned', 'pending']);
    assert.equal(rows.length, 4);
  });
});
