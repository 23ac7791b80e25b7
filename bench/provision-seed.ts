/**
 * A site of 1,000 desk phones of every vendor, stored in a data dir, and the files each fetches
 * after a reset (in its vendor's order), rendered once into a plain folder for express.static.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Phone, Team, VendorName } from '../src/domain/types.ts';
import { createLogger } from '../src/log.ts';
import { SHIPPED_TEMPLATES } from '../src/provisioning/config.ts';
import { createProvisioning, type ProvisioningConfig } from '../src/provisioning/service.ts';
import { DEFAULT_POLICY } from '../src/domain/policy.ts';
import { createCallLog } from '../src/services/call-log.ts';
import { openStore } from '../src/store/embedded/open-store.ts';
import { vendors } from '../src/vendors/index.ts';

export const BENCH_PROVISION_USER = 'provisioner';
export const BENCH_PROVISION_PASSWORD = 'bench-provision-0123456789';

export function provisioningConfig(): ProvisioningConfig {
  return {
    credentials: { user: BENCH_PROVISION_USER, password: BENCH_PROVISION_PASSWORD },
    // Fixed, so the bytes do not depend on the port each server got.
    publicUrl: 'http://ringback.bench:8080', ntpServers: ['ntp.example.net'], defaultTimeZone: 'Europe/Berlin',
    sipServer: 'pbx.example.net', templateDirs: [SHIPPED_TEMPLATES],
  };
}

const MODELS: Record<VendorName, { prefix: string; model: string; ua: (mac: string) => string; first?: string }> = {
  yealink: { prefix: '805ec0', model: 'T46U', ua: (mac) => `Yealink SIP-T46U 108.86.0.20 ${mac}` },
  poly: { prefix: '0004f2', model: 'VVX410', ua: (mac) => `PolycomVVX-VVX_410-UA/5.9.0.9373 ${mac}` },
  cisco: { prefix: '00562b', model: 'CP-8841-3PCC', ua: (mac) => `Cisco-CP8841-3PCC/11.3.7 (${mac})`, first: '8841.xml' },
  snom: { prefix: '000413', model: 'D785', ua: (mac) => `Mozilla/4.0 (compatible; snomD785-SIP 10.1.54.13 010.1.54.13 ${mac})` },
  grandstream: { prefix: '000b82', model: 'GXP2170', ua: (mac) => `Grandstream Model HW GXP2170 SW 1.0.11.3 DevId ${mac}` },
  fanvil: { prefix: '0c383e', model: 'X4U', ua: (mac) => `Fanvil X4U 2.12.2 ${mac}` },
};

export interface Fetch {
  path: string;
  userAgent: string;
}

/** Store `count` phones in `dataDir`, write their files into `staticDir`, return the fetches of one boot storm. */
export async function seedProvisioning(dataDir: string, staticDir: string, count: number): Promise<Fetch[]> {
  const store = await openStore({ dir: dataDir });
  const at = new Date().toISOString();
  const team: Team = { id: 'reception', name: 'Reception', extensions: [], numbers: [], timeZone: 'Europe/Berlin', createdAt: at };
  const names = Object.keys(MODELS) as VendorName[];
  const phones: Phone[] = [];
  for (let i = 0; i < count; i++) {
    const vendor = names[i % names.length] ?? 'yealink';
    const ext = String(1000 + i);
    phones.push({
      mac: `${MODELS[vendor].prefix}${i.toString(16).padStart(6, '0')}`, vendor, model: MODELS[vendor].model, label: `Desk ${ext}`, extension: ext,
      lines: [{ extension: ext, sipUser: ext, sipPassword: `secret-${ext}` }], teamIds: ['reception'], token: `benchtoken${ext}abcdefghij`,
      userName: `User ${ext}`, lastSeen: null, firmware: null, clockSkewMs: null, createdAt: at,
    });
  }
  await store.commit([{ t: 'team', v: team }, ...phones.map((v) => ({ t: 'phone' as const, v }))]);
  const callLog = createCallLog({ store, country: 'DE', windowSeconds: 90, policy: DEFAULT_POLICY });
  const service = createProvisioning({ store, callLog, log: createLogger('silent'), now: () => new Date(), config: provisioningConfig() });
  await mkdir(staticDir, { recursive: true });
  const fetches: Fetch[] = [];
  for (const phone of phones) {
    const m = MODELS[phone.vendor];
    const names = [...(m.first === undefined ? [] : [m.first]), ...(vendors[phone.vendor].provisioning?.files(phone).map((f) => f.name) ?? [])];
    for (const name of names) {
      const located = service.locate(name, m.ua(phone.mac));
      if (!located.ok) throw new Error(`${name}: ${located.message}`);
      await writeFile(join(staticDir, name), service.render(located.value, 'http://ringback.bench:8080').body);
      fetches.push({ path: `/provision/${name}`, userAgent: m.ua(phone.mac) });
    }
  }
  await store.close();
  return fetches;
}
