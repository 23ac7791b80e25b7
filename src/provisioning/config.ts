/**
 * @module Provisioning settings (`RINGBACK_PROVISION_*`), read through config.ts's reader so every
 * mistake is reported together, naming its variable and never repeating a secret.
 */
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';
import type { Credentials } from './http-auth.ts';

export interface ProvisionConfig {
  /** `RINGBACK_PROVISION_USER` / `_PASSWORD`; null = `/provision/` answers 404 to everything. */
  credentials: Credentials | null;
  /** `RINGBACK_PROVISION_ALLOW`: CIDRs phones may fetch from; empty = any. */
  allow: string[];
  /** `RINGBACK_PROVISION_DIR`: the site's own files (`templates/<vendor>/*.json` on top of ours). */
  siteDir: string;
  /** `RINGBACK_PROVISION_SIP_SERVER`: the SIP server of lines that name none. */
  sipServer: string | null;
}

/** The part of config.ts's reader this needs (structural, so the reader stays private there). */
export interface ProvisionReader {
  str(name: string, fallback: string): string;
  cidrs(name: string): string[];
  parsed<T>(name: string, fallback: T, parse: (value: string) => T): T;
}

/** The shipped templates, beside `src/`. */
export const SHIPPED_TEMPLATES = fileURLToPath(new URL('../../templates', import.meta.url));

/**
 * User names and passwords go into URLs (`http://user:pass@host/`, DHCP options), Cisco's
 * `Profile_Rule [--uid … --pwd …]` and key=value files: only characters none of those quote.
 */
const USER = /^[A-Za-z0-9._-]{1,64}$/;
const PASSWORD = /^[A-Za-z0-9._~+=,!*^-]{12,128}$/;

export function readProvisionConfig(read: ProvisionReader): ProvisionConfig {
  const user = read.parsed<string | null>('RINGBACK_PROVISION_USER', null, (v) => {
    if (!USER.test(v)) throw new Error('expected 1-64 letters, digits, ".", "_" or "-"');
    return v;
  });
  const password = read.parsed<string | null>('RINGBACK_PROVISION_PASSWORD', null, (v) => {
    // The value is a secret: the message never repeats it.
    if (!PASSWORD.test(v)) throw new Error('expected 12-128 characters from A-Z a-z 0-9 . _ ~ + = , ! * ^ -');
    if (user === null) throw new Error('set RINGBACK_PROVISION_USER too');
    return v;
  });
  read.parsed<null>('RINGBACK_PROVISION_USER', null, () => {
    if (password === null) throw new Error('set RINGBACK_PROVISION_PASSWORD too');
    return null;
  });
  const sipServer = read.parsed<string | null>('RINGBACK_PROVISION_SIP_SERVER', null, (v) => {
    if (!/^(?:[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/.test(v)) throw new Error(`expected host or host:port, got "${v.slice(0, 64)}"`);
    return v;
  });
  return {
    credentials: user !== null && password !== null ? { user, password } : null,
    allow: read.cidrs('RINGBACK_PROVISION_ALLOW'),
    siteDir: resolve(read.str('RINGBACK_PROVISION_DIR', './provisioning')),
    sipServer,
  };
}

/** Template roots, lowest layer first. */
export function templateDirs(config: Pick<ProvisionConfig, 'siteDir'>): string[] {
  return [SHIPPED_TEMPLATES, join(config.siteDir, 'templates')];
}
