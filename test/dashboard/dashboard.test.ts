/**
 * The web dashboard in a real headless browser (Debian's chromium via playwright-core) against the
 * real server process (`npm start`'s entry on loopback): sign in, watch a missed call arrive from
 * a Yealink's action URLs without a reload, mark it returned, and see the phone's own screen say
 * so. Screenshots land in test-output/dashboard/.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import type { Page } from 'playwright-core';
import { WEBHOOK_SECRET } from '../support/app.ts';
import { auth, createPhone, createTeam, fire, type DeskPhone } from '../support/office.ts';
import { spawnServer, type ServerProcess } from '../support/server-process.ts';
import { launchBrowser, screenshot, type Browser } from './browser.ts';
import { deliver, officeWeek, stillWaiting } from './office-history.ts';

const AGENT = { login: 'anna', password: 'reception-desk-42', name: 'Anna' };
const DORA = { remote: 'sip:+4930123456@pbx.example.com', display_remote: '"Dora Schmidt"' };
const HOSTILE_NAME = '<img src=x onerror="window.__pwned=1">Mallory';
const OFFICE_HOURS = { weekly: { 0: [], 1: ['08:00-17:00'], 2: ['08:00-17:00'], 3: ['08:00-17:00'], 4: ['08:00-17:00'], 5: ['08:00-15:00'], 6: [] }, holidays: [] };

let dir: string;
let server: ServerProcess;
let browser: Browser;
let desk: DeskPhone;
let managerToken: string;
let reception: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ringback-dashboard-'));
  // A one-second minimum ring keeps the test quick while a real incoming → missed pair still counts.
  [server, browser] = await Promise.all([
    spawnServer(dir, { RINGBACK_MIN_RING_SECONDS: '1', RINGBACK_WEBHOOK_SECRET: WEBHOOK_SECRET, RINGBACK_TIME_ZONE: 'Europe/Berlin' }),
    launchBrowser(),
  ]);
  const base = server.base;
  reception = await createTeam(base, { name: 'Reception', extensions: ['11', '12'], numbers: ['+49 30 1234500'], timeZone: 'Europe/Berlin', businessHours: OFFICE_HOURS });
  const support = await createTeam(base, { name: 'Support', extensions: ['21', '22'], numbers: ['+49 30 1234600'], timeZone: 'Europe/Berlin', businessHours: OFFICE_HOURS });
  desk = await createPhone(base, { mac: '805ec0aa0011', vendor: 'yealink', model: 'T54W', extension: '11', label: 'Front desk', userName: 'Anna', teamIds: [reception] });
  await createPhone(base, { mac: '805ec0aa0012', vendor: 'yealink', model: 'T46U', extension: '12', label: 'Desk 12', userName: 'Ben', teamIds: [reception] });
  await createPhone(base, { mac: '0004f2aa0021', vendor: 'poly', model: 'VVX 450', extension: '21', label: 'Support 1', userName: 'Chris', teamIds: [support] });
  await request(base).post('/api/users').set(auth).send({ ...AGENT, role: 'agent', teams: [reception] }).expect(201);
  const token = await request(base).post('/api/tokens').set(auth).send({ name: 'Maria (manager)', role: 'manager', teams: [reception, support], numbers: 'full' }).expect(201);
  managerToken = (token.body as { token: string }).token;
  await request(base).post('/api/contacts').set(auth).send({ name: 'Jonas Weber', company: 'Weber Bau GmbH', numbers: ['+49301111100'], vip: true }).expect(201);

  for (const call of officeWeek(new Date())) await deliver(base, WEBHOOK_SECRET, call);
  await deliver(base, WEBHOOK_SECRET, {
    id: 'hostile', caller: '+49301119999', callerName: HOSTILE_NAME, startedAt: new Date(Date.now() - 7_200_000).toISOString(),
    ringSeconds: 20, rang: ['11', '12'], answeredBy: null,
  });
  // Some of the week's misses were called back, so time to callback and outcomes have data.
  const open = await request(base).get('/api/missed-calls').query({ status: 'pending', limit: 100 }).set(auth).expect(200);
  const items = (open.body as { items: { id: string; caller: { name: string } }[] }).items.filter((m) => m.caller.name !== HOSTILE_NAME);
  const outcomes = ['reached', 'voicemail', 'reached', 'no-answer', 'reached', 'wrong-number'];
  for (const [i, m] of items.slice(0, 5).entries()) {
    await request(base).post(`/api/missed-calls/${m.id}/actions`).set(auth).send({ action: 'return', outcome: outcomes[i], actor: i % 2 === 0 ? 'Anna' : 'Ben' }).expect(200);
  }
  for (const call of stillWaiting(new Date())) await deliver(base, WEBHOOK_SECRET, call);
  const berger = await request(base).get('/api/missed-calls').query({ caller: 'Autohaus Berger' }).set(auth).expect(200);
  const bergerId = (berger.body as { items: { id: string }[] }).items[0]?.id ?? '';
  await request(base).post(`/api/missed-calls/${bergerId}/actions`).set(auth).send({ action: 'assign', actor: 'Ben' }).expect(200);
});

after(async () => {
  // The server is stopped while a dashboard still holds its live stream open: shutdown must not wait on it.
  if (server !== undefined) {
    server.child.kill('SIGTERM');
    const code = await Promise.race([server.exited, new Promise<'hung'>((ok) => setTimeout(() => ok('hung'), 10_000))]);
    if (code === 'hung') server.child.kill('SIGKILL');
    assert.equal(code, 0, 'the server stops cleanly with a dashboard connected');
  }
  await browser?.close();
  await rm(dir, { recursive: true, force: true });
});

async function signIn(page: Page, how: { login: string; password: string } | { token: string }): Promise<void> {
  await page.goto(`${server.base}/`);
  if ('token' in how) {
    await page.getByRole('tab', { name: 'Token' }).click();
    await page.getByLabel('API token').fill(how.token);
  } else {
    await page.getByLabel('Login').fill(how.login);
    await page.getByLabel('Password').fill(how.password);
  }
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('header.top').waitFor();
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
}

describe('the web dashboard in a real browser', () => {
  test('the dashboard is served with a strict Content-Security-Policy and no inline script', async () => {
    const r = await fetch(`${server.base}/`);
    assert.equal(r.status, 200);
    const csp = r.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    const html = await r.text();
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'every script is a file');
    assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handlers');
    const chart = await fetch(`${server.base}/assets/vendor/chart.umd.min.js`);
    assert.equal(chart.status, 200);
    assert.match(chart.headers.get('content-type') ?? '', /javascript/);
  });

  test('a receptionist signs in with a password, sees a missed call arrive live, marks it returned, and the phone shows it returned', async () => {
    const page = await browser.newPage();
    await signIn(page, { login: AGENT.login, password: AGENT.password });
    const cookies = await browser.context.cookies(server.base);
    const session = cookies.find((c) => c.name.endsWith('ringback_session'));
    assert.ok(session?.httpOnly, 'the session cookie is HttpOnly');
    assert.equal(session?.sameSite, 'Strict');
    await page.locator('.live-badge[data-status="live"]').waitFor();
    await page.locator('li.call').first().waitFor();
    // Browser-side code is passed as text: this project's TypeScript has no DOM types.
    await page.evaluate('window.stillThisPage = true');

    // The desk phone reports the call as a Yealink does: ringing, then missed.
    const ev = { mac: desk.mac, active_user: '11', call_id: 'live-1', firmware: '108.86.0.20', model: 'SIP-T54W', ...DORA };
    await fire(server.base, desk, 'action_url.incoming_call', ev);
    await new Promise((ok) => setTimeout(ok, 1200));
    await fire(server.base, desk, 'action_url.missed_call', ev);

    const row = page.locator('li.call', { hasText: 'Dora Schmidt' });
    await row.waitFor({ timeout: 10_000 });
    assert.equal(await page.evaluate('window.stillThisPage'), true, 'the call appeared without a reload');
    assert.equal(await row.getAttribute('data-status'), 'pending');
    assert.match(await row.innerText(), /030 123456/, 'the number as dialled in Germany');
    const id = await row.getAttribute('data-id');
    assert.ok(id !== null);
    await screenshot(page, '01-calls-new-call');

    await row.getByRole('button', { name: 'Returned…' }).click();
    await row.getByRole('button', { name: 'Reached' }).click();
    await page.locator('.toast', { hasText: 'Marked returned (Reached)' }).waitFor();
    // The open list drops it (the live update of our own action); the "Returned" view shows who did it.
    await row.waitFor({ state: 'detached', timeout: 10_000 });
    await page.getByLabel('Status').selectOption('returned');
    const returned = page.locator(`li.call[data-id="${id}"]`);
    await returned.waitFor();
    assert.match(await returned.innerText(), /Returned by Anna/);
    await screenshot(page, '02-calls-returned');

    const detail = await request(server.base).get(`/phone/yealink/missed/${encodeURIComponent(id)}`).query({ t: desk.token }).expect(200);
    assert.match(detail.text, /Returned by Anna .*\(reached\)/);
    const list = await request(server.base).get('/phone/yealink/missed').query({ t: desk.token }).expect(200);
    assert.doesNotMatch(list.text, /Dora Schmidt/, 'the phone\'s list no longer offers it');
    await page.close();
  });

  test('caller names are shown as text, never run as markup, and signing out ends the session', async () => {
    // Still signed in as the receptionist: the browser keeps the session cookie across pages.
    const page = await browser.newPage();
    await page.goto(`${server.base}/#/calls`);
    const row = page.locator('li.call', { hasText: 'Mallory' });
    await row.waitFor();
    assert.match(await row.innerText(), /<img src=x onerror=/);
    assert.equal(await row.locator('img').count(), 0);
    assert.equal(await page.evaluate('window.__pwned'), undefined);
    await signOut(page);
    const status = await page.evaluate("fetch('/api/missed-calls').then((r) => r.status)");
    assert.equal(status, 401, 'the old cookie no longer opens the API');
    await page.close();
  });

  test('a manager signs in with a token and the reports page draws its charts from the week\'s calls', async () => {
    const page = await browser.newPage();
    await signIn(page, { token: managerToken });
    await page.getByRole('link', { name: 'Reports' }).click();
    await page.locator('.kpi').first().waitFor();
    await page.getByLabel('Period').selectOption('7d');
    await page.locator('.chart canvas').nth(3).waitFor();
    const calls = await page.locator('.kpi', { hasText: 'Calls' }).first().locator('.kpi-value').innerText();
    assert.ok(Number(calls) >= 40, `the week's calls are counted (${calls})`);
    // Chart.js drew something: a canvas with non-blank pixels.
    const drawn = await page.evaluate(`(() => {
      const c = document.querySelector('.chart canvas');
      const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      return data.some((v, i) => i % 4 === 3 && v > 0);
    })()`);
    assert.ok(drawn, 'the hourly chart has pixels');
    await screenshot(page, '03-reports');

    await page.getByRole('link', { name: 'Phones' }).click();
    await page.locator('table.phones tbody tr').nth(2).waitFor();
    assert.match(await page.locator('tr[data-mac="805ec0aa0011"]').innerText(), /Online/);
    assert.match(await page.locator('tr[data-mac="0004f2aa0021"]').innerText(), /Never seen/);
    await screenshot(page, '04-phones');

    await page.getByRole('link', { name: 'Teams' }).click();
    await page.locator('article.team').nth(1).waitFor();
    await screenshot(page, '05-teams');

    await page.getByRole('link', { name: 'Contacts' }).click();
    await page.locator('li.contact', { hasText: 'Weber Bau GmbH' }).waitFor();
    await screenshot(page, '06-contacts');

    await page.getByRole('link', { name: 'Phone screens' }).click();
    await page.locator('pre.source', { hasText: 'YealinkIPPhone' }).waitFor();
    await page.locator('.display-list li').first().click();
    await page.getByRole('button', { name: 'Open' }).click();
    await page.locator('pre.source', { hasText: 'YealinkIPPhoneTextScreen' }).waitFor();
    await screenshot(page, '07-phone-screen-preview');
    // The vendor picker is the server's registry: another brand's real screen comes from it.
    await page.getByLabel('Vendor').selectOption('cisco');
    await page.locator('pre.source', { hasText: 'CiscoIPPhone' }).waitFor();
    await page.close();
  });

  test('on a phone-sized window every page fits the width and the list keeps its actions', async () => {
    // Still signed in as the manager of the test before, who sees every page.
    const page = await browser.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${server.base}/#/calls`);
    await page.locator('li.call').first().waitFor();
    await page.locator('li.call').first().getByRole('button', { name: 'Returned…' }).waitFor();
    const overflow = async () => Number(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'));
    assert.ok(await overflow() <= 0, 'no sideways scrolling on the call list');
    await screenshot(page, '08-calls-phone-sized');
    await page.goto(`${server.base}/#/reports`);
    await page.locator('.chart canvas').nth(3).waitFor();
    assert.ok(await overflow() <= 0, 'no sideways scrolling on the reports');
    await screenshot(page, '09-reports-phone-sized');
    await page.close();
    assert.deepEqual(browser.errors, [], 'no console errors (a CSP violation would be one)');
  });
});
