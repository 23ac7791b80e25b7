/** Test support for roles: two teams with a Yealink phone each, tokens per role, missed calls made by real phone events. */
import request from 'supertest';
import type { App } from 'supertest/types.js';
import type { TestApp } from '../support/app.ts';
import { auth, createPhone, createTeam, fire, type DeskPhone } from '../support/office.ts';

export interface Office {
  sales: string;
  support: string;
  salesPhone: DeskPhone;
  supportPhone: DeskPhone;
}

export async function twoTeams(t: TestApp): Promise<Office> {
  const sales = await createTeam(t.app, { name: 'Sales', extensions: ['11'], timeZone: 'Europe/Berlin' });
  const support = await createTeam(t.app, { name: 'Support', extensions: ['21'], timeZone: 'Europe/Berlin' });
  const salesPhone = await createPhone(t.app, { mac: '805ec0000011', vendor: 'yealink', extension: '11', label: 'Desk 11', userName: 'Anna', teamIds: [sales] });
  const supportPhone = await createPhone(t.app, { mac: '805ec0000021', vendor: 'yealink', extension: '21', label: 'Desk 21', userName: 'Ben', teamIds: [support] });
  return { sales, support, salesPhone, supportPhone };
}

/** A new API token (the secret, shown once). */
export async function tokenFor(app: App, body: { name: string; role: string; teams?: string[]; numbers?: string }): Promise<string> {
  const r = await request(app).post('/api/tokens').set(auth).send(body).expect(201);
  return (r.body as { token: string }).token;
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

let callSeq = 0;

/** One missed call on a phone: rings 20 s, then the phone reports it missed. Returns nothing; read it back via the API. */
export async function missCall(t: TestApp, phone: DeskPhone, remote: string, name = '', ringSeconds = 20): Promise<void> {
  callSeq += 1;
  const values = { mac: phone.mac, active_user: phone.extension, call_id: `c${callSeq}`, remote: `sip:${remote}@pbx.example.com`, display_remote: name };
  await fire(t.app, phone, 'action_url.incoming_call', values);
  t.clock.advance(ringSeconds);
  await fire(t.app, phone, 'action_url.missed_call', values);
  t.clock.advance(5);
}

export interface Item {
  id: string;
  team: string;
  status: string;
  caller: { number: string; raw: string; name: string; contact: { name: string; vip: boolean; company: string } | null; crmUrl: string | null };
  history: { actor: string; action: string }[];
}

export async function missedItems(app: App, headers: Record<string, string>, query = ''): Promise<Item[]> {
  const r = await request(app).get(`/api/missed-calls${query}`).set(headers).expect(200);
  return (r.body as { items: Item[] }).items;
}
