/**
 * Server settings from the dashboard's API (issue 15 item 2): kept in the store beside the
 * environment, the environment winning; secrets write-only; changes audited and applied at once
 * (SMTP, retention, PBX webhook secret); admins only. Real store in a temp dir, real HTTP, a real
 * loopback webhook receiver and SMTP server for the "send a test" button.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import request from 'supertest';
import { signWebhook } from '../../src/pbx/webhook.ts';
import type { Settings } from '../../src/services/settings.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { auth, createTeam } from '../support/office.ts';
import { startSmtpSink, startWebhookReceiver } from '../notify/receivers.ts';

const NOTIFY_SECRET = 'notify-secret-for-the-settings-test';
const SMTP_PASSWORD = 's3cret-smtp-Pa55';
const PBX_SECRET = 'pbx-webhook-secret-from-the-dashboard';

type View = { key: string; source: string; value: string | null; set: boolean; secret: boolean };

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** The app as main.ts builds it (src/compose.ts): settings from the store over `env`, follow-up services, live wiring. */
async function start(env: Record<string, string>, dir?: string): Promise<TestApp & { settings: Settings }> {
  const dataDir = dir ?? await mkdtemp(join(tmpdir(), 'ringback-settings-'));
  if (dir === undefined) dirs.push(dataDir);
  // No PBX webhook secret in the environment: the dashboard's saved one is the one in force.
  const t = await startTestApp({ dir: dataDir, env: { RINGBACK_WEBHOOK_SECRET: undefined, RINGBACK_NOTIFY_WEBHOOK_SECRET: NOTIFY_SECRET, RINGBACK_NTP_SERVERS: '', ...env } });
  return { ...t, settings: t.services.settings };
}

function put(t: TestApp, values: Record<string, string | null>, as: Record<string, string> = auth) {
  return request(t.app).put('/api/settings').set(as).send({ values });
}

function item(body: unknown, key: string): View {
  const found = (body as { items: View[] }).items.find((i) => i.key === key);
  assert.ok(found, `setting ${key} is listed`);
  return found;
}

describe('server settings kept in the data dir', () => {
  test('each setting says whether its value comes from the environment, a saved value or the default', async () => {
    const t = await start({ RINGBACK_RETENTION_DAYS: '45' });
    try {
      await put(t, { smtpFrom: 'Praxis <praxis@example.com>' }).expect(200);
      const r = await request(t.app).get('/api/settings').set(auth).expect(200);
      assert.equal(item(r.body, 'retentionDays').source, 'env');
      assert.equal(item(r.body, 'retentionDays').value, '45');
      assert.equal(item(r.body, 'smtpFrom').source, 'saved');
      assert.equal(item(r.body, 'smtpFrom').value, 'Praxis <praxis@example.com>');
      assert.equal(item(r.body, 'smtpUrl').source, 'default');
      assert.equal(item(r.body, 'smtpUrl').set, false);
      assert.equal(item(r.body, 'ntpServers').source, 'env', 'an empty RINGBACK_NTP_SERVERS is a value (no check)');
    } finally {
      await t.close();
    }
  });

  test('the environment wins: a setting it sets cannot be saved from the dashboard', async () => {
    const t = await start({ RINGBACK_RETENTION_DAYS: '45' });
    try {
      const r = await put(t, { retentionDays: '30' }).expect(409);
      assert.match((r.body as { error: { message: string } }).error.message, /retentionDays: set by RINGBACK_RETENTION_DAYS in the environment/);
      assert.equal(t.settings.config().followUp.retentionDays, 45);
    } finally {
      await t.close();
    }
  });

  test('a saved value is checked like the environment variable and the error names the field and what it expects', async () => {
    const t = await start({});
    try {
      const r = await put(t, { retentionDays: 'ninety' }).expect(400);
      assert.equal((r.body as { error: { message: string } }).error.message, 'retentionDays: expected a whole number from 1 to 36500, got "ninety"');
      const pw = await put(t, { provisionPassword: 'short' }).expect(400);
      assert.match((pw.body as { error: { message: string } }).error.message, /^provisionPassword: expected 12-128 characters/);
      const pair = await put(t, { provisionUser: 'phones' }).expect(400);
      assert.match((pair.body as { error: { message: string } }).error.message, /provisionUser: set RINGBACK_PROVISION_PASSWORD too/);
      await put(t, { nonsense: 'x' }).expect(400);
      const header = await put(t, { smtpFrom: 'Ringback <r@example.com>\r\nBcc: everyone@example.com' }).expect(400);
      assert.match((header.body as { error: { message: string } }).error.message, /^smtpFrom: expected one line/);
      await put(t, { smtpFrom: 'x'.repeat(5000) }).expect(400);
      await request(t.app).put('/api/settings').set(auth).send({ values: { retentionDays: 30 } }).expect(400);
      await request(t.app).put('/api/settings').set(auth).send({ values: ['retentionDays'] }).expect(400);
      await request(t.app).put('/api/settings').set(auth).send({ retentionDays: '3' }).expect(400);
      assert.equal(t.store.list('settings').length, 0, 'nothing refused was kept');
    } finally {
      await t.close();
    }
  });

  test('saved settings survive a restart: a plain start after a reboot keeps email and provisioning on', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ringback-settings-'));
    dirs.push(dir);
    const first = await start({}, dir);
    await put(first, { provisionUser: 'phones', provisionPassword: 'Provision-Pass-2026', smtpUrl: 'smtp://mail:pw@127.0.0.1:2525' }).expect(200);
    await first.close();
    const again = await start({}, dir);
    try {
      const c = again.settings.config();
      assert.deepEqual(c.provision.credentials, { user: 'phones', password: 'Provision-Pass-2026' });
      assert.equal(c.followUp.smtpUrl, 'smtp://mail:pw@127.0.0.1:2525');
      // Forgetting a saved value brings the default back.
      const r = await put(again, { smtpUrl: null }).expect(200);
      assert.equal(item(r.body, 'smtpUrl').source, 'default');
      assert.equal(again.settings.config().followUp.smtpUrl, null);
    } finally {
      await again.close();
    }
  });

  test('secrets are write-only: the API and the audit trail say they are set, never what they are', async () => {
    const t = await start({});
    try {
      const smtp = `smtp://mailer:${SMTP_PASSWORD}@127.0.0.1:2525`;
      const r = await put(t, { smtpUrl: smtp, provisionUser: 'phones', provisionPassword: 'Provision-Pass-2026', webhookSecret: PBX_SECRET }).expect(200);
      assert.deepEqual((r.body as { restartNeeded: string[] }).restartNeeded.sort(), ['provisionPassword', 'provisionUser']);
      const read = await request(t.app).get('/api/settings').set(auth).expect(200);
      for (const key of ['smtpUrl', 'provisionPassword', 'webhookSecret']) {
        assert.equal(item(read.body, key).value, null);
        assert.equal(item(read.body, key).set, true);
        assert.equal(item(read.body, key).source, 'saved');
      }
      const audit = await request(t.app).get('/api/audit').query({ action: 'settings.update' }).set(auth).expect(200);
      const everything = JSON.stringify([r.body, read.body, audit.body]);
      for (const secret of [SMTP_PASSWORD, 'Provision-Pass-2026', PBX_SECRET]) assert.ok(!everything.includes(secret), 'no secret in any answer');
      const entry = (audit.body as { items: { details: { keys: string } }[] }).items[0];
      assert.equal(entry?.details.keys, 'smtpUrl,provisionUser,provisionPassword,webhookSecret');
      assert.ok(!t.logs.join('').includes(SMTP_PASSWORD), 'not in the logs either');
    } finally {
      await t.close();
    }
  });

  test('retention and the PBX webhook secret take effect at once, without a restart', async () => {
    const t = await start({});
    try {
      assert.equal((await request(t.app).get('/api/retention').set(auth).expect(200)).body.retentionDays, 90);
      await put(t, { retentionDays: '14' }).expect(200);
      assert.equal((await request(t.app).get('/api/retention').set(auth).expect(200)).body.retentionDays, 14);

      const started = t.clock.now().getTime();
      const body = JSON.stringify({
        id: 'pbx-1', caller: '+4930123456', startedAt: new Date(started - 60_000).toISOString(), endedAt: new Date(started - 30_000).toISOString(),
        rang: ['11'], answeredBy: null,
      });
      const send = () => {
        const ts = String(Math.floor(t.clock.now().getTime() / 1000));
        return request(t.app).post('/pbx/webhook').set('Content-Type', 'application/json').set('X-Ringback-Timestamp', ts)
          .set('X-Ringback-Signature', signWebhook(PBX_SECRET, ts, body)).send(body);
      };
      await send().expect(404);
      await put(t, { webhookSecret: PBX_SECRET }).expect(200);
      await send().expect(200);
    } finally {
      await t.close();
    }
  });

  test('"send a test" reaches each of a team\'s recipients and shows what the receiver answered', async () => {
    const receiver = await startWebhookReceiver(NOTIFY_SECRET);
    const failing = await startWebhookReceiver(NOTIFY_SECRET);
    const smtp = await startSmtpSink('mailer', SMTP_PASSWORD);
    const t = await start({});
    try {
      const team = await createTeam(t.app, { name: 'Reception', extensions: ['11'] });
      failing.answers.push(500);
      await request(t.app).put(`/api/teams/${team}/notify`).set(auth).send({
        channels: [{ name: 'Helpdesk', webhook: receiver.url }, { name: 'Broken hook', webhook: failing.url }],
        lead: { name: 'Lena', email: 'lena@example.com' },
      }).expect(200);
      const before = await request(t.app).post(`/api/teams/${team}/notify/test`).set(auth).expect(200);
      type Result = { name: string; channel: string; to: string; ok: boolean; answer: string };
      const results = (before.body as { results: Result[] }).results;
      const byName = (n: string) => results.find((r) => r.name === n);
      assert.deepEqual(byName('Helpdesk'), { name: 'Helpdesk', channel: 'webhook', to: receiver.url.replace(/\/hooks.*/, '/…'), ok: true, answer: 'HTTP 200: ok' });
      assert.equal(byName('Broken hook')?.ok, false);
      assert.match(byName('Broken hook')?.answer ?? '', /answered HTTP 500: try again$/);
      assert.equal(byName('Lena')?.ok, false);
      assert.match(byName('Lena')?.answer ?? '', /email is not set up/);
      assert.equal(receiver.deliveries.length, 1);
      assert.ok(receiver.deliveries[0]?.signed, 'signed like every notification');
      assert.equal(receiver.deliveries[0]?.payload.items[0]?.kind, 'test');

      // SMTP saved from the dashboard is used at once.
      await put(t, { smtpUrl: smtp.url, smtpFrom: 'Praxis <praxis@example.com>' }).expect(200);
      const again = await request(t.app).post(`/api/teams/${team}/notify/test`).set(auth).expect(200);
      const lena = (again.body as { results: Result[] }).results.find((r) => r.name === 'Lena');
      assert.equal(lena?.ok, true);
      assert.match(lena?.answer ?? '', /^250/);
      assert.equal(smtp.mails[0]?.subject, 'Test message from Ringback for Reception');
      assert.deepEqual(smtp.envelopes[0], ['lena@example.com']);
      assert.equal(t.store.list('outboxMessages').length, 0, 'a test is never queued');
      const audit = await request(t.app).get('/api/audit').query({ action: 'notify.test' }).set(auth).expect(200);
      assert.equal((audit.body as { items: unknown[] }).items.length, 2);
    } finally {
      await t.close();
      await Promise.all([receiver.close(), failing.close(), smtp.close()]);
    }
  });

  test('a team without recipients is told what to set up before a test can go out', async () => {
    const t = await start({});
    try {
      const team = await createTeam(t.app, { name: 'Support', extensions: ['21'] });
      const r = await request(t.app).post(`/api/teams/${team}/notify/test`).set(auth).expect(409);
      assert.match((r.body as { error: { message: string } }).error.message, /no recipients yet/);
      await request(t.app).post('/api/teams/nope/notify/test').set(auth).expect(404);
    } finally {
      await t.close();
    }
  });

  test('managers and agents can neither read nor change server settings, nor send tests', async () => {
    const t = await start({});
    try {
      const team = await createTeam(t.app, { name: 'Reception', extensions: ['11'] });
      for (const role of ['manager', 'agent']) {
        const made = await request(t.app).post('/api/tokens').set(auth).send({ name: role, role, teams: [team] }).expect(201);
        const as = { Authorization: `Bearer ${(made.body as { token: string }).token}` };
        await request(t.app).get('/api/settings').set(as).expect(403);
        await put(t, { retentionDays: '1' }, as).expect(403);
        await request(t.app).post(`/api/teams/${team}/notify/test`).set(as).expect(403);
      }
      assert.equal(t.settings.config().followUp.retentionDays, 90);
    } finally {
      await t.close();
    }
  });
});
