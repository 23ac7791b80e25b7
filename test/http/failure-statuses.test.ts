/**
 * What a refused API request answers: services name why (a code), and each code has one status
 * (src/http/errors.ts), the same on every route.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { auth, createPhone, createTeam } from '../support/office.ts';

let t: TestApp;
before(async () => { t = await startTestApp(); });
after(async () => t.close());

function errorOf(body: unknown): { code: string; message: string } {
  return (body as { error: { code: string; message: string } }).error;
}

describe('refused API requests', () => {
  test('input that does not validate is a 400 naming the field', async () => {
    const r = await request(t.app).post('/api/phones').set(auth).send({ mac: 'not-a-mac', vendor: 'yealink', extension: '11' }).expect(400);
    assert.equal(errorOf(r.body).code, 'invalid');
    assert.match(errorOf(r.body).message, /mac/);
  });

  test('a team or user that does not exist is a 404', async () => {
    const team = await request(t.app).patch('/api/teams/no-such-team').set(auth).send({ name: 'X' }).expect(404);
    assert.deepEqual(errorOf(team.body), { code: 'not_found', message: 'no such team' });
    const user = await request(t.app).delete('/api/users/no-such-user').set(auth).expect(404);
    assert.deepEqual(errorOf(user.body), { code: 'not_found', message: 'no such user' });
  });

  test('a phone added twice, or a team deleted while phones are in it, is a 409 saying so', async () => {
    const id = await createTeam(t.app, { name: 'Reception', extensions: ['11'] });
    const body = { mac: '805ec0f00011', vendor: 'yealink', extension: '11', teamIds: [id] };
    await createPhone(t.app, body);
    const twice = await request(t.app).post('/api/phones').set(auth).send(body).expect(409);
    assert.equal(errorOf(twice.body).code, 'exists');
    const inUse = await request(t.app).delete(`/api/teams/${id}`).set(auth).expect(409);
    assert.equal(errorOf(inUse.body).code, 'team_in_use');
    assert.match(errorOf(inUse.body).message, /805ec0f00011/);
  });

  test('a CSV that cannot be read as a whole is a 400 invalid_csv', async () => {
    const r = await request(t.app).post('/api/phones/import').set(auth).type('text/csv').send('vendor,extension\nyealink,11\n').expect(400);
    assert.equal(errorOf(r.body).code, 'invalid_csv');
    assert.match(errorOf(r.body).message, /"mac" column/);
  });
});
