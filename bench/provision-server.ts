/**
 * A provisioning benchmark server in its own process: `static` (express.static over a folder of
 * the same files, the yardstick) or `ringback` (the real app with provisioning on, over a real
 * store in `dir`). Prints its port on stdout.
 */
import express from 'express';
import type { AddressInfo } from 'node:net';
import { createApp } from '../src/app.ts';
import { DEFAULT_POLICY } from '../src/domain/policy.ts';
import { createLogger } from '../src/log.ts';
import { createProvisioning } from '../src/provisioning/service.ts';
import { createCallLog } from '../src/services/call-log.ts';
import { createInventory } from '../src/services/inventory.ts';
import { createPbxSources } from '../src/services/pbx-sources.ts';
import { openStore } from '../src/store/open-store.ts';
/** Not imported from server.ts: importing it would start that server too. */
const BENCH_ADMIN = 'bench-admin-token-0123456789';
import { provisioningConfig } from './provision-seed.ts';

const [mode = 'static', dir = ''] = process.argv.slice(2);

async function app() {
  if (mode === 'static') {
    const plain = express();
    plain.use('/provision', express.static(dir, { etag: false, lastModified: false, cacheControl: false }));
    return plain;
  }
  const store = await openStore({ dir });
  const now = () => new Date();
  const log = createLogger('warn');
  const callLog = createCallLog({ store, country: 'DE', windowSeconds: 90, policy: DEFAULT_POLICY });
  const config = provisioningConfig();
  const service = createProvisioning({ store, callLog, log, now, config });
  const pbxSources = createPbxSources({ store, callLog, now, log: () => undefined, fromEnv: null });
  return createApp({
    store, callLog, inventory: createInventory({ store, country: 'DE', defaultTimeZone: 'Europe/Berlin', now }),
    log, adminToken: BENCH_ADMIN, publicUrl: config.publicUrl, country: 'DE', defaultTimeZone: 'Europe/Berlin',
    phoneAllow: [], now, readiness: () => ({ ready: true }),
    clock: () => ({ status: 'unknown', offsetMs: null, measuredAt: null, servers: [] }), jobs: () => [],
    pbxSources, webhookSecret: null,
    provisioning: { service, credentials: config.credentials, allow: [] },
  });
}

const server = (await app()).listen(0, '127.0.0.1', () => {
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
});
