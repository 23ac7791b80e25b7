/** Test support: a team with desk phones registered through the real API, as an admin would. */
import assert from 'node:assert/strict';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { fillActionUrl, pathOf } from './phone-sim.ts';
import { ADMIN } from './app.ts';

export interface DeskPhone {
  mac: string;
  extension: string;
  token: string;
  events: Record<string, string>;
  screen: string;
}

export const auth = { Authorization: `Bearer ${ADMIN}` };

export async function createTeam(app: App, body: object): Promise<string> {
  const r = await request(app).post('/api/teams').set(auth).send(body).expect(201);
  return (r.body as { id: string }).id;
}

export async function createPhone(app: App, body: Record<string, unknown>): Promise<DeskPhone> {
  const r = await request(app).post('/api/phones').set(auth).send(body).expect(201);
  const p = r.body as { mac: string; extension: string; token: string; urls: { events: Record<string, string>; screen: string } };
  return { mac: p.mac, extension: p.extension, token: p.token, events: p.urls.events, screen: p.urls.screen };
}

/** Fire one of the phone's action URLs with its `$variables` filled in; expects the empty 200. */
export async function fire(app: App, phone: DeskPhone, setting: string, values: Record<string, string>): Promise<void> {
  const template = phone.events[setting];
  assert.ok(template !== undefined, `phone has no ${setting} URL`);
  const r = await request(app).get(pathOf(fillActionUrl(template, values)));
  assert.equal(r.status, 200, `${setting}: ${r.status} ${r.text}`);
  assert.equal(r.text, '');
}
