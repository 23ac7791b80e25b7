import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pushView } from '../../src/domain/push.ts';
import type { MissedCall } from '../../src/domain/types.ts';
import { cisco } from '../../src/vendors/cisco/index.ts';
import { poly } from '../../src/vendors/poly/index.ts';
import { vendors } from '../../src/vendors/index.ts';
import { yealink } from '../../src/vendors/yealink/index.ts';
import { at, phone } from '../domain/harness.ts';
import { checkCisco, checkPoly, checkYealink } from './vendor-checks.ts';

function call(id: string, firstAt: number, settles: number, extra: Partial<MissedCall> = {}): MissedCall {
  return {
    id, caller: { raw: '0301234', e164: '+49301234', key: '+49301234' }, callerName: 'Dora', team: 'front', extension: '11',
    firstAt: at(firstAt), lastAt: at(firstAt), attemptTimes: [at(firstAt)], attemptIds: [`a-${id}`], ringSeconds: 20, afterHours: false,
    status: 'pending', assignee: null, assignedAt: null, returned: null, callbacks: [], rule: 'no one answered', history: [], settlesAt: at(settles),
    ...extra,
  };
}

test('three settled calls read "3 missed calls waiting · oldest 12 min" and say who is on them', () => {
  const v = pushView([
    call('a', 0, 90), call('b', 300, 390, { status: 'assigned', assignee: 'Anna' }), call('c', 400, 490, { status: 'assigned', assignee: 'Anna' }),
  ], at(720));
  assert.equal(v.count, 3);
  assert.equal(v.oldestMinutes, 12);
  assert.equal(v.headline, '3 missed calls waiting · oldest 12 min');
  assert.equal(v.detail, 'Anna on 2 · 1 free');
  assert.deepEqual(v.claimed, [{ name: 'Anna', calls: 2 }]);
});

test('a call inside its correlation window is not shown yet, and the view says when it settles', () => {
  const v = pushView([call('a', 0, 90)], at(60));
  assert.equal(v.count, 0);
  assert.equal(v.headline, '');
  assert.equal(v.nextSettleAt, at(90));
  assert.equal(pushView([call('a', 0, 90)], at(90)).headline, '1 missed call waiting · 1 min');
});

test('returned, ignored and closed entries are not waiting: an empty list clears the screen', () => {
  const v = pushView([call('a', 0, 10, { status: 'returned' }), call('b', 0, 10, { status: 'ignored' })], at(600));
  assert.equal(v.count, 0);
  assert.equal(v.nextSettleAt, null);
});

test('an unclaimed single call says nobody is on it; a phone in two teams counts a shared entry once', () => {
  const a = call('a', 0, 10);
  const v = pushView([a, a], at(30));
  assert.equal(v.count, 1);
  assert.equal(v.headline, '1 missed call waiting · just now');
  assert.equal(v.detail, 'nobody is on it yet');
});

const hostile = call('h', 0, 10, { status: 'assigned', assignee: `<&"'> ]]>\u0001\u202Eevil ${'👩‍👩‍👧‍👦'.repeat(40)}` });
const target = { phone: phone('805ec0000011', '11', ['front']), base: 'http://127.0.0.1:8080', missedKey: 2 };

test('every vendor\'s push of a hostile claimer name is well-formed, within the vendor\'s limits, and shows the count', async () => {
  const view = pushView([hostile, ...Array.from({ length: 40 }, (_, i) => call(`c${i}`, i, 10))], at(3600));
  const y = yealink.push?.render(view, target) ?? [];
  assert.deepEqual(y.map((r) => r.purpose), ['status', 'led']);
  const state = {};
  const shown = await checkYealink(y[0]?.path ?? '', y[0]?.contentType ?? '', y[0]?.body ?? '', state);
  assert.match(shown.screen?.[0] ?? '', /^41 missed calls waiting · oldest 60 min$/);
  assert.equal((await checkYealink(y[1]?.path ?? '', y[1]?.contentType ?? '', y[1]?.body ?? '', state)).led, 'slowflash');
  const p = poly.push?.render(view, target)[0];
  assert.match((await checkPoly(p?.path ?? '', p?.contentType ?? '', p?.body ?? '')).screen?.[0] ?? '', /^41 missed calls waiting/);
  const c = cisco.push?.render(view, target)[0];
  assert.ok(c !== undefined && new URLSearchParams(c.body).get('XML')?.includes('Priority="1"'));
});

test('a clear resets the Yealink lines and turns the LED off; Cisco closes the page; Poly says nothing waits', async () => {
  const empty = pushView([], at(0));
  const state = {};
  const [status, led] = yealink.push?.render(pushView([call('a', 0, 10)], at(60)), target) ?? [];
  await checkYealink(status?.path ?? '', status?.contentType ?? '', status?.body ?? '', state);
  assert.ok(led !== undefined);
  const [clear, off] = yealink.push?.render(empty, target) ?? [];
  assert.deepEqual((await checkYealink(clear?.path ?? '', clear?.contentType ?? '', clear?.body ?? '', state)).screen, []);
  assert.equal((await checkYealink(off?.path ?? '', off?.contentType ?? '', off?.body ?? '', state)).led, 'off');
  const c = cisco.push?.render(empty, target)[0];
  assert.deepEqual(await (await checkCisco(c?.path ?? '', c?.contentType ?? '', c?.body ?? '')).later?.(), []);
  const p = poly.push?.render(empty, target)[0];
  assert.deepEqual((await checkPoly(p?.path ?? '', p?.contentType ?? '', p?.body ?? '')).screen, []);
});

test('without a known missed key no LED is pushed; Snom, Grandstream and Fanvil have no push', () => {
  assert.equal(yealink.push?.render(pushView([], at(0)), { ...target, missedKey: null }).length, 1);
  assert.deepEqual(Object.values(vendors).filter((v) => v.push !== undefined).map((v) => v.name), ['yealink', 'poly', 'cisco']);
});
