/**
 * @module LDAP directory settings (`RINGBACK_LDAP_*`), read through config.ts's reader so every
 * mistake is reported together, naming its variable and never repeating the bind password.
 */

export interface LdapConfig {
  /** `ldap://host:389` or `ldaps://host:636`. */
  url: string;
  baseDn: string;
  /** null = anonymous bind. */
  bindDn: string | null;
  /** Secret: only ever handed to the LDAP client, never logged or returned. */
  bindPassword: string | null;
  /** Attributes that hold a person's numbers; matched with equality (telephoneNumberMatch ignores spaces and hyphens). */
  numberAttributes: string[];
  /** Attributes tried in order for the name shown on screens. */
  nameAttributes: string[];
  /** Attribute with the company ('' = none). */
  companyAttribute: string;
  timeoutMs: number;
  ttlSeconds: number;
  negativeTtlSeconds: number;
  maxEntries: number;
}

/** The part of config.ts's reader this needs (structural, so the reader stays private there). */
export interface LdapReader {
  int(name: string, fallback: number, min: number, max: number): number;
  parsed<T>(name: string, fallback: T, parse: (value: string) => T): T;
}

/** An attribute description: a name (`telephoneNumber`) or an OID; nothing a filter would need escaped. */
const ATTRIBUTE = /^(?:[A-Za-z][A-Za-z0-9-]{0,63}|\d+(?:\.\d+)+)$/;

function attributeList(v: string): string[] {
  const list = v.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const bad = list.filter((a) => !ATTRIBUTE.test(a));
  if (list.length === 0 || bad.length > 0) throw new Error(`expected comma-separated LDAP attribute names, bad: ${bad.join(', ') || '(none given)'}`);
  return list.slice(0, 16);
}

/** null when `RINGBACK_LDAP_URL` is unset: no directory, CSV contacts and the phone's names only. */
export function readLdapConfig(read: LdapReader, errors: string[]): LdapConfig | null {
  const url = read.parsed<string | null>('RINGBACK_LDAP_URL', null, (v) => {
    let u: URL;
    try {
      u = new URL(v);
    } catch {
      throw new Error('expected ldap://host[:port] or ldaps://host[:port]');
    }
    if (u.protocol !== 'ldap:' && u.protocol !== 'ldaps:') throw new Error('expected ldap://host[:port] or ldaps://host[:port]');
    // A password in the URL would end up in logs and error messages: it goes in its own variable.
    if (u.username !== '' || u.password !== '') throw new Error('no user or password in the URL: use RINGBACK_LDAP_BIND_DN and RINGBACK_LDAP_BIND_PASSWORD');
    return `${u.protocol}//${u.host}`;
  });
  const baseDn = read.parsed('RINGBACK_LDAP_BASE_DN', '', dn);
  const bindDn = read.parsed('RINGBACK_LDAP_BIND_DN', '', dn);
  const bindPassword = read.parsed<string | null>('RINGBACK_LDAP_BIND_PASSWORD', null, (v) => {
    if (v.length > 256 || /[\u0000-\u001f]/.test(v)) throw new Error('expected at most 256 characters without control characters');
    return v;
  });
  const config: LdapConfig = {
    url: url ?? '',
    baseDn,
    bindDn: bindDn === '' ? null : bindDn,
    bindPassword,
    numberAttributes: read.parsed('RINGBACK_LDAP_NUMBER_ATTRIBUTES', ['telephoneNumber', 'mobile', 'homePhone'], attributeList),
    nameAttributes: read.parsed('RINGBACK_LDAP_NAME_ATTRIBUTES', ['displayName', 'cn'], attributeList),
    companyAttribute: read.parsed('RINGBACK_LDAP_COMPANY_ATTRIBUTE', 'o', (v) => attributeList(v)[0] ?? ''),
    timeoutMs: read.int('RINGBACK_LDAP_TIMEOUT_MS', 2000, 50, 60_000),
    ttlSeconds: read.int('RINGBACK_LDAP_CACHE_SECONDS', 3600, 0, 604_800),
    negativeTtlSeconds: read.int('RINGBACK_LDAP_NEGATIVE_CACHE_SECONDS', 300, 0, 604_800),
    maxEntries: read.int('RINGBACK_LDAP_CACHE_ENTRIES', 10_000, 1, 1_000_000),
  };
  if (url === null) return null;
  if (baseDn === '') errors.push('RINGBACK_LDAP_BASE_DN: required with RINGBACK_LDAP_URL (e.g. ou=people,dc=example,dc=org)');
  if (bindPassword !== null && bindDn === '') errors.push('RINGBACK_LDAP_BIND_DN: required with RINGBACK_LDAP_BIND_PASSWORD');
  return config;
}

function dn(v: string): string {
  if (v.length > 1024 || /[\u0000-\u001f]/.test(v) || !v.includes('=')) throw new Error('expected a DN such as dc=example,dc=org');
  return v;
}
