import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ADMIN } from '../support/app.ts';
import { fillActionUrl } from '../support/phone-sim.ts';
import { spawnServer } from '../support/server-process.ts';
import { NOTIFY_SECRET } from './follow-up-app.ts';
import { startWebhookReceiver } from './receivers.ts';

const headers = { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' };

async function api<T>(base: string, path: string, method = 'GET', body?: object): Promise<T> {
  const r = await fetch(`${base}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  if (!r.ok) assert.fail(`${method} ${path}: ${r.status} ${await r.text()}`);
  return (await r.json()) as T;
}

test('the server runs the notify, retention and phone-health jobs, delivers a settled miss by itself and stops cleanly', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ringback-follow-up-'));
  const hook = await startWebhookReceiver(NOTIFY_SECRET);
  try {
    const server = await spawnServer(dir, {
      RINGBACK_NOTIFY_SCHEDULE: '* * * * * *', RINGBACK_NOTIFY_WEBHOOK_SECRET: NOTIFY_SECRET, RINGBACK_CORRELATION_WINDOW: '5',
      RINGBACK_MIN_RING_SECONDS: '0', RINGBACK_RETENTION_DAYS: '14', RINGBACK_NOTIFY_ADMINS: 'ops@example.com',
    });
    try {
      const team = await api<{ id: string }>(server.base, '/api/teams', 'POST', { name: 'Reception', extensions: ['11'] });
      const phone = await api<{ urls: { events: Record<string, string> } }>(server.base, '/api/phones', 'POST',
        { mac: '805ec0000011', vendor: 'yealink', extension: '11', teamIds: [team.id] });
      await api(server.base, `/api/teams/${team.id}/notify`, 'PUT', { channels: [{ name: 'Tickets', webhook: hook.url }] });
      const values = { mac: '805ec0000011', active_user: '11', call_id: '1', remote: 'sip:+4930123456@pbx', display_remote: '"Dora"' };
      for (const e of ['action_url.incoming_call', 'action_url.missed_call']) {
        const r = await fetch(fillActionUrl(phone.urls.events[e]!.replace(/^https?:\/\/[^/]+/, server.base), values));
        assert.equal(r.status, 200);
      }
      await hook.arrived(1); // settles after 5 s; the every-second tick sends it
      assert.ok(hook.deliveries[0]?.signed);
      assert.equal(hook.deliveries[0]?.payload.summary, 'Missed call for Reception from Dora (+4930123456)');

      const jobs = await api<{ items: { name: string; nextRun: string | null }[] }>(server.base, '/api/jobs');
      assert.deepEqual(jobs.items.map((j) => j.name).sort(), ['clock-check', 'notify', 'phone-health', 'retention']);
      assert.ok(jobs.items.every((j) => j.nextRun !== null));
      const retention = await api<{ retentionDays: number; oldestKeptDay: string; nextRun: string }>(server.base, '/api/retention');
      assert.equal(retention.retentionDays, 14);
      assert.equal(retention.oldestKeptDay, new Date().toISOString().slice(0, 10));
      assert.match(retention.nextRun, /T03:17:00\.000Z$/);
      const health = await api<{ phones: { mac: string; state: string }[] }>(server.base, '/api/health/phones');
      assert.deepEqual(health.phones.map((p) => [p.mac, p.state]), [['805ec0000011', 'online']]);
    } finally {
      server.child.kill('SIGTERM');
      assert.equal(await server.exited, 0, `clean shutdown:\n${server.output.join('\n')}`);
    }
    assert.ok(!server.output.join('\n').includes(NOTIFY_SECRET), 'the webhook secret is never logged');
    assert.equal(hook.deliveries.length, 1);
  } finally {
    await hook.close();
    await rm(dir, { recursive: true, force: true });
  }
});
