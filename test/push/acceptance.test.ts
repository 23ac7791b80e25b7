import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import request from 'supertest';
import { auth, createPhone, fire, type DeskPhone } from '../support/office.ts';
import { pathOf } from '../support/phone-sim.ts';
import { startEmulator, type PhoneEmulator } from './emulator.ts';
import { RING_SECONDS, SECRET, startPushOffice, type PushOffice } from './office.ts';

/** The acceptance bound of issue 14: on every team phone within 5 s (of the clock the server runs on). */
const BOUND_SECONDS = 5;
const CALLER = '004930123456';

let office: PushOffice;
let emus: PhoneEmulator[];
let poly: DeskPhone;

before(async () => {
  emus = await Promise.all((['yealink', 'poly', 'cisco'] as const).map((vendor) => startEmulator({ vendor, password: SECRET })));
  office = await startPushOffice({ RINGBACK_PROVISION_USER: 'prov', RINGBACK_PROVISION_PASSWORD: 'provisioning-secret-1', RINGBACK_PUSH_TIMEOUT_MS: '4000' });
  const [y, p, c] = emus;
  const team = office.team;
  await createPhone(office.t.app, { mac: '805ec0000012', vendor: 'yealink', model: 'SIP-T54W', extension: '12', teamIds: [team], push: { address: y?.address, password: SECRET } });
  poly = await createPhone(office.t.app, { mac: '0004f2000013', vendor: 'poly', extension: '13', teamIds: [team], push: { address: p?.address, password: SECRET } });
  await createPhone(office.t.app, { mac: '00562b000014', vendor: 'cisco', model: 'CP-8841-3PCC', extension: '14', teamIds: [team], push: { address: c?.address, password: SECRET } });
});
after(async () => {
  await office.close();
  await Promise.all(emus.map((e) => e.close()));
});

function polyEvent(state: 'Offering' | 'Free'): string {
  return `<PolycomIPPhone><CallStateChangeEvent CallReference="7" CallState="${state}"><PhoneIP>127.0.0.1</PhoneIP>`
    + `<MACAddress>0004f2000013</MACAddress><LineNumber>1</LineNumber><TimeStamp>2026-11-26T10:00:01+01:00</TimeStamp>`
    + `<CallLineInfo><LineKeyNum>1</LineKeyNum><LineDirNum>13</LineDirNum><LineState>Active</LineState><CallInfo>`
    + `<CallState>${state}</CallState><CallType>Incoming</CallType><UIAppearanceIndex>1</UIAppearanceIndex>`
    + `<CalledPartyName>13</CalledPartyName><CalledPartyDirNum>13</CalledPartyDirNum><CallingPartyName>Dora Schmidt</CallingPartyName>`
    + `<CallingPartyDirNum>${CALLER}</CallingPartyDirNum><CallReference>7</CallReference><CallDuration>0</CallDuration>`
    + `</CallInfo></CallLineInfo></CallStateChangeEvent></PolycomIPPhone>`;
}

/**
 * Move the server's clock on a second at a time (running the push timers that fall due), letting
 * every push and every phone's work finish after each step, until `done` holds; returns the
 * seconds it took. Fails past the bound.
 */
async function secondsUntil(done: () => boolean, what: string): Promise<number> {
  for (let s = 0; s <= BOUND_SECONDS; s++) {
    if (s > 0) office.scheduler.advance(1);
    await office.t.services.push?.idle();
    await Promise.all(emus.map((e) => e.quiet()));
    if (done()) return s;
  }
  throw new Error(`${what}: not on every phone within ${BOUND_SECONDS} s: ${emus.map((e) => `${e.vendor}: ${JSON.stringify(e.screen)}`).join('; ')}`);
}

test('a ring-group miss reaches the idle screen of every team phone within 5 s of settling, and clears within 5 s of the return', async () => {
  const { t, reporter } = office;
  const values = { mac: reporter.mac, active_user: '11', remote: `sip:${CALLER}@pbx`, call_id: '5' };
  await fire(t.app, reporter, 'action_url.incoming_call', values);
  await request(t.app).post(`/phone/poly/event?t=${poly.token}`).set('Content-Type', 'text/xml').send(polyEvent('Offering')).expect(200);
  office.scheduler.advance(RING_SECONDS);
  await fire(t.app, reporter, 'action_url.missed_call', values);
  await request(t.app).post(`/phone/poly/event?t=${poly.token}`).set('Content-Type', 'text/xml').send(polyEvent('Free')).expect(200);

  const [entry, ...more] = t.store.openMissed(office.team);
  assert.ok(entry !== undefined && more.length === 0, 'the ring group\'s two reports are one missed call');
  await t.services.push?.idle();
  assert.ok(emus.every((e) => e.screen.length === 0), 'nothing shows before the entry settles');

  // Up to the instant it settles: still nothing (an answer elsewhere could still retract it).
  office.scheduler.advance((Date.parse(entry.settlesAt) - office.scheduler.now()) / 1000 - 0.001);
  await t.services.push?.idle();
  assert.ok(emus.every((e) => e.screen.length === 0));
  const shownAfter = await secondsUntil(() => emus.every((e) => e.screen[0] === '1 missed call waiting · just now'), 'the banner');
  assert.ok(shownAfter <= BOUND_SECONDS);
  assert.ok(emus.every((e) => e.screen[1] === 'nobody is on it yet'));
  assert.equal(emus[0]?.led, 'slowflash', 'the Yealink\'s missed key blinks');

  // Returned from a team phone's own screen (the reporter's Returned softkey).
  const r = await request(t.app).get(pathOf(`${reporter.screen.replace(/\?.*$/, '')}/${encodeURIComponent(entry.id)}/return?t=${encodeURIComponent(reporter.token)}&outcome=reached`)).expect(200);
  assert.match(r.text, /Saved/);
  const clearedAfter = await secondsUntil(() => emus.every((e) => e.screen.length === 0), 'the clear');
  assert.ok(clearedAfter <= BOUND_SECONDS);
  assert.equal(emus[0]?.led, 'off');
  for (const e of emus) assert.deepEqual(e.invalid, [], `${e.vendor} took every push as valid`);

  const phones = (await request(t.app).get('/api/phones').set(auth).expect(200)).body as { items: { mac: string; push: { state: string; showing: boolean } }[] };
  for (const mac of ['805ec0000012', '0004f2000013', '00562b000014']) {
    const push = phones.items.find((p) => p.mac === mac)?.push;
    assert.deepEqual({ state: push?.state, showing: push?.showing }, { state: 'ok', showing: false }, mac);
  }
});

test('an event is acknowledged before any phone is pushed: a hung phone never delays the 200', async () => {
  const hung = await startEmulator({ vendor: 'yealink', password: SECRET, hang: true });
  try {
    await request(office.t.app).patch('/api/phones/805ec0000012').set(auth).send({ push: { address: hung.address } }).expect(200);
    const values = { mac: office.reporter.mac, active_user: '11', remote: 'sip:004930999999@pbx', call_id: '9' };
    await fire(office.t.app, office.reporter, 'action_url.incoming_call', values);
    office.scheduler.advance(RING_SECONDS);
    await fire(office.t.app, office.reporter, 'action_url.missed_call', values);
    office.settle();
    await hung.waitFor((e) => e.requests >= 1, 'the push to the hung phone');
    // The push is in flight and the phone never answers; the next event is answered all the same.
    let pushDone = false;
    const pushing = office.t.services.push?.idle().then(() => { pushDone = true; });
    await fire(office.t.app, office.reporter, 'action_url.incoming_call', { ...values, call_id: '10', remote: 'sip:004930888888@pbx' });
    assert.equal(pushDone, false, 'the 200 came while the push was still waiting for the phone');
    await pushing;
    const phone = (await request(office.t.app).get('/api/phones/805ec0000012').set(auth).expect(200)).body as { push: { state: string; error: string } };
    assert.deepEqual({ state: phone.push.state, error: phone.push.error }, { state: 'unreachable', error: 'timed out' });
  } finally {
    await hung.close();
  }
});
