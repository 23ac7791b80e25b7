/**
 * A manager who sees numbers masked never gets a caller's number: not on any route they can reach,
 * not through a display name that spells the number, and not by asking `?caller=` one digit at a time.
 */
import assert from 'node:assert/strict';
import { get, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import XLSX from 'xlsx';
import { startTestApp, type TestApp } from '../support/app.ts';
import { auth, fire } from '../support/office.ts';
import { until } from '../support/until.ts';
import { bearer, missCall, missedItems, tokenFor, twoTeams, type Office } from '../auth/fixtures.ts';

const NUMBER = '+493086429753';
/** The digits a mask must hide (the mask keeps `+49` and the last two). */
const HIDDEN = '30864297';
/** Every trace of the hidden digits, however separated: a test fails on any of them. */
function leaks(text: string): boolean {
  const digits = text.replace(/[\s\-./()•]/g, '');
  return digits.includes(HIDDEN) || digits.includes('0864297') || digits.includes('864297');
}

function binary(res: request.Response, done: (err: Error | null, body: Buffer) => void): void {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
}

function xlsxText(body: Buffer): string {
  const book = XLSX.read(body, { type: 'buffer' });
  return book.SheetNames.map((n) => XLSX.utils.sheet_to_csv(book.Sheets[n] as XLSX.WorkSheet)).join('\n');
}

describe('masked numbers for a manager', () => {
  let t: TestApp;
  let o: Office;
  let masked: Record<string, string>;
  let full: Record<string, string>;
  let server: Server;
  let base: string;

  before(async () => {
    t = await startTestApp();
    o = await twoTeams(t);
    masked = bearer(await tokenFor(t.app, { name: 'Masked lead', role: 'manager', teams: [o.sales], numbers: 'masked' }));
    full = bearer(await tokenFor(t.app, { name: 'Full lead', role: 'manager', teams: [o.sales], numbers: 'full' }));
    // The phone sends the number as the display name, as many do when the PBX has no name.
    await missCall(t, o.salesPhone, NUMBER, '030 86429753');
    t.clock.advance(3600);
    await missCall(t, o.salesPhone, '+493012121212', 'Paula Privat');
    server = t.app.listen(0, '127.0.0.1');
    await new Promise((ok) => server.once('listening', ok));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((ok) => server.close(ok));
    await t.close();
  });

  test('no route a masked manager can reach shows the number, or a name that spells it', async () => {
    const items = await missedItems(t.app, masked);
    const entry = items.find((m) => m.caller.number.endsWith('53'));
    assert.ok(entry !== undefined);
    assert.equal(entry.caller.number, '+49••••••••53');
    assert.equal(entry.caller.name, '0•• ••••••53', 'the name that is the number is masked like the number');
    assert.equal(items.find((m) => m.caller.number.endsWith('12'))?.caller.name, 'Paula Privat', 'a real name stays');

    const note = await request(t.app).post(`/api/missed-calls/${entry.id}/actions`).set(auth)
      .send({ action: 'note', note: 'asked to be called on 030 8642 9753 after 5' }).expect(200);
    assert.ok(leaks(note.text), 'the admin sees the note as written');
    // A team phone dialling the caller back writes the number it dialled into the history.
    await fire(t.app, o.salesPhone, 'action_url.outgoing_call', {
      mac: o.salesPhone.mac, active_user: o.salesPhone.extension, call_id: 'out-1', remote: 'sip:03086429753@pbx.example.com', display_remote: '',
    });

    const bodies: [string, string][] = [];
    const add = async (path: string, init?: (r: request.Test) => request.Test): Promise<void> => {
      const r = await (init ?? ((x) => x))(request(t.app).get(path).set(masked)).expect(200);
      bodies.push([path, Buffer.isBuffer(r.body) ? xlsxText(r.body) : r.text]);
    };
    await add('/api/missed-calls');
    await add(`/api/missed-calls/${entry.id}`);
    await add('/api/missed-calls/export?format=csv');
    await add('/api/missed-calls/export?format=xlsx', (r) => r.buffer(true).parse(binary));
    await add('/api/calls');
    await add('/api/reports/summary');
    await add('/api/dashboard/teams');
    await add('/api/contacts');
    for (const view of ['list', 'detail', 'outcome']) {
      for (const vendor of ['yealink', 'cisco', 'snom', 'poly', 'grandstream', 'fanvil']) {
        await add(`/api/dashboard/screen-preview?vendor=${vendor}&team=${o.sales}&view=${view}&id=${entry.id}`);
      }
    }
    const acted = await request(t.app).post(`/api/missed-calls/${entry.id}/actions`).set(masked).send({ action: 'assign' }).expect(200);
    bodies.push(['POST actions', acted.text]);
    for (const [path, body] of bodies) assert.ok(!leaks(body), `${path} shows the masked number: ${body.slice(0, 400)}`);
    // The same routes do show it to a manager with number access: the check above can fail.
    assert.ok(leaks((await request(t.app).get(`/api/missed-calls/${entry.id}`).set(full).expect(200)).text));
    assert.ok(leaks((await request(t.app).get('/api/calls').set(full).expect(200)).text));

    // The audit trail is not a masked manager's to read.
    await request(t.app).get('/api/audit').set(masked).expect(403);
  });

  test('the live stream tells a masked manager about a new call without its number', async () => {
    const events: string[] = [];
    let open = false;
    const req = get(`${base}/api/live`, { headers: { ...masked, Accept: 'text/event-stream' } }, (res: IncomingMessage) => {
      open = res.statusCode === 200;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => events.push(chunk));
    });
    try {
      await until(() => open, 'the live stream to open');
      await missCall(t, o.salesPhone, '+493086429753', '86429753');
      await until(() => events.join('').includes('event: change'), 'the change event');
      assert.ok(!leaks(events.join('')));
    } finally {
      req.destroy();
    }
  });

  test('a masked manager cannot find digits of a number with ?caller=, in the list or the export', async () => {
    const guesses = ['3', '30', '3086', '+49308', '030864', '0308642975', '8642975', '86429753', 'Paula', '030 86429753'.slice(0, 8)];
    for (const guess of guesses) {
      const q = `?caller=${encodeURIComponent(guess)}`;
      assert.equal((await missedItems(t.app, masked, q)).length, 0, `caller=${guess} matched`);
      const csv = (await request(t.app).get(`/api/missed-calls/export${q}&format=csv`).set(masked).expect(200)).text;
      assert.equal(csv.trim().split('\n').length, 1, `export caller=${guess} has rows`);
    }
    // The whole number, in any format, still finds the caller.
    for (const whole of ['030 86429753', '+49 30 86429753', '004930 864 297 53']) {
      const found = await missedItems(t.app, masked, `?caller=${encodeURIComponent(whole)}`);
      assert.ok(found.length >= 1 && found.every((m) => m.caller.number === '+49••••••••53'), whole);
    }
    // A manager who sees numbers keeps searching by part of a number or name.
    assert.ok((await missedItems(t.app, full, '?caller=8642975')).length >= 1);
    assert.equal((await missedItems(t.app, full, '?caller=paula')).length, 1);
  });
});
