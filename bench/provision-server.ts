/**
 * A provisioning benchmark server in its own process: `static` (express.static over a folder of
 * the same files, the yardstick) or `ringback` (the real app with provisioning on, over a real
 * store in `dir`). Prints its port on stdout.
 */
import express from 'express';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { compose, storeDerivations } from '../src/compose.ts';
import { createLogger } from '../src/log.ts';
import { openStore } from '../src/store/embedded/open-store.ts';
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
  // The seed's settings, so the files are byte for byte the static yardstick's (no site layer: a folder that does not exist).
  const p = provisioningConfig();
  const env = {
    RINGBACK_DATA_DIR: dir, RINGBACK_ADMIN_TOKEN: BENCH_ADMIN, RINGBACK_COUNTRY: 'DE', RINGBACK_TIME_ZONE: p.defaultTimeZone,
    RINGBACK_LOG_LEVEL: 'warn', RINGBACK_PUBLIC_URL: p.publicUrl ?? undefined, RINGBACK_NTP_SERVERS: p.ntpServers.join(','),
    RINGBACK_PROVISION_USER: p.credentials?.user, RINGBACK_PROVISION_PASSWORD: p.credentials?.password,
    RINGBACK_PROVISION_SIP_SERVER: p.sipServer ?? undefined, RINGBACK_PROVISION_DIR: join(dir, 'no-site'),
  };
  const store = await openStore({ dir, derivations: storeDerivations(env) });
  // The jobs stay unscheduled: their ticks would land in the middle of the measurements.
  const { app: built } = await compose({ env, store, log: createLogger('warn'), now: () => new Date(), adminToken: BENCH_ADMIN });
  return built;
}

const server = (await app()).listen(0, '127.0.0.1', () => {
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
});
