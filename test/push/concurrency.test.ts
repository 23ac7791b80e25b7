import assert from 'node:assert/strict';
import { test } from 'node:test';
import request from 'supertest';
import { auth, createPhone } from '../support/office.ts';
import { startEmulator } from './emulator.ts';
import { SECRET, startPushOffice } from './office.ts';

test('pushes are bounded in concurrency: five hung phones get two pushes at a time, each given up at the timeout', async () => {
  const phones = await Promise.all(Array.from({ length: 5 }, () => startEmulator({ vendor: 'yealink', password: SECRET, hang: true })));
  const office = await startPushOffice({ RINGBACK_PUSH_CONCURRENCY: '2', RINGBACK_PUSH_TIMEOUT_MS: '4000' });
  try {
    for (const [i, emu] of phones.entries()) {
      await createPhone(office.t.app, { mac: `805ec00001${String(i).padStart(2, '0')}`, vendor: 'yealink', extension: '12', teamIds: [office.team], push: { address: emu.address, password: SECRET } });
    }
    await office.miss('+4930777777');
    office.settle();
    const reached = () => phones.reduce((n, e) => n + e.requests, 0);
    await Promise.race(phones.map((e) => e.waitFor(() => reached() >= 2, 'two pushes in flight')));
    assert.equal(reached(), 2, 'the other three wait for a free slot');
    await office.t.services.push?.idle();
    assert.deepEqual(phones.map((e) => e.requests), [1, 1, 1, 1, 1], 'every phone was tried once, none twice');
    const list = (await request(office.t.app).get('/api/phones').set(auth).expect(200)).body as { items: { push: { state: string; error: string | null } }[] };
    assert.equal(list.items.filter((p) => p.push.state === 'unreachable' && p.push.error === 'timed out').length, 5);
  } finally {
    await office.close();
    await Promise.all(phones.map((e) => e.close()));
  }
});
