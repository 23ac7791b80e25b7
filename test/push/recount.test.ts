import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createPushService } from '../../src/push/service.ts';
import { PUSH_DEFAULTS } from '../../src/push/types.ts';
import { openStore } from '../../src/store/embedded/open-store.ts';
import type { Change, Store } from '../../src/store/types.ts';
import { Clock } from '../support/app.ts';
import { missed, phone, team, tempDir } from '../store/fixtures.ts';
import { ManualScheduler } from './manual-scheduler.ts';

const T0 = Date.parse('2026-07-01T09:00:00.000Z');
const iso = (s: number): string => new Date(T0 + s * 1000).toISOString();

test('events whose entries have not settled do not make a phone recount every open entry; the screen is worked out when one settles', async () => {
  const { dir, done } = await tempDir();
  const real = await openStore({ dir });
  let recounts = 0;
  // The real store, counting how often the open entries are listed (a phone's screen is worked out from them).
  const store = new Proxy(real, {
    get(target, key) {
      if (key === 'openMissed') return (t: string) => { recounts += 1; return target.openMissed(t); };
      const v = Reflect.get(target, key, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  }) as Store;
  const clock = new Clock();
  clock.ms = T0;
  const scheduler = new ManualScheduler(clock);
  const push = createPushService({
    store, config: { ...PUSH_DEFAULTS, retryMinMs: 3_600_000 }, scheduler, baseFor: () => null, missedKey: () => null, log: () => undefined,
  });
  try {
    await real.commit([{ t: 'team', v: team('sales') }, { t: 'phone', v: phone('aa', 'tok', { push: { address: '127.0.0.1:9' } }) }]);
    const commit = async (changes: Change[]): Promise<void> => {
      await real.commit(changes);
      push.onChange(changes);
      await new Promise<void>((resolve) => setImmediate(resolve));
      await push.idle();
    };
    for (let i = 0; i < 20; i++) {
      await commit([{ t: 'missed', v: missed(`m${i}`, iso(i), { caller: { raw: `+49${i}`, e164: null, key: `+49${i}` }, settlesAt: iso(60 + i) }) }]);
    }
    assert.equal(recounts, 0, 'nothing settled yet: no screen can have changed');
    scheduler.advance(61);
    await new Promise<void>((resolve) => setImmediate(resolve));
    await push.idle();
    assert.ok(recounts >= 1, 'the first entry settled: the screen is worked out');
    assert.equal(real.get('pushStates', 'aa')?.state !== undefined, true, 'and pushed (here: to a closed port)');
  } finally {
    push.close();
    await real.close();
    await done();
  }
});
