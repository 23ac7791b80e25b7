/**
 * A benchmark server in its own process: `bare` (an Express route that answers an empty 200, the
 * yardstick) or `ringback` (the real app on a real store in `dir`). Prints its port on stdout.
 */
import express from 'express';
import type { AddressInfo } from 'node:net';
import { compose, storeDerivations } from '../src/compose.ts';
import { createLogger } from '../src/log.ts';
import { openStore } from '../src/store/embedded/open-store.ts';

export const BENCH_ADMIN = 'bench-admin-token-0123456789';

const [mode = 'bare', dir = ''] = process.argv.slice(2);

async function app() {
  if (mode === 'bare') {
    const bare = express();
    bare.get('/bare', (_req, res) => { res.status(200).end(); });
    return bare;
  }
  const env = {
    RINGBACK_DATA_DIR: dir, RINGBACK_ADMIN_TOKEN: BENCH_ADMIN, RINGBACK_COUNTRY: 'DE', RINGBACK_TIME_ZONE: 'Europe/Berlin',
    RINGBACK_NTP_SERVERS: '', RINGBACK_LOG_LEVEL: 'warn',
  };
  const store = await openStore({ dir, derivations: storeDerivations(env) });
  // The jobs stay unscheduled: a notify tick every 15 s would land in the middle of the measurements.
  const { app: built } = await compose({ env, store, log: createLogger('warn'), now: () => new Date(), adminToken: BENCH_ADMIN });
  return built;
}

const server = (await app()).listen(0, '127.0.0.1', () => {
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
});

// Exit normally on SIGTERM so `--cpu-prof` can write its profile.
process.on('SIGTERM', () => server.close(() => process.exit(0)));
