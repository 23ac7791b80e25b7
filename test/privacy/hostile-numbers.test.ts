/**
 * A "number" is whatever a caller or admin typed. Subject access and erasure work for numbers that
 * look like formulas or patterns (`1+1`, `+SUM(1+1)`, `(0)*`), and the scanner that finds a number
 * in free text matches it literally.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { findMentions, replaceMentions } from '../../src/domain/number-mentions.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { auth } from '../support/office.ts';
import { missCall, missedItems, twoTeams, type Office } from '../auth/fixtures.ts';

describe('finding a number in free text', () => {
  test('a number is found however it is written, and never inside a longer digit run', () => {
    const forms = ['4930555123', '030555123'];
    const text = 'call +49 30 555-123, or (030) 555 123, or 0049/30/555123; not 49305551234 nor 1030555123';
    const found = findMentions(text, forms).map((m) => text.slice(m.start, m.end));
    assert.deepEqual(found, ['+49 30 555-123', '(030) 555 123', '0049/30/555123'].map((s) => s.replace(/^\(/, '')));
    assert.equal(replaceMentions('ring 030 555123 now', forms, '[erased]'), 'ring [erased] now');
  });

  test('pattern characters in a number are literal', () => {
    assert.deepEqual(findMentions('x 1+1 y 11 z', ['1+1']).length, 1);
    assert.deepEqual(findMentions('11111', ['1+1']).length, 0);
    assert.equal(replaceMentions('a *21# b', ['*21#'], '[erased]'), 'a [erased] b');
    assert.equal(replaceMentions('(0)* .*', ['(0)*', '.*'], '-'), '(0)* .*', 'forms shorter than 3 symbols or with no match change nothing');
  });
});

describe('data-protection requests for numbers that look like formulas', () => {
  let t: TestApp;
  let o: Office;

  before(async () => {
    t = await startTestApp();
    o = await twoTeams(t);
    // `1+1` has the length of an extension: counted only where internal calls count.
    await request(t.app).patch(`/api/teams/${o.sales}`).set(auth).send({ policy: { countInternal: true } }).expect(200);
    await missCall(t, o.salesPhone, '1+1', 'Formula One');
    await missCall(t, o.salesPhone, '+SUM(1+1)', 'Sum Caller');
    assert.deepEqual((await missedItems(t.app, auth)).map((m) => m.caller.raw).sort(), ['sip:+SUM(1+1)@pbx.example.com', 'sip:1+1@pbx.example.com']);
  });
  after(async () => t.close());

  for (const number of ['1+1', '+SUM(1+1)', '=1+1', '1 + 1']) {
    test(`subject access for ${number} answers with its records, not a server error`, async () => {
      const r = await request(t.app).post('/api/privacy/subject-access').set(auth).send({ number });
      assert.equal(r.status, 200, r.text);
      assert.ok((r.body as { missedCalls: unknown[] }).missedCalls.length >= 1);
    });
  }

  test('erasing 1+1 and +SUM(1+1) anonymises their calls', async () => {
    for (const number of ['1+1', '+SUM(1+1)']) {
      const r = await request(t.app).post('/api/privacy/erase').set(auth).send({ number, confirm: true });
      assert.equal(r.status, 200, r.text);
      assert.equal((r.body as { erased: { missedCalls: number } }).erased.missedCalls, 1);
    }
    const names = (await missedItems(t.app, auth)).map((m) => m.caller.name);
    assert.ok(!names.includes('Formula One') && !names.includes('Sum Caller'));
  });
});
