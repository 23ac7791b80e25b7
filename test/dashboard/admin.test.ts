/**
 * The admin pages in a real browser (Debian's chromium via playwright-core) against the real server
 * process: a newcomer's path from an empty server to a working phone without curl — create a team
 * with its business hours, add a phone and read (and copy) its settings, add a user, send a test
 * notification to a real loopback webhook receiver, change retention — at 1440×900 and 390×844,
 * with no console errors. Screenshots land in test-output/dashboard/admin-*.png.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import type { Page } from 'playwright-core';
import { ADMIN } from '../support/app.ts';
import { auth } from '../support/office.ts';
import { fillActionUrl, pathOf } from '../support/phone-sim.ts';
import { spawnServer, type ServerProcess } from '../support/server-process.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../notify/receivers.ts';
import { launchBrowser, screenshot as fullPage, type Browser } from './browser.ts';

const NOTIFY_SECRET = 'browser-test-notify-secret-0123';
const WIDE = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

let dir: string;
let server: ServerProcess;
let browser: Browser;
let receiver: WebhookReceiver;
let page: Page;
/** The action URL copied from the first settings sheet (before the token was renewed). */
let copiedUrl = '';

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ringback-admin-ui-'));
  [server, browser, receiver] = await Promise.all([
    spawnServer(dir, { RINGBACK_NOTIFY_WEBHOOK_SECRET: NOTIFY_SECRET, RINGBACK_TIME_ZONE: 'Europe/Berlin' }),
    launchBrowser(),
    startWebhookReceiver(NOTIFY_SECRET),
  ]);
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.base });
  page = await browser.newPage();
  await page.setViewportSize(WIDE);
  page.setDefaultTimeout(10_000);
});

after(async () => {
  if (server !== undefined) {
    server.child.kill('SIGTERM');
    await server.exited;
  }
  await browser?.close();
  await receiver?.close();
  await rm(dir, { recursive: true, force: true });
});

/** A full-page shot from the top, so the sticky header sits where it belongs. */
async function screenshot(p: Page, name: string): Promise<void> {
  await p.evaluate('window.scrollTo(0, 0)');
  await fullPage(p, name);
}

const overflow = async (p: Page) => Number(await p.evaluate('document.documentElement.scrollWidth - window.innerWidth'));

async function open(p: Page, link: string): Promise<void> {
  const menu = p.getByRole('button', { name: 'Menu' });
  if (await menu.isVisible() && !(await p.locator('#nav').isVisible())) await menu.click();
  await p.getByRole('link', { name: link, exact: true }).click();
}

describe('setting a site up from the dashboard, without curl', () => {
  test('the admin signs in with the token the start banner names', async () => {
    const port = new URL(server.base).port;
    const banner = server.output.find((l) => l.startsWith('Dashboard: '));
    assert.match(banner ?? '', new RegExp(`^Dashboard: http://[^/\\s]+:${port}/ +\\(sign in with the admin token\\)$`), 'the banner prints the dashboard URL');
    await page.goto(`${server.base}/`);
    await page.getByRole('tab', { name: 'Token' }).click();
    await page.getByLabel('API token', { exact: true }).fill(ADMIN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('header.top').waitFor();
    await open(page, 'Teams');
    await page.getByText('No teams yet. Create the first one with "New team".').waitFor();
  });

  test('an admin creates a team with its business hours in the week editor, and a time typed wrongly is named', async () => {
    await page.getByRole('button', { name: 'New team' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Reception');
    await page.getByLabel('Extensions', { exact: true }).fill('11, 12');
    await page.getByLabel('Numbers', { exact: true }).fill('+49 30 1234500');
    await page.getByLabel('Time zone', { exact: true }).fill('Europe/Berlin');
    await page.getByLabel(/^Set business hours/).check();
    await page.getByLabel('Monday hours', { exact: true }).fill('8 to half past five');
    await page.getByRole('button', { name: 'Create team' }).click();
    const mondayError = page.locator('[data-field="businessHours.weekly.1"] .field-error');
    await mondayError.waitFor();
    assert.match(await mondayError.innerText(), /^Monday: "8 to half past five" is not a time range: write it as HH:MM-HH:MM, e.g. 08:00-17:00$/);
    await screenshot(page, 'admin-01-team-hours-error');

    // Loose spelling is fine: it is written back as the API's HH:MM-HH:MM.
    await page.getByLabel('Monday hours', { exact: true }).fill('8-12, 13:00–17:30');
    await page.getByRole('button', { name: 'Tuesday to Friday like Monday' }).click();
    await page.getByLabel('Friday hours', { exact: true }).fill('08:00-15:00');
    await page.getByLabel('Missed after ringing at least (seconds)', { exact: true }).fill('8');
    await screenshot(page, 'admin-02-team-editor');
    await page.getByRole('button', { name: 'Create team' }).click();
    const card = page.locator('article.team', { hasText: 'Reception' });
    await card.waitFor();
    assert.match(await card.innerText(), /Mon–Thu 08:00-12:00, 13:00-17:30 · Fri 08:00-15:00/);
    const teams = await request(server.base).get('/api/teams').set(auth).expect(200);
    const team = (teams.body as { items: { name: string; extensions: string[]; policy: object; businessHours: { weekly: Record<string, string[]> } }[] }).items[0];
    assert.deepEqual(team?.extensions, ['11', '12']);
    assert.deepEqual(team?.businessHours.weekly['1'], ['08:00-12:00', '13:00-17:30']);
    assert.deepEqual(team?.businessHours.weekly['6'], []);
    assert.deepEqual(team?.policy, { minRingSeconds: 8 });
    await screenshot(page, 'admin-03-teams');
  });

  test('an admin adds a Yealink and reads the exact settings to enter, copying one that then works from the phone', async () => {
    await open(page, 'Phones');
    await page.getByRole('button', { name: 'Add phone' }).click();
    await page.getByLabel('MAC address', { exact: true }).fill('80:5E:C0:AA:00:11');
    await page.getByLabel('Model', { exact: true }).fill('T54W');
    await page.getByLabel('Label', { exact: true }).fill('Front desk');
    await page.getByLabel('User', { exact: true }).fill('Anna');
    await page.getByLabel('Extension', { exact: true }).fill('11');
    await page.getByLabel('Reception', { exact: true }).check();
    await page.getByRole('button', { name: 'Add phone' }).last().click();
    const sheet = page.locator('section.settings-sheet');
    await sheet.waitFor();
    const row = sheet.locator('.setting-row', { hasText: 'action_url.incoming_call' });
    const url = await row.locator('.setting-value').innerText();
    assert.match(url, new RegExp(`^${server.base}/phone/yealink/event\\?t=[^&]+&e=ringing`));
    assert.match(await sheet.innerText(), /linekey\.1\.type\s+27/);
    assert.match(await sheet.locator('h2').first().innerText(), /· Yealink$/, 'the vendor is named as the server\'s registry names it');
    await row.getByRole('button', { name: /^Copy/ }).click();
    await row.getByRole('button', { name: 'Copied' }).waitFor();
    const copied = String(await page.evaluate('navigator.clipboard.readText()'));
    assert.equal(copied, url);
    copiedUrl = copied;
    await screenshot(page, 'admin-04-phone-settings');

    // The phone, set up with what was copied, reports a call: the server knows it from then on.
    const r = await request(server.base).get(pathOf(fillActionUrl(copied, { active_user: '11', remote: 'sip:+4930123456@pbx', call_id: 'c1', mac: '805ec0aa0011', firmware: '108.86.0.20' })));
    assert.equal(r.status, 200);
    const phones = await request(server.base).get('/api/phones').set(auth).expect(200);
    assert.equal((phones.body as { items: { lastSeen: { via: string } | null }[] }).items[0]?.lastSeen?.via, 'event');
  });

  test('a destructive action asks first, and Cancel keeps the phone', async () => {
    await page.getByRole('button', { name: 'Close' }).first().click().catch(() => undefined);
    await page.reload();
    await page.getByRole('button', { name: 'Manage Front desk' }).click();
    await page.getByRole('button', { name: 'Delete phone' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete the phone Front desk?' });
    await dialog.waitFor();
    await screenshot(page, 'admin-05-confirm');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    await request(server.base).get('/api/phones/805ec0aa0011').set(auth).expect(200);
  });

  test('a new token replaces the phone\'s URLs after a confirmation, and phones come in from a CSV', async () => {
    const before = await request(server.base).get('/api/phones/805ec0aa0011').set(auth).expect(200);
    assert.ok(before.body);
    await page.getByRole('button', { name: 'New token and settings' }).click();
    await page.getByRole('dialog', { name: 'Give Front desk a new token?' }).getByRole('button', { name: 'New token' }).click();
    const screenUrl = await page.locator('section.settings-sheet .setting-row', { hasText: 'linekey.1.value' }).locator('.setting-value').innerText();
    await request(server.base).get(new URL(screenUrl).pathname + new URL(screenUrl).search).expect(200);
    assert.equal((await request(server.base).get(pathOf(fillActionUrl(copiedUrl, { active_user: '11' })))).status, 403, 'the old URL stops working');

    await page.getByRole('button', { name: 'Import CSV' }).click();
    await page.getByLabel('or paste it here', { exact: true }).fill('mac,vendor,model,label,user_name,extension,teams\n805ec0aa0012,yealink,T46U,Desk 12,Ben,12,Reception\n0004f2aa00zz,poly,VVX 450,Broken,,21,Reception\n');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const report = page.locator('.import-report');
    await report.getByText('1 created, 0 updated, 0 unchanged, 1 rejected.').waitFor();
    assert.match(await report.innerText(), /Line 3[\s\S]*MAC/i);
    await page.locator('tr[data-mac="805ec0aa0012"]').waitFor();
    await screenshot(page, 'admin-06a-phone-import');
  });

  test('an admin adds a dashboard user, who can then sign in', async () => {
    await open(page, 'Users & tokens');
    await page.getByRole('button', { name: 'Add user' }).click();
    await page.getByLabel('Login', { exact: true }).fill('anna');
    await page.getByLabel('Name', { exact: true }).fill('Anna');
    await page.getByLabel('Password', { exact: true }).fill('reception-desk-42');
    await page.getByLabel('Role', { exact: true }).selectOption('agent');
    await page.getByLabel('Reception', { exact: true }).check();
    await page.getByRole('button', { name: 'Add user' }).last().click();
    const row = page.locator('tr[data-login="anna"]');
    await row.waitFor();
    assert.match(await row.innerText(), /Anna[\s\S]*agent[\s\S]*Reception/);
    await request(server.base).post('/api/session').send({ login: 'anna', password: 'reception-desk-42' }).expect(200);
    await screenshot(page, 'admin-06-users');
  });

  test('an admin sets a team\'s notifications and a test shows what the receiver answered', async () => {
    await open(page, 'Notifications');
    await page.locator('.notify-form').waitFor();
    const channels = page.locator('fieldset.recipient-list[data-field="channels"]');
    await channels.getByRole('button', { name: 'Add' }).click();
    await channels.getByLabel('Name', { exact: true }).fill('Helpdesk');
    await channels.getByLabel('Webhook URL', { exact: true }).fill(receiver.url);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('.toast', { hasText: 'Notification settings saved' }).waitFor();
    await page.getByRole('button', { name: 'Send a test' }).click();
    const result = page.locator('.test-results li.result');
    await result.waitFor();
    assert.match(await result.innerText(), /Delivered[\s\S]*Helpdesk[\s\S]*Answer: HTTP 200: ok/);
    assert.equal(receiver.deliveries.length, 1);
    assert.ok(receiver.deliveries[0]?.signed, 'the test is signed with the notification secret');
    assert.equal(receiver.deliveries[0]?.payload.summary, 'Test message from Ringback for Reception');
    // The saved URL is shown masked: its path may hold the receiver's secret.
    assert.ok(!(await page.content()).includes('s3cret-path'));
    await screenshot(page, 'admin-07-notify-test');
  });

  test('an admin changes retention and saves an SMTP server; the page says where each value comes from and never shows the password', async () => {
    await open(page, 'Settings');
    const days = page.getByLabel('Keep call data (days)', { exact: true });
    await days.waitFor();
    assert.match(await page.locator('.setting[data-key="retentionDays"]').innerText(), /default/);
    assert.match(await page.locator('.setting[data-key="ntpServers"]').innerText(), /from the environment\s+RINGBACK_NTP_SERVERS/);
    await days.fill('30');
    await page.getByLabel('SMTP server', { exact: true }).fill('smtp://mailer:Very-Secret-77@127.0.0.1:2525');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.locator('.toast', { hasText: 'Settings saved and in effect' }).waitFor();
    await page.locator('[data-retention="30"]').waitFor();
    assert.match(await page.locator('.setting[data-key="retentionDays"]').innerText(), /saved here/);
    assert.match(await page.locator('.setting[data-key="smtpUrl"]').innerText(), /saved here/);
    assert.equal(await page.getByLabel('SMTP server', { exact: true }).inputValue(), '');
    assert.ok(!(await page.content()).includes('Very-Secret-77'));
    const r = await request(server.base).get('/api/retention').set(auth).expect(200);
    assert.equal((r.body as { retentionDays: number }).retentionDays, 30, 'in effect without a restart');
    await screenshot(page, 'admin-08-settings');
  });

  test('the PBX sources show their live state and the audit trail filters and exports what was done', async () => {
    await open(page, 'PBX sources');
    await page.getByRole('button', { name: 'Add PBX' }).click();
    await page.getByLabel('Host', { exact: true }).fill('127.0.0.1');
    await page.getByLabel('Port', { exact: true }).fill('1');
    await page.getByLabel('AMI user', { exact: true }).fill('ringback');
    await page.getByLabel('AMI secret', { exact: true }).fill('ami-secret-1');
    await page.getByRole('button', { name: 'Add PBX' }).last().click();
    const card = page.locator('article.pbx');
    await card.waitFor();
    assert.match(await card.innerText(), /127\.0\.0\.1:1[\s\S]*(Connecting|Disconnected)/);
    await screenshot(page, 'admin-09-pbx');

    await open(page, 'Audit trail');
    await page.getByLabel('Action', { exact: true }).fill('settings');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.locator('tr[data-action="settings.update"]').first().waitFor();
    // The unfiltered trail also holds settings.update rows: wait for the filtered answer to replace it.
    await page.locator('tbody tr[data-action]:not([data-action="settings.update"])').first().waitFor({ state: 'detached', timeout: 15_000 });
    assert.ok(await page.locator('tbody tr[data-action="settings.update"]').count() > 0, 'the filtered trail lists the settings changes');
    const href = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
    assert.match(href ?? '', /action=settings/);
    const csv = String(await page.evaluate(`fetch(${JSON.stringify(href)}).then((r) => r.text())`));
    assert.match(csv, /settings\.update/);
    assert.doesNotMatch(csv, /team\.create|missed-call/);
    await screenshot(page, 'admin-10-audit');
  });

  test('on a 390-px phone the pages fold behind a menu button and every admin page fits the width', async () => {
    await page.setViewportSize(PHONE);
    await page.goto(`${server.base}/#/teams`);
    await page.locator('article.team').waitFor();
    const nav = page.locator('#nav');
    assert.equal(await nav.isVisible(), false, 'the page list is folded');
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('link', { name: 'Settings', exact: true }).waitFor();
    await screenshot(page, 'admin-11-phone-menu');
    for (const [link, ready, shot] of [
      ['Teams', 'article.team', 'admin-12-phone-teams'],
      ['Phones', 'tr[data-mac]', 'admin-13-phone-phones'],
      ['Users & tokens', 'tr[data-login="anna"]', 'admin-14-phone-users'],
      ['Notifications', '.notify-form', 'admin-15-phone-notify'],
      ['Settings', '.setting[data-key="smtpUrl"]', 'admin-16-phone-settings'],
      ['PBX sources', 'article.pbx', 'admin-17-phone-pbx'],
      ['Audit trail', 'tr[data-action]', 'admin-18-phone-audit'],
    ] as const) {
      await open(page, link);
      await page.locator(ready).first().waitFor();
      assert.equal(await nav.isVisible(), false, `choosing ${link} folds the menu again`);
      assert.ok(await overflow(page) <= 0, `no sideways scrolling on ${link}`);
      await screenshot(page, shot);
    }
    await open(page, 'Teams');
    await page.getByRole('button', { name: 'Edit Reception' }).click();
    await page.getByLabel('Monday hours', { exact: true }).waitFor();
    assert.ok(await overflow(page) <= 0, 'the week editor fits');
    await screenshot(page, 'admin-19-phone-week-editor');
  });

  test('a manager sees the phones and teams of their teams, but no admin page and no admin button', async () => {
    const teams = await request(server.base).get('/api/teams').set(auth).expect(200);
    const reception = (teams.body as { items: { id: string }[] }).items[0]?.id ?? '';
    const made = await request(server.base).post('/api/tokens').set(auth).send({ name: 'Maria', role: 'manager', teams: [reception] }).expect(201);
    await page.setViewportSize(WIDE);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('tab', { name: 'Token' }).click();
    await page.getByLabel('API token', { exact: true }).fill((made.body as { token: string }).token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('header.top').waitFor();
    await open(page, 'Phones');
    await page.locator('tr[data-mac="805ec0aa0011"]').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Add phone' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: /^Manage/ }).count(), 0);
    await open(page, 'Teams');
    await page.locator('article.team').waitFor();
    assert.equal(await page.getByRole('button', { name: 'New team' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: /^Edit/ }).count(), 0);
    for (const link of ['Users & tokens', 'Notifications', 'PBX sources', 'Settings', 'Audit trail']) {
      assert.equal(await page.getByRole('link', { name: link, exact: true }).count(), 0, `no ${link} for a manager`);
    }
    await screenshot(page, 'admin-20-manager-phones');
    assert.deepEqual(browser.errors, [], 'no console errors (a CSP violation would be one)');
  });
});
