/**
 * Phones' action URLs are answered by a front route before the Express stack (src/http/phone/
 * event-front.ts); every other spelling of the same URL still goes through Express. Both must give
 * the same answer, byte for byte, for every kind of request a phone can send.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { auth, createPhone, createTeam, type DeskPhone } from '../support/office.ts';
import { countExpress, phoneLine, seenByPhone, type PhoneLine } from '../support/front-routes.ts';
import { fillActionUrl, pathOf } from '../support/phone-sim.ts';
import type { RawResponse } from '../support/raw-http.ts';

let t: TestApp;
let line: PhoneLine;
let yealink: DeskPhone;
let snom: DeskPhone;

before(async () => {
  t = await startTestApp();
  const team = await createTeam(t.app, { name: 'Reception', extensions: ['11', '12'] });
  yealink = await createPhone(t.app, { mac: '805ec0000011', vendor: 'yealink', extension: '11', teamIds: [team] });
  snom = await createPhone(t.app, { mac: '000413000012', vendor: 'snom', extension: '12', teamIds: [team] });
  line = await phoneLine(t.app);
});

after(async () => {
  await line.close();
  await t.close();
});

/** The Yealink phone's missed-call URL (path and query) for a caller, as the phone fills it in. */
function missedUrl(caller: string, callId: string, extra = ''): string {
  const template = yealink.events['action_url.missed_call'];
  assert.ok(template !== undefined);
  return pathOf(fillActionUrl(template, { active_user: '11', remote: `sip:${caller}@pbx`, display_remote: 'Dora', call_id: callId })) + extra;
}

const get = (target: string, headers?: string): Promise<RawResponse> => line.get(target, headers);
const seen = seenByPhone;

/** The same URL in a spelling the front route leaves to Express (Express ignores a trailing slash). */
function viaExpress(url: string): string {
  return url.replace('/event?', '/event/?');
}

test('an event URL gets the same answer, byte for byte, whether the front route or Express takes it', async () => {
  const token = yealink.token;
  const cases: [string, (n: number) => string][] = [
    ['an accepted missed call', (n) => missedUrl(`+4930555000${n}`, `c${n}`)],
    ['a wrong token', (n) => missedUrl(`+4930555010${n}`, `w${n}`).replace(token, 'not-a-token')],
    ["another vendor's token on the Yealink path", (n) => missedUrl(`+4930555020${n}`, `v${n}`).replace(token, snom.token)],
    ['a vendor that does not exist', (n) => missedUrl(`+4930555030${n}`, `u${n}`).replace('/phone/yealink/', '/phone/acme/')],
    ['a broken percent-escape', (n) => missedUrl(`+4930555040${n}`, `p${n}`, '&x=%E0%A4%A')],
    ['an event name we never configured', (n) => missedUrl(`+4930555050${n}`, `e${n}`).replace('e=missed', 'e=bogus')],
    ['no query at all', () => '/phone/yealink/event'],
  ];
  for (const [name, url] of cases) {
    const front = seen(await get(url(1)));
    const express = seen(await get(viaExpress(url(2))));
    assert.deepEqual(front, express, name);
  }
  const accepted = seen(await get(missedUrl('+49305550003', 'c3')));
  assert.deepEqual({ status: accepted.status, body: accepted.body }, { status: 200, body: '' });
  const refused = seen(await get(missedUrl('+49305550103', 'w3').replace(token, 'not-a-token')));
  assert.deepEqual({ status: refused.status, body: refused.body }, { status: 403, body: '' });
});

test('missed calls taken by either route are on the list, and each event is logged without its token', async () => {
  const expressSaw = countExpress(t.app);
  await get(missedUrl('+49305559001', 'l1'));
  assert.equal(expressSaw(), 0, 'the front route answered the phone without Express');
  await get(viaExpress(missedUrl('+49305559002', 'l2')));
  assert.equal(expressSaw(), 1, 'the other spelling went to Express');
  const r = await request(t.app).get('/api/missed-calls?status=pending').set(auth).expect(200);
  const callers = (r.body as { items: { caller: { number: string } }[] }).items.map((m) => m.caller.number);
  assert.ok(callers.includes('+49305559001') && callers.includes('+49305559002'), callers.join(' '));
  const lines = t.logs.map((l) => JSON.parse(l) as { msg: string; path?: string; status?: number; method?: string })
    .filter((l) => l.msg === 'http' && l.path?.startsWith('/phone/yealink/event') === true);
  assert.ok(lines.some((l) => l.path === '/phone/yealink/event' && l.status === 200 && l.method === 'GET'), 'the front route logs its request');
  assert.ok(lines.some((l) => l.path === '/phone/yealink/event/' && l.status === 200), `Express logs its request: ${JSON.stringify(lines)}`);
  assert.ok(t.logs.every((l) => !l.includes(yealink.token)), 'no log line holds a phone token');
});
