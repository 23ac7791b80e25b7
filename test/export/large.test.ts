import assert from 'node:assert/strict';
import { get, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { inflateRawSync } from 'node:zlib';
import XLSX from 'xlsx';
import type { MissedCall } from '../../src/domain/types.ts';
import type { DurableStore } from '../../src/store/embedded/open-store.ts';
import { startTestApp, ADMIN, type TestApp } from '../support/app.ts';
import { createTeam } from '../support/office.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const ROWS = 100_000;
const PER_DAY = 1000;
const MiB = 1024 * 1024;
// Export speed is a benchmark figure (`npm run bench:scale`), not a test bound: these tests assert
// rows and memory, and only print how long they took.

function entry(i: number, team: string): MissedCall {
  const day = Date.parse('2026-01-01T00:00:00.000Z') + Math.floor(i / PER_DAY) * 86_400_000;
  const at = new Date(day + (i % PER_DAY) * 60_000).toISOString();
  const number = `+4930${String(1_000_000 + i)}`;
  return {
    id: `m-${String(i).padStart(6, '0')}`, caller: { raw: `sip:${number}@pbx.example.com`, e164: number, key: number },
    callerName: `Caller number ${i}, "Example" GmbH`, team, extension: '11', firstAt: at, lastAt: at, attemptTimes: [at],
    attemptIds: [`a-${i}`], ringSeconds: 20 + (i % 30), afterHours: i % 4 === 0, status: i % 3 === 0 ? 'returned' : 'pending',
    assignee: null, assignedAt: null,
    returned: i % 3 === 0 ? { at, by: 'Anna', via: 'api', outcome: 'reached' } : null,
    callbacks: i % 3 === 0 ? [{ at, by: 'Anna', via: 'api', outcome: 'reached' }] : [],
    rule: 'no one answered: rang 11, 12 for 25 s', settlesAt: at,
    history: [{ at, actor: 'ringback', action: 'missed', via: 'auto', note: 'no one answered: rang 11, 12 for 25 s' }],
  };
}

/** GETs a URL and hands each chunk to `onData`; resolves with the byte count when the body ends. */
function download(url: string, onData: (chunk: Buffer, res: IncomingMessage) => void): Promise<{ bytes: number; firstByteMs: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    get(url, { headers: { Authorization: `Bearer ${ADMIN}` } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`status ${res.statusCode}`));
      let bytes = 0;
      let firstByteMs = -1;
      res.on('data', (chunk: Buffer) => {
        if (firstByteMs < 0) firstByteMs = Date.now() - started;
        bytes += chunk.length;
        onData(chunk, res);
      });
      res.on('end', () => resolve({ bytes, firstByteMs }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

/**
 * The peak growth of the *live* heap while `run` goes: `probe` (called on every chunk) forces a full
 * GC at most once a second and samples what is left, so uncollected garbage does not count.
 */
async function peakGrowth<T>(run: (probe: () => void) => Promise<T>): Promise<{ result: T; heap: number }> {
  gc();
  const base = process.memoryUsage().heapUsed;
  let heap = 0;
  let last = 0;
  const probe = () => {
    if (Date.now() - last < 1000) return;
    gc();
    heap = Math.max(heap, process.memoryUsage().heapUsed - base);
    last = Date.now();
  };
  const result = await run(probe);
  return { result, heap };
}

describe(`exporting ${ROWS.toLocaleString('en')} missed calls`, () => {
  let t: TestApp;
  let server: Server;
  let base: string;

  before(async () => {
    const started = Date.now();
    t = await startTestApp();
    const team = await createTeam(t.app, { name: 'Sales', extensions: ['11', '12'], timeZone: 'Europe/Berlin' });
    // Day by day, so each background snapshot rewrites only the days written since the last one.
    for (let i = 0; i < ROWS; i += PER_DAY) {
      await t.store.commit(Array.from({ length: PER_DAY }, (_, k) => ({ t: 'missed' as const, v: entry(i + k, team) })));
    }
    await (t.store as DurableStore).idle();
    server = t.app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    process.stdout.write(`# ${ROWS} entries stored in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  });
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await t.close();
  });

  test('the CSV streams every row in bounded memory', async () => {
    // Lines are counted, not parsed, so the client's own garbage stays out of the measurement
    // (no field of these rows holds a line break); test/export/export.test.ts parses the CSV back.
    let lines = 0;
    let head = '';
    const started = Date.now();
    const { result, heap } = await peakGrowth((probe) => download(`${base}/api/missed-calls/export?format=csv`, (chunk) => {
      probe();
      if (head.length < 400) head += chunk.toString('utf8', 0, Math.min(chunk.length, 400));
      for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines += 1;
    }));
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(`# csv: ${ROWS} rows, ${(result.bytes / MiB).toFixed(1)} MiB in ${seconds.toFixed(1)} s, first byte after ${result.firstByteMs} ms; peak live heap growth ${(heap / MiB).toFixed(1)} MiB\n`);
    assert.equal(lines, ROWS + 1, 'a header line and every row');
    assert.match(head, /^\uFEFFid,team,first_call_utc/);
    // Held in memory, the export alone would take twice its size (UTF-16 strings): it is never held.
    assert.ok(result.bytes > 20 * MiB, `the export is big enough to tell (${result.bytes} bytes)`);
    assert.ok(heap < 16 * MiB, `heap grew ${(heap / MiB).toFixed(1)} MiB for a ${(result.bytes / MiB).toFixed(1)} MiB export`);
  });

  test('the xlsx streams too, and a slow reader does not make the server buffer the rest', async () => {
    const chunks: Buffer[] = [];
    let paused = false;
    const started = Date.now();
    const { result, heap } = await peakGrowth((probe) => download(`${base}/api/missed-calls/export?format=xlsx`, (chunk, res) => {
      probe();
      chunks.push(chunk);
      // Read nothing for a second once the download is under way: the writer must wait, not buffer.
      if (!paused && chunks.length === 50) {
        paused = true;
        res.pause();
        setTimeout(() => res.resume(), 1000);
      }
    }));
    const seconds = (Date.now() - started) / 1000;
    const file = Buffer.concat(chunks);
    // The xlsx library opens it (first rows only: parsing 2.3 million cells takes it half a minute)…
    const book = XLSX.read(file, { type: 'buffer', sheets: ['Missed calls'], sheetRows: 2 });
    const first = XLSX.utils.sheet_to_json<Record<string, string>>(book.Sheets['Missed calls']!)[0];
    assert.equal(first?.['id'], 'm-099999');
    // …and the sheet's XML, unzipped, holds a row for every entry.
    const rowsInSheet = (zipEntry(file, 'xl/worksheets/sheet1.xml').match(/<row /g) ?? []).length;
    process.stdout.write(`# xlsx: ${rowsInSheet - 1} rows, ${(result.bytes / MiB).toFixed(1)} MiB in ${seconds.toFixed(1)} s; peak live heap growth ${(heap / MiB).toFixed(1)} MiB (with the test keeping the whole file)\n`);
    assert.equal(rowsInSheet, ROWS + 1, 'a header row and every data row');
    // The test holds the compressed file (result.bytes); beyond that the writer must stay small.
    assert.ok(heap - result.bytes < 32 * MiB, `heap grew ${(heap / MiB).toFixed(1)} MiB`);
  });
});

/** One file of a zip, read through its central directory (the writer streams, so local headers carry no sizes). */
function zipEntry(zip: Buffer, name: string): string {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let at = zip.readUInt32LE(end + 16);
  for (let n = zip.readUInt16LE(end + 10); n > 0; n--) {
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const skip = nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    if (zip.toString('utf8', at + 46, at + 46 + nameLength) === name) {
      const data = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      return inflateRawSync(zip.subarray(data, data + size)).toString('utf8');
    }
    at += 46 + skip;
  }
  throw new Error(`${name} is not in the zip`);
}
