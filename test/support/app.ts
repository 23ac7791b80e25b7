/** Test support: the real app over a real store in a fresh temp dir, with a clock the test moves. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { compose, storeDerivations, type JobEntry } from '../../src/compose.ts';
import { createLogger } from '../../src/log.ts';
import type { AppServices } from '../../src/app.ts';
import type { DurableStore } from '../../src/store/durable-store.ts';
import type { AmiConnection } from '../../src/pbx/asterisk/index.ts';
import type { Express } from 'express';
import type { Scheduler } from '../../src/push/types.ts';
import { openTestStore } from './engine.ts';

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
  app: Express;
  store: DurableStore;
  /** The services the app routes to, built by src/compose.ts as main.ts builds them. */
  services: AppServices;
  /** The jobs main.ts would schedule (unscheduled here: a test runs one with its own clock). */
  jobs: readonly JobEntry[];
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
  /** A store the test opened itself (e.g. to save settings before the start); closed with the app. */
  store?: DurableStore;
  /** More RINGBACK_* variables, read as main.ts reads them (e.g. `RINGBACK_COOKIE_SECURE`); undefined unsets a default. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Start of the phone-health settling window; default the clock's start. */
  startedAt?: Date;
  /** Timers of the idle-screen pushes on the test's clock (default: real timers). */
  pushScheduler?: (clock: Clock) => Scheduler;
}

/** The variables a test starts from (the real defaults otherwise): no NTP check, provisioning off. */
export function testEnv(dir: string, opts: Pick<TestAppOptions, 'country' | 'windowSeconds' | 'ami' | 'env'> = {}): Record<string, string | undefined> {
  return {
    RINGBACK_DATA_DIR: dir, RINGBACK_ADMIN_TOKEN: ADMIN, RINGBACK_WEBHOOK_SECRET: WEBHOOK_SECRET,
    RINGBACK_COUNTRY: opts.country ?? 'DE', RINGBACK_TIME_ZONE: 'Europe/Berlin',
    RINGBACK_CORRELATION_WINDOW: String(opts.windowSeconds ?? 90), RINGBACK_NTP_SERVERS: '',
    RINGBACK_PROVISION_DIR: join(dir, 'provisioning'), RINGBACK_LOG_LEVEL: 'debug',
    ...(opts.ami === undefined ? {} : { RINGBACK_AMI_URL: amiUrl(opts.ami) }),
    // Pushes go to the phones' addresses; only the push tests (test/push) have phones listening.
    RINGBACK_PUSH: 'false',
    ...opts.env,
  };
}

export async function startTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const dir = opts.dir ?? await mkdtemp(join(tmpdir(), 'ringback-test-'));
  const env = testEnv(dir, opts);
  const store = opts.store ?? await openTestStore(dir, storeDerivations(env));
  const clock = new Clock();
  const logs: string[] = [];
  const sink = new Writable({ write(chunk: Buffer, _enc, done) { logs.push(chunk.toString()); done(); } });
  const log = createLogger('debug', sink);
  const { app, services, jobs, close } = await compose({
    env, store, log, now: clock.now, adminToken: ADMIN, ...(opts.startedAt === undefined ? {} : { startedAt: opts.startedAt }),
    ...(opts.pushScheduler === undefined ? {} : { pushScheduler: opts.pushScheduler(clock) }),
  });
  await services.pbxSources.startAll();
  return {
    app, store, services, jobs, dir, clock, logs,
    async close() {
      await close();
      await store.close();
      if (opts.dir === undefined) await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The `RINGBACK_AMI_URL` that names this AMI server. */
function amiUrl(ami: AmiConnection): string {
  return `ami://${encodeURIComponent(ami.username)}:${encodeURIComponent(ami.secret)}@${ami.host}:${ami.port}`;
}
