/**
 * A benchmark server in its own process: `bare` (an Express route that answers an empty 200, the
 * yardstick) or `ringback` (the real app on a real store in `dir`). Prints its port on stdout.
 */
import express from 'express';
import type { AddressInfo } from 'node:net';
import { createApp } from '../src/app.ts';
import { DEFAULT_POLICY } from '../src/domain/policy.ts';
import { createLogger } from '../src/log.ts';
import { createCallLog } from '../src/services/call-log.ts';
import { createInventory } from '../src/services/inventory.ts';
import { createPbxSources } from '../src/services/pbx-sources.ts';
import { openStore } from '../src/store/open-store.ts';

export const BENCH_ADMIN = 'bench-admin-token-0123456789';

const [mode = 'bare', dir = ''] = process.argv.slice(2);

async function app() {
  if (mode === 'bare') {
    const bare = express();
    bare.get('/bare', (_req, res) => { res.status(200).end(); });
    return bare;
  }
  const store = await openStore({ dir });
  const now = () => new Date();
  const callLog = createCallLog({ store, country: 'DE', windowSeconds: 90, policy: DEFAULT_POLICY });
  const log = createLogger('warn');
  const pbxSources = createPbxSources({ store, callLog, now, log: () => undefined, fromEnv: null });
  return createApp({
    store, callLog, inventory: createInventory({ store, country: 'DE', defaultTimeZone: 'Europe/Berlin', now }),
    log, adminToken: BENCH_ADMIN, publicUrl: null, country: 'DE', defaultTimeZone: 'Europe/Berlin',
    phoneAllow: [], now, readiness: () => ({ ready: true }),
    clock: () => ({ status: 'unknown', offsetMs: null, measuredAt: null, servers: [] }), jobs: () => [],
    pbxSources, webhookSecret: null,
  });
}

const server = (await app()).listen(0, '127.0.0.1', () => {
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
});

// Exit normally on SIGTERM so `--cpu-prof` can write its profile.
process.on('SIGTERM', () => server.close(() => process.exit(0)));
