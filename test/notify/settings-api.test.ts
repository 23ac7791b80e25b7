import assert from 'node:assert/strict';
import { test } from 'node:test';
import request from 'supertest';
import { loadConfig } from '../../src/config.ts';
import { auth, createTeam } from '../support/office.ts';
import { startFollowUpApp } from './follow-up-app.ts';

const HOOK = 'https://hooks.chat.example.com/services/T000/B000/XXXXSECRET';

test("a team's notify settings are validated, stored, shown with webhook URLs masked, and keep the URL when it is sent back masked", async () => {
  const t = await startFollowUpApp();
  try {
    const team = await createTeam(t.app, { name: 'Reception', extensions: ['11'] });
    const defaults = await request(t.app).get(`/api/teams/${team}/notify`).set(auth).expect(200);
    assert.deepEqual(defaults.body, {
      configured: false, teamId: team, targetMinutes: 30, stepMinutes: 30, channels: [], members: [], lead: null, manager: null,
      windowMinutes: 10, quietHours: null, updatedAt: null,
    });
    const put = await request(t.app).put(`/api/teams/${team}/notify`).set(auth).send({
      targetMinutes: 45, channels: [{ name: 'Chat', webhook: HOOK }], lead: { name: 'Lena', email: 'lena@example.com' }, quietHours: '20:00-07:00',
    }).expect(200);
    const shown = put.body as { stepMinutes: number; channels: { webhook: string }[]; quietHours: string };
    assert.equal(shown.stepMinutes, 45, 'the step interval defaults to the target');
    assert.equal(shown.quietHours, '20:00-07:00');
    assert.equal(shown.channels[0]?.webhook, 'https://hooks.chat.example.com/…');
    assert.doesNotMatch(JSON.stringify(put.body), /SECRET/);

    // Editing another field and sending the masked URL back keeps the real one.
    const again = await request(t.app).get(`/api/teams/${team}/notify`).set(auth).expect(200);
    const { configured: _c, teamId: _t, updatedAt: _u, ...body } = again.body as Record<string, unknown>;
    await request(t.app).put(`/api/teams/${team}/notify`).set(auth).send({ ...body, targetMinutes: 20 }).expect(200);
    assert.equal(t.notifier.settings(team)?.channels[0]?.webhook, HOOK);
    assert.equal(t.notifier.settings(team)?.targetMinutes, 20);

    const bad = await request(t.app).put(`/api/teams/${team}/notify`).set(auth)
      .send({ channels: [{ name: 'x' }], lead: { name: 'L', email: 'not-an-email' }, quietHours: '8-17', targetMinutes: 0 }).expect(400);
    const message = (bad.body as { error: { message: string } }).error.message;
    for (const field of ['channels.0', 'lead.email', 'quietHours', 'targetMinutes']) assert.match(message, new RegExp(field.replace('.', '\\.')));
    await request(t.app).put('/api/teams/nope/notify').set(auth).send({}).expect(404);
    await request(t.app).delete(`/api/teams/${team}/notify`).set(auth).expect(204);
    await request(t.app).delete(`/api/teams/${team}/notify`).set(auth).expect(404);
  } finally {
    await t.close();
  }
});

test('the follow-up variables are read with defaults, and a bad value is named without echoing secrets', () => {
  const ok = loadConfig({});
  assert.ok(ok.ok);
  const f = ok.config.followUp;
  assert.deepEqual([f.retentionDays, f.offlineMinutes, f.windowMinutes, f.callbackTargetMinutes, f.escalationStepMinutes, f.smtpUrl, f.quietHours, f.admins],
    [90, 180, 10, 60, 60, null, null, []]);
  const set = loadConfig({
    RINGBACK_RETENTION_DAYS: '30', RINGBACK_NOTIFY_ADMINS: 'ops@example.com, https://chat.example.com/hook', RINGBACK_NOTIFY_QUIET_HOURS: '21:00-06:30',
    RINGBACK_SMTP_URL: 'smtps://ringback:pw@mail.example.com:465', RINGBACK_CALLBACK_TARGET_MINUTES: '20',
  });
  assert.ok(set.ok);
  assert.deepEqual(set.config.followUp.admins, [{ name: 'Ringback admins', email: 'ops@example.com' }, { name: 'Ringback admins', webhook: 'https://chat.example.com/hook' }]);
  assert.deepEqual(set.config.followUp.quietHours, { from: '21:00', to: '06:30' });
  assert.equal(set.config.followUp.escalationStepMinutes, 20);
  const bad = loadConfig({
    RINGBACK_SMTP_URL: 'http://user:hunter2secret@mail', RINGBACK_NOTIFY_ADMINS: 'ops, https://x.example.com/t0ken',
    RINGBACK_RETENTION_DAYS: '0', RINGBACK_NOTIFY_QUIET_HOURS: 'night', RINGBACK_NOTIFY_WEBHOOK_SECRET: 'short',
  });
  assert.ok(!bad.ok);
  const text = bad.errors.join('\n');
  for (const name of ['RINGBACK_SMTP_URL', 'RINGBACK_NOTIFY_ADMINS', 'RINGBACK_RETENTION_DAYS', 'RINGBACK_NOTIFY_QUIET_HOURS', 'RINGBACK_NOTIFY_WEBHOOK_SECRET']) {
    assert.match(text, new RegExp(`${name}: `));
  }
  assert.doesNotMatch(text, /hunter2secret|t0ken|short/);
});
