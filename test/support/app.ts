/** Test support: the real app over a real store in a fresh temp dir, with a clock the test moves. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createApp, type AppDeps } from '../../src/app.ts';
import { DEFAULT_POLICY } from '../../src/domain/policy.ts';
import { createLogger } from '../../src/log.ts';
import { createCallLog } from '../../src/services/call-log.ts';
import { createLiveFeed } from '../../src/services/live-feed.ts';
import { phoneSkewMs } from '../../src/time/phone-skew.ts';
import { createInventory } from '../../src/services/inventory.ts';
import { openStore } from '../../src/store/open-store.ts';
import type { Store } from '../../src/store/types.ts';
import { createPbxSources } from '../../src/services/pbx-sources.ts';
import type { AmiConnection } from '../../src/pbx/asterisk/index.ts';

export const ADMIN = 'test-admin-token-0123456789';
export const WEBHOOK_SECRET = 'test-webhook-secret-0123456789';

export class Clock {
  ms: number;
  constructor(iso = '2026-11-26T09:00:00.000Z') {
    this.ms = Date.parse(iso);
  }
  now = (): Date => new Date(this.ms);
  advance(seconds: number): void {
    this.ms += seconds * 1000;
  }
}

export interface TestApp {
  app: ReturnType<typeof createApp>;
  store: Store;
  dir: string;
  clock: Clock;
  /** Everything the app logged, for checks that secrets never appear. */
  logs: string[];
  close(): Promise<void>;
}

export interface TestAppOptions {
  country?: string;
  windowSeconds?: number;
  dir?: string;
  /** An AMI server to follow, as RINGBACK_AMI_URL would give it. */
  ami?: AmiConnection;
  /** A store the test opened itself (to build services on it before the app); closed with the app. */
  store?: Store;
  /** More app dependencies, built on the test's store and clock (e.g. the follow-up services). */
  extend?: (parts: { store: Store; clock: Clock }) => Partial<AppDeps>;
}

export async function startTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const dir = opts.dir ?? await mkdtemp(join(tmpdir(), 'ringback-test-'));
  const store = opts.store ?? await openStore({ dir });
  const clock = new Clock();
  const logs: string[] = [];
  const sink = new Writable({ write(chunk: Buffer, _enc, done) { logs.push(chunk.toString()); done(); } });
  const log = createLogger('debug', sink);
  const country = opts.country ?? 'DE';
  const live = createLiveFeed();
  const callLog = createCallLog({ store, country, windowSeconds: opts.windowSeconds ?? 90, policy: DEFAULT_POLICY, skewOf: phoneSkewMs, onChange: live.publish });
  const inventory = createInventory({ store, country, defaultTimeZone: 'Europe/Berlin', now: clock.now });
  const pbxSources = createPbxSources({
    store, callLog, now: clock.now, log: (level, message, fields) => log[level](fields ?? {}, message),
    fromEnv: opts.ami === undefined ? null : { type: 'asterisk-ami', ...opts.ami },
  });
  pbxSources.startAll();
  const app = createApp({
    store, callLog, inventory, log, adminToken: ADMIN, publicUrl: null, country, defaultTimeZone: 'Europe/Berlin',
    phoneAllow: [], now: clock.now, readiness: () => ({ ready: true, store: 'open' }),
    clock: () => ({ status: 'unknown', offsetMs: null, measuredAt: null, servers: [] }), jobs: () => [],
    pbxSources, webhookSecret: WEBHOOK_SECRET, live,
    ...opts.extend?.({ store, clock }),
  });
  return {
    app, store, dir, clock, logs,
    async close() {
      await pbxSources.closeAll();
      await store.close();
      if (opts.dir === undefined) await rm(dir, { recursive: true, force: true });
    },
  };
}
