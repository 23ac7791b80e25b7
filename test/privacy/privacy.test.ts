import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { auth } from '../support/office.ts';
import { bearer, missCall, missedItems, tokenFor, twoTeams, type Office } from '../auth/fixtures.ts';

const SUBJECT = '+4930555123';
/** The subject's number in every form it may appear in (digits only: separators are stripped before matching). */
const TRACES = ['4930555123', '030555123', '30555123'];

/** Every digit run in a text, joined, so "030 555-123" is found as well as "+4930555123". */
function digitsOf(text: string): string {
  return text.replace(/[\s\-./()]/g, '');
}

async function everything(t: TestApp): Promise<string> {
  const paths = ['/api/missed-calls?limit=500', '/api/calls?limit=500', '/api/contacts', '/api/audit?limit=1000', '/api/reports/summary',
    '/api/missed-calls/export?format=csv'];
  const bodies = await Promise.all(paths.map(async (p) => (await request(t.app).get(p).set(auth).expect(200)).text));
  const items = await missedItems(t.app, auth, '?limit=500');
  for (const m of items) bodies.push((await request(t.app).get(`/api/missed-calls/${m.id}`).set(auth).expect(200)).text);
  return bodies.join('\n');
}

async function filesOf(dir: string): Promise<string> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) out.push(await readFile(join(entry.parentPath, entry.name), 'utf8'));
  }
  return out.join('\n');
}

describe('data-protection requests for one number', () => {
  let t: TestApp;
  let o: Office;

  before(async () => {
    t = await startTestApp();
    o = await twoTeams(t);
    await request(t.app).post('/api/contacts').set(auth).send({ name: 'Paula Privat', numbers: [SUBJECT], vip: true }).expect(201);
    await missCall(t, o.salesPhone, SUBJECT, 'Paula Privat');
    t.clock.advance(600);
    await missCall(t, o.supportPhone, '030 555123', 'Paula Privat');
    await missCall(t, o.salesPhone, '+4930999000', 'Someone Else');
    const other = (await missedItems(t.app, auth)).find((m) => m.caller.number === '+4930999000');
    await request(t.app).post(`/api/missed-calls/${other?.id ?? ''}/actions`).set(auth)
      .send({ action: 'note', note: 'wants a call back on 030 555-123 instead' }).expect(200);
  });
  after(async () => t.close());

  test('a subject-access search returns every record of the number, and is audited without the number', async () => {
    const r = await request(t.app).post('/api/privacy/subject-access').set(auth).send({ number: '0049 30 555123' }).expect(200);
    const body = r.body as { number: string; contact: { name: string } | null; missedCalls: { team: string }[]; calls: unknown[]; mentionedIn: { type: string }[] };
    assert.equal(body.number, SUBJECT);
    assert.equal(body.contact?.name, 'Paula Privat');
    assert.deepEqual(body.missedCalls.map((m) => m.team).sort(), [o.sales, o.support].sort());
    assert.equal(body.calls.length, 2);
    assert.deepEqual(body.mentionedIn.map((m) => m.type), ['missed-call']);
    const audit = await request(t.app).get('/api/audit?action=privacy.subject-access').set(auth).expect(200);
    const [entry] = (audit.body as { items: { subject: string; details: Record<string, unknown> }[] }).items;
    assert.match(entry?.subject ?? '', /^hmac:/);
    assert.equal(entry?.details['missedCalls'], 2);
    assert.ok(!TRACES.some((d) => digitsOf(JSON.stringify(audit.body)).includes(d)));
    const bySubject = await request(t.app).get(`/api/audit?subject=${encodeURIComponent(SUBJECT)}`).set(auth).expect(200);
    assert.equal((bySubject.body as { items: unknown[] }).items.length, 1, 'the trail can be searched by the number, through its hash');
  });

  test('both requests are for admins only', async () => {
    const manager = await tokenFor(t.app, { name: 'Lead', role: 'manager', teams: [o.sales, o.support], numbers: 'full' });
    await request(t.app).post('/api/privacy/subject-access').set(bearer(manager)).send({ number: SUBJECT }).expect(403);
    await request(t.app).post('/api/privacy/erase').set(bearer(manager)).send({ number: SUBJECT, confirm: true }).expect(403);
    await request(t.app).post('/api/privacy/erase').set(auth).send({ number: SUBJECT }).expect(400);
    await request(t.app).post('/api/privacy/erase').set(auth).send({ number: 'anonymous', confirm: true }).expect(400);
  });

  test('erase-by-number leaves no trace of the number in API output nor on disk, and reports still add up', async () => {
    const before = await request(t.app).get('/api/reports/summary').set(auth).expect(200);
    const was = digitsOf(await everything(t));
    assert.ok(TRACES.some((d) => was.includes(d)), 'the number is there before');

    const r = await request(t.app).post('/api/privacy/erase').set(auth).send({ number: '030/555 123', confirm: true, reference: 'DSR-2026-17' }).expect(200);
    assert.deepEqual((r.body as { erased: unknown }).erased, { calls: 2, missedCalls: 2, contacts: 1, mentions: 1 });

    const all = digitsOf(await everything(t));
    for (const d of TRACES) assert.ok(!all.includes(d), `no trace of ${d} in the API`);
    assert.ok(!all.includes('Paula'), 'nor of the name');
    const disk = digitsOf(await filesOf(t.dir));
    for (const d of TRACES) assert.ok(!disk.includes(d), `no trace of ${d} in the data directory`);

    const after = await request(t.app).get('/api/reports/summary').set(auth).expect(200);
    const totals = (b: unknown) => (b as { totals: Record<string, number> }).totals;
    assert.equal(totals(after.body)['calls'], totals(before.body)['calls'], 'calls stay counted, anonymised');
    assert.equal(totals(after.body)['missed'], totals(before.body)['missed']);

    const erased = (await missedItems(t.app, auth)).filter((m) => m.caller.number === '');
    assert.equal(erased.length, 2);
    assert.ok(erased.every((m) => m.status === 'closed'), 'open entries of the erased caller leave the phones\' lists');
    const audit = await request(t.app).get('/api/audit?action=privacy.erase').set(auth).expect(200);
    const [entry] = (audit.body as { items: { subject: string; details: Record<string, unknown> }[] }).items;
    assert.equal(entry?.details['reference'], 'DSR-2026-17');
    const again = await request(t.app).post('/api/privacy/subject-access').set(auth).send({ number: SUBJECT }).expect(200);
    const body = again.body as { missedCalls: unknown[]; calls: unknown[]; contact: unknown; requests: { action: string }[] };
    assert.deepEqual([body.missedCalls.length, body.calls.length, body.contact], [0, 0, null]);
    // Newest first, this search included: it is recorded before it answers.
    assert.deepEqual(body.requests.map((x) => x.action), ['privacy.subject-access', 'privacy.erase', 'privacy.subject-access']);
  });
});
