import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { contactDirectory } from '../../src/services/contacts.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { pathOf } from '../support/phone-sim.ts';
import { auth } from '../support/office.ts';
import { bearer, missCall, missedItems, tokenFor, twoTeams, type Office } from '../auth/fixtures.ts';

interface ContactBody { id: string; name: string; company: string; numbers: string[]; crmId: string; vip: boolean; crmUrl: string | null }
interface ImportBody {
  created: number; updated: number; unchanged: number; invalid: number; dryRun: boolean; ignoredColumns: string[];
  rows: { line: number; status: string; id?: string; message?: string }[];
}

describe('contacts: the directory callers are matched against', () => {
  let t: TestApp;
  let o: Office;

  before(async () => {
    t = await startTestApp({ env: { RINGBACK_CRM_URL: 'https://crm.example.com/contacts/{crmId}' } });
    o = await twoTeams(t);
  });
  after(async () => t.close());

  test('a contact matches callers by normalised number: API, phone screen, VIP check', async () => {
    const c = await request(t.app).post('/api/contacts').set(auth)
      .send({ name: 'Dora Schmidt', company: 'Schmidt GmbH', numbers: ['030 111111'], crmId: 'C-17', vip: true }).expect(201);
    const contact = c.body as ContactBody;
    assert.deepEqual(contact.numbers, ['+4930111111']);
    assert.equal(contact.crmUrl, 'https://crm.example.com/contacts/C-17');

    await missCall(t, o.salesPhone, '+4930111111', 'PBX NAME');
    const [item] = await missedItems(t.app, auth);
    assert.equal(item?.caller.name, 'PBX NAME', 'the name the PBX gave is kept');
    assert.deepEqual(item?.caller.contact, { id: contact.id, name: 'Dora Schmidt', company: 'Schmidt GmbH', vip: true, crmId: 'C-17' });
    assert.equal(item?.caller.crmUrl, 'https://crm.example.com/contacts/C-17');

    const screen = await request(t.app).get(pathOf(o.salesPhone.screen)).expect(200);
    assert.match(screen.text, /VIP Dora Schmidt/);
    assert.doesNotMatch(screen.text, /PBX NAME/);
    const detail = await request(t.app).get(pathOf(o.salesPhone.screen.replace('/missed?', `/missed/${item?.id ?? ''}?`))).expect(200);
    assert.match(detail.text, /Schmidt GmbH/);

    assert.equal(contactDirectory(t.store).isVip('+4930111111'), true);
    assert.equal(contactDirectory(t.store).isVip('+4930999999'), false);
    assert.equal(contactDirectory(t.store).match('+4930111111')?.name, 'Dora Schmidt');
  });

  test('unknown callers keep the name the phone or PBX gave', async () => {
    await missCall(t, o.salesPhone, '+4930777777', 'Walk-in Caller');
    const item = (await missedItems(t.app, auth)).find((m) => m.caller.number === '+4930777777');
    assert.equal(item?.caller.name, 'Walk-in Caller');
    assert.equal(item?.caller.contact, null);
    const screen = await request(t.app).get(pathOf(o.salesPhone.screen)).expect(200);
    assert.match(screen.text, /Walk-in Caller/);
  });

  test('a number belongs to one contact; update and delete change the match at once', async () => {
    const dup = await request(t.app).post('/api/contacts').set(auth).send({ name: 'Other', numbers: ['+49 30 111111'] }).expect(409);
    assert.equal((dup.body as { error: { code: string } }).error.code, 'number_taken');
    await request(t.app).post('/api/contacts').set(auth).send({ name: 'Bad', numbers: ['anonymous'] }).expect(400);
    await request(t.app).post('/api/contacts').set(auth).send({ name: '', numbers: ['+4930123'] }).expect(400);
    const list = await request(t.app).get('/api/contacts?q=schmidt').set(auth).expect(200);
    const dora = (list.body as { items: ContactBody[] }).items[0];
    assert.equal(dora?.name, 'Dora Schmidt');
    await request(t.app).patch(`/api/contacts/${dora?.id ?? ''}`).set(auth).send({ name: 'Dora S.', vip: false }).expect(200);
    assert.equal((await missedItems(t.app, auth)).find((m) => m.caller.number === '+4930111111')?.caller.contact?.name, 'Dora S.');
    assert.equal(contactDirectory(t.store).isVip('+4930111111'), false);
    await request(t.app).delete(`/api/contacts/${dora?.id ?? ''}`).set(auth).expect(204);
    assert.equal((await missedItems(t.app, auth)).find((m) => m.caller.number === '+4930111111')?.caller.contact, null);
    await request(t.app).get(`/api/contacts/${dora?.id ?? ''}`).set(auth).expect(404);
  });

  test('a CSV import reports every row: created, updated, unchanged, invalid', async () => {
    await request(t.app).post('/api/contacts').set(auth).send({ name: 'Old Name', numbers: ['+4940555555'] }).expect(201);
    const csv = '\uFEFFName;Company;Telefon;Mobile;VIP;CRM ID;Notes\r\n' +
      'Max Muster;"Muster; Söhne";040 555555;;ja;M-1;ignored\r\n' +
      'Erika Beispiel;Beispiel AG;+49 89 1234567;0171 2345678;no;;\r\n' +
      ';No Name AG;+4989000000;;;;\r\n' +
      'Bad Number;;not a number;;;;\r\n' +
      'Bad VIP;;+4989111111;;maybe;;\r\n' +
      'Erika Beispiel;Beispiel AG;0171-2345678;;no;;\r\n';
    const dry = await request(t.app).post('/api/contacts/import?dryRun=true').set(auth).type('text/csv').send(csv).expect(200);
    assert.equal((dry.body as ImportBody).dryRun, true);
    assert.equal(contactDirectory(t.store).match('+49891234567'), undefined, 'a dry run commits nothing');

    const r = await request(t.app).post('/api/contacts/import').set(auth).type('text/csv').send(csv).expect(200);
    const report = r.body as ImportBody;
    assert.deepEqual(report.rows.map((row) => [row.line, row.status]),
      [[2, 'updated'], [3, 'created'], [4, 'invalid'], [5, 'invalid'], [6, 'invalid'], [7, 'unchanged']]);
    assert.deepEqual([report.created, report.updated, report.unchanged, report.invalid], [1, 1, 1, 3]);
    assert.deepEqual(report.ignoredColumns, ['Notes']);
    assert.match(report.rows[2]?.message ?? '', /name/);
    assert.match(report.rows[3]?.message ?? '', /phone number/);
    assert.match(report.rows[4]?.message ?? '', /vip/);

    const max = contactDirectory(t.store).byKey('+4940555555');
    assert.equal(max?.name, 'Max Muster');
    assert.equal(max?.company, 'Muster; Söhne');
    assert.equal(max?.vip, true);
    assert.equal(max?.crmId, 'M-1');
    const erika = contactDirectory(t.store).byKey('+491712345678');
    assert.deepEqual(erika?.numbers.map((n) => n.key), ['+49891234567', '+491712345678']);
  });

  test('a CSV without name or number columns is refused as a whole', async () => {
    const r = await request(t.app).post('/api/contacts/import').set(auth).type('text/csv').send('foo,bar\n1,2\n').expect(400);
    assert.match((r.body as { error: { message: string } }).error.message, /name/);
    await request(t.app).post('/api/contacts/import').set(auth).send({ name: 'json' }).expect(415);
  });

  test('everyone reads contacts, only admins change them, and managers see numbers masked', async () => {
    const manager = await tokenFor(t.app, { name: 'Lead', role: 'manager', teams: [o.sales] });
    const agent = await tokenFor(t.app, { name: 'Agent', role: 'agent', teams: [o.sales] });
    const m = await request(t.app).get('/api/contacts?q=erika').set(bearer(manager)).expect(200);
    assert.deepEqual((m.body as { items: ContactBody[] }).items[0]?.numbers, ['+49•••••••67', '+49••••••••78']);
    const a = await request(t.app).get('/api/contacts?q=erika').set(bearer(agent)).expect(200);
    assert.deepEqual((a.body as { items: ContactBody[] }).items[0]?.numbers, ['+49891234567', '+491712345678']);
    await request(t.app).post('/api/contacts').set(bearer(manager)).send({ name: 'X', numbers: ['+4930999'] }).expect(403);
    await request(t.app).post('/api/contacts/import').set(bearer(agent)).type('text/csv').send('name,number\nX,+4930999\n').expect(403);
  });
});
