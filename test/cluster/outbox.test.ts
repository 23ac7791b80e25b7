import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import request from 'supertest';
import { DORA, missedCall, office, startFollowUpApp } from '../notify/follow-up-app.ts';
import { startWebhookReceiver } from '../notify/receivers.ts';
import { NOTIFY_SECRET } from '../notify/follow-up-app.ts';
import { postgresMissing } from '../support/postgres.ts';
import { instancePairs } from './instances.ts';
import { until } from '../support/until.ts';
import { auth } from '../support/office.ts';

const missing = await postgresMissing();

/** A webhook receiver that keeps the first request unanswered until `release()`: a send in flight. */
async function startHoldingReceiver(): Promise<{ url: string; seen: IncomingHttpHeaders[]; release(): void; close(): Promise<void> }> {
  const seen: IncomingHttpHeaders[] = [];
  let held: ServerResponse | null = null;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      seen.push(req.headers);
      if (seen.length === 1) held = res;
      else res.writeHead(200, { Connection: 'close' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`, seen,
    release: () => {
      held?.writeHead(200, { Connection: 'close' }).end('ok');
      held = null;
    },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

describe('the notification outbox on two instances', { skip: missing ?? false }, () => {
  const pair = instancePairs('outbox', (store) => startFollowUpApp({ store }));

  test('two instances running the notification job at once send each message once', async () => {
    const hook = await startWebhookReceiver(NOTIFY_SECRET);
    try {
      // B hears A only when it reads the change log: its tick is built on a view without A's.
      const { a, b, bStore } = await pair(false);
      const { phones } = await office(a, { channels: [{ name: 'Tickets', webhook: hook.url }], targetMinutes: 600 });
      await missedCall(a, phones, DORA, 'c1');
      a.clock.advance(91);
      b.clock.ms = a.clock.ms;
      await bStore.catchUp();
      await Promise.all([a.tick(), b.tick()]);
      await bStore.catchUp();
      await Promise.all([a.tick(), b.tick()]);
      assert.equal(hook.deliveries.length, 1, 'one message, sent once');
      assert.equal(a.store.list('outboxMessages').length, 1, 'composed once');
      assert.equal(b.store.list('outboxMessages')[0]?.status, 'sent');
    } finally {
      await hook.close();
    }
  });

  test('a message being sent by one instance is left alone by the other; after the claim expires (the sender died) it goes again with the same delivery id', async () => {
    const hook = await startHoldingReceiver();
    try {
      const { a, b } = await pair(true);
      const { phones } = await office(a, { channels: [{ name: 'Tickets', webhook: hook.url }], targetMinutes: 600 });
      await missedCall(a, phones, DORA, 'c1');
      a.clock.advance(91);
      const sending = a.tick();
      await until(() => hook.seen.length === 1, 'the first send in flight');
      await until(() => b.store.list('outboxMessages')[0]?.sendingSince !== undefined, 'the claim on B, committed before the send');
      const listed = await request(b.app).get('/api/notify/outbox').set(auth).expect(200);
      assert.equal((listed.body as { messages: { sendingSince: string | null }[] }).messages[0]?.sendingSince, a.clock.now().toISOString(), 'the API shows the send in flight');
      b.clock.ms = a.clock.ms + 60_000;
      assert.equal((await b.tick()).sent, 0, 'a minute later the other instance does not send it again');
      assert.equal(hook.seen.length, 1);
      // Five minutes on, the first sender is taken to be dead: the other sends it, recognisably the same message.
      b.clock.ms = a.clock.ms + 6 * 60_000;
      assert.equal((await b.tick()).sent, 1);
      assert.equal(hook.seen.length, 2);
      assert.equal(hook.seen[1]?.['x-ringback-delivery'], hook.seen[0]?.['x-ringback-delivery'], 'the same delivery id: a receiver can drop the repeat');
      hook.release();
      await sending;
      await until(() => a.store.list('outboxMessages')[0]?.status === 'sent', 'sent, as both instances see it');
      assert.equal(a.store.list('outboxMessages')[0]?.sendingSince, undefined, 'no claim left behind');
    } finally {
      hook.release();
      await hook.close();
    }
  });
});
