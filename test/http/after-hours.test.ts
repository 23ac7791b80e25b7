import assert from 'node:assert/strict';
import { test } from 'node:test';
import request from 'supertest';
import { startTestApp } from '../support/app.ts';
import { auth, createPhone, createTeam, fire } from '../support/office.ts';

const WEEKDAYS_9_TO_5 = { weekly: { 0: [], 6: [], 1: ['09:00-17:00'], 2: ['09:00-17:00'], 3: ['09:00-17:00'], 4: ['09:00-17:00'], 5: ['09:00-17:00'] }, holidays: [] };

async function missedAt(iso: string): Promise<boolean> {
  const t = await startTestApp();
  try {
    t.clock.ms = Date.parse(iso);
    const teamId = await createTeam(t.app, { name: 'Reception', extensions: ['11'], timeZone: 'Europe/Berlin', businessHours: WEEKDAYS_9_TO_5 });
    const phone = await createPhone(t.app, { mac: '805ec0000011', vendor: 'yealink', extension: '11', teamIds: [teamId] });
    const values = { mac: phone.mac, active_user: '11', call_id: 'c1', remote: 'sip:+4930123456@pbx.example.com', display_remote: '"Dora"' };
    await fire(t.app, phone, 'action_url.incoming_call', values);
    t.clock.advance(20);
    await fire(t.app, phone, 'action_url.missed_call', values);
    const r = await request(t.app).get('/api/missed-calls').set(auth).expect(200);
    const items = (r.body as { items: { afterHours: boolean }[] }).items;
    assert.equal(items.length, 1);
    return items[0]?.afterHours ?? false;
  } finally {
    await t.close();
  }
}

test("a call missed outside the team's business hours is marked after hours", async () => {
  assert.equal(await missedAt('2026-11-26T21:30:00.000Z'), true); // Thursday 22:30 in Berlin
});

test("a call missed within the team's business hours is not marked after hours", async () => {
  assert.equal(await missedAt('2026-11-26T09:00:00.000Z'), false); // Thursday 10:00 in Berlin
});
