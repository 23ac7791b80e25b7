/**
 * The callback desk in Debian's chromium against the real server process: an overdue call is marked
 * with how late it is, a call is handed to a named colleague, numbers read as dialled here with the
 * E.164 form one click away, and the export of the open view holds exactly the rows on the screen.
 * At 1440×900 and 390×844, with no console errors. Screenshots land in test-output/dashboard/.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import request from 'supertest';
import type { Page } from 'playwright-core';
import { WEBHOOK_SECRET } from '../support/app.ts';
import { auth, createPhone, createTeam } from '../support/office.ts';
import { spawnServer, type ServerProcess } from '../support/server-process.ts';
import { launchBrowser, screenshot, type Browser } from './browser.ts';
import { deliver } from './office-history.ts';

const AGENT = { login: 'anna', password: 'reception-desk-42', name: 'Anna' };

let dir: string;
let server: ServerProcess;
let browser: Browser;
let reception: string;

const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ringback-desk-'));
  // A 30-minute target with no business hours: wall-clock time counts, so "overdue" does not depend on the weekday.
  [server, browser] = await Promise.all([
    spawnServer(dir, { RINGBACK_WEBHOOK_SECRET: WEBHOOK_SECRET, RINGBACK_TIME_ZONE: 'Europe/Berlin', RINGBACK_CALLBACK_TARGET_MINUTES: '30' }),
    launchBrowser(),
  ]);
  const base = server.base;
  reception = await createTeam(base, { name: 'Reception', extensions: ['11', '12', '13'], numbers: ['+49 30 1234500'], timeZone: 'Europe/Berlin' });
  const sales = await createTeam(base, { name: 'Sales', extensions: ['21'], timeZone: 'Europe/Berlin' });
  await createPhone(base, { mac: '805ec0bb0011', vendor: 'yealink', extension: '11', userName: 'Anna', teamIds: [reception] });
  await createPhone(base, { mac: '805ec0bb0012', vendor: 'yealink', extension: '12', userName: 'Ben', teamIds: [reception] });
  await createPhone(base, { mac: '805ec0bb0013', vendor: 'yealink', extension: '13', userName: 'Carla', teamIds: [reception] });
  await createPhone(base, { mac: '805ec0bb0021', vendor: 'yealink', extension: '21', userName: 'Sven', teamIds: [sales] });
  await request(base).post('/api/users').set(auth).send({ ...AGENT, role: 'agent', teams: [reception] }).expect(201);
  const miss = (id: string, caller: string, callerName: string, minutes: number, rang: string[]) =>
    deliver(base, WEBHOOK_SECRET, { id, caller, callerName, startedAt: ago(minutes), ringSeconds: 25, rang, answeredBy: null });
  await miss('late', '+49307654321', 'Dora Schmidt', 95, ['11', '12', '13']);
  await miss('fresh', '+442079460958', 'Emil Weber', 2, ['12']);
  await miss('done', '+49301112222', 'Frida Lang', 50, ['11']);
  await miss('sales', '+49309998888', 'Other Team', 10, ['21']);
  const done = await request(base).get('/api/missed-calls').query({ caller: 'Frida Lang' }).set(auth).expect(200);
  await request(base).post(`/api/missed-calls/${(done.body as { items: { id: string }[] }).items[0]?.id ?? ''}/actions`).set(auth)
    .send({ action: 'return', outcome: 'reached', actor: 'Ben' }).expect(200);
});

after(async () => {
  if (server !== undefined) {
    server.child.kill('SIGTERM');
    await server.exited;
  }
  await browser?.close();
  await rm(dir, { recursive: true, force: true });
});

/** A fresh sign-in (the browser's one context keeps cookies between tests). */
async function signIn(page: Page): Promise<void> {
  await browser.context.clearCookies();
  await page.goto(`${server.base}/`);
  await page.getByLabel('Login').fill(AGENT.login);
  await page.getByLabel('Password').fill(AGENT.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('header.top').waitFor();
  await page.locator('li.call').first().waitFor();
}

describe('the callback desk in a real browser', () => {
  test('an overdue call is marked with how late it is; a fresh one is not', async () => {
    const page = await browser.newPage();
    await page.setViewportSize({ width: 1440, height: 900 });
    await signIn(page);
    const late = page.locator('li.call', { hasText: 'Dora Schmidt' });
    // 95 minutes waited, 30 allowed: 65 minutes over (a minute more if the clock ticked meanwhile).
    assert.match(await late.locator('.badge.overdue').innerText(), /^1 h (5|6) min overdue$/);
    assert.equal(await page.locator('li.call', { hasText: 'Emil Weber' }).locator('.badge.overdue').count(), 0);
    assert.match(await page.locator('.summary').innerText(), /2 waiting, 1 overdue/);
    assert.match(await late.innerText(), /rang 11, 12, 13 for 25 s/);
    await screenshot(page, 'desk-01-overdue-1440');
    await page.close();
  });

  test('numbers read as dialled here, with the E.164 form one click away', async () => {
    const page = await browser.newPage();
    await page.setViewportSize({ width: 1440, height: 900 });
    await signIn(page);
    const row = page.locator('li.call', { hasText: 'Dora Schmidt' });
    assert.equal(await row.locator('a.number').innerText(), '030 7654321');
    assert.equal(await page.locator('li.call', { hasText: 'Emil Weber' }).locator('a.number').innerText(), '00 44 20 7946 0958');
    await row.getByRole('button', { name: 'E.164' }).click();
    assert.equal(await row.locator('a.number').innerText(), '+49307654321');
    assert.equal(await row.locator('a.number').getAttribute('href'), 'tel:+49307654321');
    // The details say what happened, in words, in one language.
    await row.getByRole('button', { name: 'More' }).click();
    const details = await row.locator('.call-details').innerText();
    assert.match(details, /Nobody answered: the call was added to the list/);
    assert.doesNotMatch(details, /via auto|ringback missed|Reported as/);
    await page.close();
  });

  test('a call is handed to a named colleague, and the desk and the API say who has it', async () => {
    const page = await browser.newPage();
    await page.setViewportSize({ width: 1440, height: 900 });
    await signIn(page);
    const row = page.locator('li.call', { hasText: 'Dora Schmidt' });
    await row.getByRole('button', { name: 'Assign…' }).click();
    const pick = row.getByLabel('Colleague', { exact: true });
    await pick.waitFor();
    const names = await pick.locator('option').allInnerTexts();
    assert.deepEqual(names, ['Anna', 'Ben', 'Carla'], 'the team\'s people, not another team\'s');
    await pick.selectOption('Carla');
    await screenshot(page, 'desk-02-assign-1440');
    await row.getByRole('button', { name: 'Assign', exact: true }).click();
    await page.locator('.toast', { hasText: 'Assigned to Carla.' }).waitFor();
    assert.match(await row.innerText(), /Claimed by Carla/);
    const api = await request(server.base).get('/api/missed-calls').query({ caller: 'Dora Schmidt' }).set(auth).expect(200);
    const entry = (api.body as { items: { assignee: string; history: { actor: string; action: string }[] }[] }).items[0];
    assert.equal(entry?.assignee, 'Carla');
    assert.deepEqual(entry?.history.at(-1), { ...entry?.history.at(-1), actor: 'Anna', action: 'assigned to Carla' });
    await page.close();
  });

  test('exporting the open view gives exactly the rows on the screen', async () => {
    const page = await browser.newPage();
    await page.setViewportSize({ width: 1440, height: 900 });
    await signIn(page);
    // Agents may not export; the view's export link is the same for a manager, so read it as one.
    const token = await request(server.base).post('/api/tokens').set(auth).send({ name: 'Maria', role: 'manager', teams: [reception], numbers: 'full' }).expect(201);
    await page.close();
    await browser.context.clearCookies();
    const managerPage = await browser.newPage();
    await managerPage.setViewportSize({ width: 1440, height: 900 });
    await managerPage.goto(`${server.base}/`);
    await managerPage.getByRole('tab', { name: 'Token' }).click();
    await managerPage.getByLabel('API token').fill((token.body as { token: string }).token);
    await managerPage.getByRole('button', { name: 'Sign in' }).click();
    await managerPage.locator('li.call').first().waitFor();
    const shown = await managerPage.locator('li.call').evaluateAll((rows: unknown[]) => rows.map((r) => (r as { dataset: { id: string } }).dataset.id));
    const href = await managerPage.getByRole('link', { name: 'CSV' }).getAttribute('href');
    assert.ok(href !== null);
    assert.match(href, /status=open/);
    const file = await managerPage.request.get(`${server.base}${href}`);
    assert.equal(file.status(), 200);
    const rows = parse(await file.body(), { bom: true, columns: true }) as Record<string, string>[];
    assert.deepEqual(new Set(rows.map((r) => r['id'])), new Set(shown), 'the same entries as the view');
    assert.equal(rows.length, shown.length);
    assert.ok(rows.every((r) => r['status'] === 'pending' || r['status'] === 'assigned'), 'the returned call of the week stays out');
    await screenshot(managerPage, 'desk-03-export-view-1440');
    await managerPage.close();
  });

  test('the link of a notification email opens that entry, unfolded, even outside the open view', async () => {
    const page = await browser.newPage();
    await page.setViewportSize({ width: 1440, height: 900 });
    await signIn(page);
    const done = await request(server.base).get('/api/missed-calls').query({ caller: 'Frida Lang' }).set(auth).expect(200);
    const id = (done.body as { items: { id: string }[] }).items[0]?.id ?? '';
    await page.goto(`${server.base}/#/calls?id=${id}`);
    await page.reload();
    const row = page.locator(`li.call[data-id="${id}"]`);
    await row.locator('.call-details').waitFor();
    assert.match(await row.innerText(), /Returned by Ben/);
    assert.match(await row.locator('.call-details').innerText(), /Ben called back: reached/);
    await page.close();
  });

  test('on a 390×844 phone the marks and the actions are there, without sideways scrolling', async () => {
    const page = await browser.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page);
    const late = page.locator('li.call', { hasText: 'Dora Schmidt' });
    await late.locator('.badge.overdue').waitFor();
    await late.getByRole('button', { name: 'Assign…' }).waitFor();
    await late.getByRole('button', { name: 'Later…' }).click();
    await late.getByLabel('Call back at').waitFor();
    const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'));
    assert.ok(overflow <= 0, `no sideways scrolling (${overflow} px)`);
    await screenshot(page, 'desk-04-phone-390');
    await page.close();
    assert.deepEqual(browser.errors, [], 'no console errors');
  });
});
