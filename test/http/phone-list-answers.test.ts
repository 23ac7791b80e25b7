/**
 * Phones' list polls (`GET /phone/<vendor>/missed?…`) are answered by a front route before the
 * Express stack (src/http/phone/list-front.ts); every other spelling of the same URL still goes
 * through Express. Both must give the same answer, byte for byte, for every vendor and every kind
 * of request a phone can send.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestApp, type TestApp } from '../support/app.ts';
import { createPhone, createTeam, fire, type DeskPhone } from '../support/office.ts';
import { countExpress, phoneLine, seenByPhone, type PhoneLine } from '../support/front-routes.ts';
import { pathOf } from '../support/phone-sim.ts';
import type { RawResponse } from '../support/raw-http.ts';

let t: TestApp;
let line: PhoneLine;
const phones: Record<string, DeskPhone> = {};
const VENDORS = { yealink: '805ec0000011', snom: '000413000012', grandstream: '000b82000013', fanvil: '0c383e000014', poly: '0004f2000015', cisco: '00562b000016' };

before(async () => {
  t = await startTestApp();
  const team = await createTeam(t.app, { name: 'Reception', extensions: ['11', '12'] });
  for (const [vendor, mac] of Object.entries(VENDORS)) phones[vendor] = await createPhone(t.app, { mac, vendor, extension: '11', teamIds: [team] });
  const yealink = phone('yealink');
  // Enough waiting calls for a second page, one with a caller name a phone screen must escape.
  for (let n = 0; n < 40; n++) {
    await fire(t.app, yealink, 'action_url.missed_call', { active_user: '11', remote: `sip:+49305550${String(100 + n)}@pbx`, display_remote: n === 0 ? '<Dora & "Co">' : 'Dora', call_id: `c${n}` });
  }
  line = await phoneLine(t.app);
});

after(async () => {
  await line.close();
  await t.close();
});

function phone(vendor: string): DeskPhone {
  const p = phones[vendor];
  assert.ok(p !== undefined);
  return p;
}

const get = (target: string, headers?: string): Promise<RawResponse> => line.get(target, headers);
const seen = seenByPhone;

/** The same URL in a spelling the front route leaves to Express (Express ignores a trailing slash). */
function viaExpress(url: string): string {
  return url.replace('/missed?', '/missed/?').replace(/\/missed$/, '/missed/');
}

test('a list poll gets the same answer, byte for byte, whether the front route or Express takes it', async () => {
  const list = pathOf(phone('yealink').screen);
  const token = phone('yealink').token;
  const cases: [string, string][] = [
    ...Object.keys(VENDORS).map((v): [string, string] => [`the ${v} list`, pathOf(phone(v).screen)]),
    ['the second page', `${list}&p=1`],
    ['a page that does not exist', `${list}&p=-3`],
    ['a wrong token', list.replace(token, 'not-a-token')],
    ["another vendor's token on the Yealink path", list.replace(token, phone('snom').token)],
    ['a vendor that does not exist', list.replace('/phone/yealink/', '/phone/acme/')],
    ['a broken percent-escape', `${list}&x=%E0%A4%A`],
    ['no query at all', '/phone/yealink/missed'],
  ];
  for (const [name, url] of cases) {
    const front = seen(await get(url));
    const express = seen(await get(viaExpress(url)));
    assert.deepEqual(front, express, name);
  }
  // The calls may share their minute, so the named one is on either page.
  const shown = [seen(await get(list)), seen(await get(`${list}&p=1`))];
  assert.deepEqual(shown.map((r) => r.status), [200, 200]);
  assert.match(shown.map((r) => r.body).join(''), /&lt;Dora &amp; &quot;Co&quot;&gt;|&lt;Dora &amp; "Co"&gt;/, 'the caller name is escaped in the list');
  assert.equal((await get(list.replace(token, 'not-a-token'))).status, 403);
});

test('a conditional poll is left to Express, which answers it as it always did', async () => {
  const list = pathOf(phone('yealink').screen);
  const conditional = seen(await get(list, 'If-None-Match: *\r\n'));
  assert.deepEqual(conditional, seen(await get(viaExpress(list), 'If-None-Match: *\r\n')));
});

test('each list poll is logged once without its token, by whichever route took it', async () => {
  const list = pathOf(phone('snom').screen);
  const expressSaw = countExpress(t.app);
  await get(list);
  assert.equal(expressSaw(), 0, 'the front route answered the phone without Express');
  await get(viaExpress(list));
  assert.equal(expressSaw(), 1, 'the other spelling went to Express');
  const lines = t.logs.map((l) => JSON.parse(l) as { msg: string; path?: string; status?: number; method?: string })
    .filter((l) => l.msg === 'http' && l.path?.startsWith('/phone/snom/missed') === true);
  assert.ok(lines.some((l) => l.path === '/phone/snom/missed' && l.status === 200 && l.method === 'GET'), 'the front route logs its request');
  assert.ok(lines.some((l) => l.path === '/phone/snom/missed/' && l.status === 200), `Express logs its request: ${JSON.stringify(lines)}`);
  assert.ok(t.logs.every((l) => !l.includes(phone('snom').token)), 'no log line holds a phone token');
});
