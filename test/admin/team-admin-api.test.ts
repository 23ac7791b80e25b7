/** What the team editor relies on: hours can be removed again, and a wrong time names its field and the expected form. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { auth, createTeam } from '../support/office.ts';

let t: TestApp;
before(async () => { t = await startTestApp(); });
after(async () => t.close());

const HOURS = { weekly: { 0: [], 1: ['08:00-17:00'], 2: ['08:00-17:00'], 3: [], 4: [], 5: [], 6: [] }, holidays: ['2026-12-24'] };

describe('team hours from the dashboard', () => {
  test('a team\'s business hours can be removed again, and it counts as always open', async () => {
    const id = await createTeam(t.app, { name: 'Reception', extensions: ['11'], businessHours: HOURS });
    const r = await request(t.app).patch(`/api/teams/${id}`).set(auth).send({ businessHours: null }).expect(200);
    assert.equal((r.body as { businessHours?: unknown }).businessHours, undefined);
    assert.equal(t.store.team(id)?.businessHours, undefined);
    const again = await request(t.app).patch(`/api/teams/${id}`).set(auth).send({ businessHours: HOURS }).expect(200);
    assert.deepEqual((again.body as { businessHours: unknown }).businessHours, HOURS);
  });

  test('a wrongly written time or date names its field and shows the expected form', async () => {
    const r = await request(t.app).post('/api/teams').set(auth)
      .send({ name: 'Support', businessHours: { weekly: { 1: ['8-17'] }, holidays: ['24.12.2026'] } }).expect(400);
    const message = (r.body as { error: { message: string } }).error.message;
    assert.match(message, /businessHours\.weekly\.1\.0: expected a time range HH:MM-HH:MM such as 08:00-17:00/);
    assert.match(message, /businessHours\.holidays\.0: expected a date YYYY-MM-DD such as 2026-12-24/);
  });
});
