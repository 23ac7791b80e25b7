import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { openPostgresStore } from '../../src/store/postgres/open.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { auth } from '../support/office.ts';
import { postgresMissing, startPostgres, type Postgres } from '../support/postgres.ts';
import { until } from '../support/until.ts';

const missing = await postgresMissing();

describe('what an instance keeps besides the store follows the other instances', { skip: missing ?? false }, () => {
  let server: Postgres;
  let a: TestApp;
  let b: TestApp;
  before(async () => {
    server = await startPostgres();
    const url = await server.createDatabase('services');
    a = await startTestApp({ store: await openPostgresStore({ url }) });
    b = await startTestApp({ store: await openPostgresStore({ url }) });
  });
  after(async () => {
    await a?.close();
    await b?.close();
    await server?.stop();
  });

  test("a phone added on one instance reaches the other's live feed (the dashboards' /api/live)", async () => {
    const heard: string[] = [];
    const stop = b.services.live.subscribe((events) => { for (const e of events) heard.push(e.kind); });
    try {
      await request(a.app).post('/api/phones').set(auth)
        .send({ mac: '805ec0000051', vendor: 'yealink', extension: '51', teamIds: [] }).expect(201);
      await until(() => heard.includes('phone'), 'the phone event on the other instance');
    } finally {
      stop();
    }
  });

  test('a contact saved on one instance names the caller on the other', async () => {
    await request(a.app).post('/api/contacts').set(auth).send({ name: 'Dr. Weber', numbers: ['+49 30 5550123'] }).expect(201);
    await until(() => b.services.contacts.directory.match('+49305550123')?.name === 'Dr. Weber', 'the contact matched on the other instance');
  });

  test('a setting saved on one instance is in force on the other', async () => {
    const res = await a.services.settings.update({ retentionDays: '30' }, 'admin', a.clock.now().toISOString());
    assert.equal(res.ok, true);
    await until(() => b.services.settings.config().followUp.retentionDays === 30, 'the retention on the other instance');
  });
});
