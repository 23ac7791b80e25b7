/** @module One typed configuration from `RINGBACK_*` environment variables, validated at start. */
import { isKnownCountry } from './domain/numbers.ts';
import { DEFAULT_POLICY } from './domain/policy.ts';
import type { MissedPolicy } from './domain/types.ts';
import { allowList } from './http/client-ip.ts';
import { isTimeZone } from './services/inventory-input.ts';
import cron from 'node-cron';
import { CLOCK_CHECK_SCHEDULE } from './time/clock-check.ts';
import { parseServer } from './time/ntp-query.ts';
import { parseAmiUrl, type AmiConnection } from './pbx/asterisk/index.ts';
import { readFollowUpConfig, type FollowUpConfig } from './services/follow-up-config.ts';
import { readProvisionConfig, type ProvisionConfig } from './provisioning/config.ts';
import { parseCrmTemplate } from './domain/contacts.ts';
import { parseCookieSecurity, type CookieSecurity } from './http/api/auth/cookies.ts';
import { DEFAULT_SERVER_LIMITS, type ServerLimits } from './http/server-limits.ts';
import { readPushConfig } from './push/config.ts';
import type { PushConfig } from './push/types.ts';
import { readLdapConfig, type LdapConfig } from './directory/ldap-config.ts';
import { parseDatabaseUrl } from './store/postgres/url.ts';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** `RINGBACK_DATABASE_URL`: the PostgreSQL engine's database; null = the embedded store in `dataDir`. */
  databaseUrl: string | null;
  /** Base URL phones use to reach us; null = taken from each request's Host header. */
  publicUrl: string | null;
  /** null = generated on first start and kept in the data dir. */
  adminToken: string | null;
  country: string;
  /** Zone for showing times where a team has none. */
  timeZone: string;
  correlationWindowSeconds: number;
  policy: MissedPolicy;
  logLevel: string;
  /** Networks phones may call from (CIDR); empty = any. */
  phoneAllow: string[];
  /** NTP servers (`host[:port]`) the server checks its own clock against; empty = no check. */
  ntpServers: string[];
  ntpDriftMs: number;
  ntpTimeoutMs: number;
  ntpSchedule: string;
  /** `ami://user:secret@host:port` of an Asterisk/FreePBX to follow; null = none. */
  ami: AmiConnection | null;
  /** Shared secret for `POST /pbx/webhook`; null = the webhook is off. */
  webhookSecret: string | null;
  /** Escalation, notifications, retention, phone health (`RINGBACK_NOTIFY_*`, `RINGBACK_SMTP_*`, …). */
  followUp: FollowUpConfig;
  /** Provisioning credentials, allow-list, site folder, default SIP server (`RINGBACK_PROVISION_*`). */
  provision: ProvisionConfig;
  /** CRM link template (`RINGBACK_CRM_URL`: `{crmId}`, `{number}`, `{digits}`); null = no links. */
  crmUrl: string | null;
  /** Secure flag of the dashboard's session cookie (`RINGBACK_COOKIE_SECURE`: auto, always, never). */
  cookieSecurity: CookieSecurity;
  /** HTTP timeouts and connection cap (`RINGBACK_HEADERS_TIMEOUT_MS`, …, `RINGBACK_MAX_CONNECTIONS`). */
  server: ServerLimits;
  /** Push to idle screens (`RINGBACK_PUSH*`, issue 14). */
  push: PushConfig;
  /** Caller names from an LDAP directory (`RINGBACK_LDAP_*`); null = none. */
  ldap: LdapConfig | null;
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; errors: string[] };

type Env = Readonly<Record<string, string | undefined>>;

/** Reads and checks every setting; all mistakes are reported together, each naming its variable. */
export function loadConfig(env: Env): ConfigResult {
  const errors: string[] = [];
  const read = new Reader(env, errors);
  const config: Config = {
    port: read.int('PORT', 8080, 0, 65535),
    host: read.str('RINGBACK_HOST', '0.0.0.0'),
    dataDir: read.str('RINGBACK_DATA_DIR', './data'),
    databaseUrl: read.parsed<string | null>('RINGBACK_DATABASE_URL', null, parseDatabaseUrl),
    publicUrl: read.url('RINGBACK_PUBLIC_URL'),
    adminToken: read.token('RINGBACK_ADMIN_TOKEN'),
    country: read.country('RINGBACK_COUNTRY', 'DE'),
    timeZone: read.timeZone('RINGBACK_TIME_ZONE', Intl.DateTimeFormat().resolvedOptions().timeZone),
    correlationWindowSeconds: read.int('RINGBACK_CORRELATION_WINDOW', 90, 5, 3600),
    policy: {
      minRingSeconds: read.int('RINGBACK_MIN_RING_SECONDS', DEFAULT_POLICY.minRingSeconds, 0, 600),
      countInternal: read.bool('RINGBACK_COUNT_INTERNAL', DEFAULT_POLICY.countInternal),
      countAnonymous: read.bool('RINGBACK_COUNT_ANONYMOUS', DEFAULT_POLICY.countAnonymous),
      internalMaxDigits: read.int('RINGBACK_INTERNAL_MAX_DIGITS', DEFAULT_POLICY.internalMaxDigits, 1, 15),
    },
    logLevel: read.oneOf('RINGBACK_LOG_LEVEL', 'info', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    phoneAllow: read.cidrs('RINGBACK_PHONE_ALLOW'),
    ntpServers: read.ntpServers('RINGBACK_NTP_SERVERS', ['pool.ntp.org']),
    ntpDriftMs: read.int('RINGBACK_NTP_DRIFT_MS', 1000, 1, 3_600_000),
    ntpTimeoutMs: read.int('RINGBACK_NTP_TIMEOUT_MS', 5000, 100, 60_000),
    ntpSchedule: read.cron('RINGBACK_NTP_SCHEDULE', CLOCK_CHECK_SCHEDULE),
    ami: read.ami('RINGBACK_AMI_URL'),
    webhookSecret: read.token('RINGBACK_WEBHOOK_SECRET'),
    followUp: readFollowUpConfig(read),
    provision: readProvisionConfig(read),
    crmUrl: read.parsed<string | null>('RINGBACK_CRM_URL', null, parseCrmTemplate),
    cookieSecurity: read.parsed<CookieSecurity>('RINGBACK_COOKIE_SECURE', 'auto', parseCookieSecurity),
    server: readServerLimits(read),
    push: readPushConfig(read),
    ldap: readLdapConfig(read, errors),
  };
  return errors.length === 0 ? { ok: true, config } : { ok: false, errors };
}

// --- Internal helpers ---

function readServerLimits(read: Reader): ServerLimits {
  const d = DEFAULT_SERVER_LIMITS;
  const headersTimeoutMs = read.int('RINGBACK_HEADERS_TIMEOUT_MS', d.headersTimeoutMs, 100, 600_000);
  return {
    headersTimeoutMs,
    // Node refuses a request timeout shorter than the headers timeout.
    requestTimeoutMs: read.int('RINGBACK_REQUEST_TIMEOUT_MS', Math.max(d.requestTimeoutMs, headersTimeoutMs), headersTimeoutMs, 3_600_000),
    keepAliveTimeoutMs: read.int('RINGBACK_KEEP_ALIVE_TIMEOUT_MS', d.keepAliveTimeoutMs, 100, 600_000),
    maxConnections: read.int('RINGBACK_MAX_CONNECTIONS', d.maxConnections, 1, 1_000_000),
  };
}

class Reader {
  readonly #env: Env;
  readonly #errors: string[];
  constructor(env: Env, errors: string[]) {
    this.#env = env;
    this.#errors = errors;
  }

  #raw(name: string): string | undefined {
    const v = this.#env[name]?.trim();
    return v === undefined || v === '' ? undefined : v;
  }

  #fail<T>(name: string, why: string, fallback: T): T {
    this.#errors.push(`${name}: ${why}`);
    return fallback;
  }

  str(name: string, fallback: string): string {
    return this.#raw(name) ?? fallback;
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const v = this.#raw(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!/^\d+$/.test(v) || n < min || n > max) return this.#fail(name, `expected a whole number from ${min} to ${max}, got "${v}"`, fallback);
    return n;
  }

  bool(name: string, fallback: boolean): boolean {
    const v = this.#raw(name)?.toLowerCase();
    if (v === undefined) return fallback;
    if (['1', 'true', 'yes', 'on'].includes(v)) return true;
    if (['0', 'false', 'no', 'off'].includes(v)) return false;
    return this.#fail(name, `expected true or false, got "${v}"`, fallback);
  }

  oneOf(name: string, fallback: string, allowed: readonly string[]): string {
    const v = this.#raw(name);
    if (v === undefined) return fallback;
    return allowed.includes(v) ? v : this.#fail(name, `expected one of ${allowed.join(', ')}, got "${v}"`, fallback);
  }

  url(name: string): string | null {
    const v = this.#raw(name);
    if (v === undefined) return null;
    try {
      const u = new URL(v);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') return this.#fail(name, 'expected an http:// or https:// URL', null);
      if (u.search !== '' || u.hash !== '') return this.#fail(name, 'expected a base URL without ?query or #fragment', null);
      return v.replace(/\/+$/, '');
    } catch {
      return this.#fail(name, `not a URL: "${v}"`, null);
    }
  }

  token(name: string): string | null {
    const v = this.#raw(name);
    if (v === undefined) return null;
    // The value itself is a secret: never echo it in the error.
    return /^[\x21-\x7e]{16,256}$/.test(v) ? v : this.#fail(name, 'expected 16 to 256 printable characters without spaces', null);
  }

  country(name: string, fallback: string): string {
    const v = this.#raw(name)?.toUpperCase();
    if (v === undefined) return fallback;
    return isKnownCountry(v) ? v : this.#fail(name, `expected a two-letter country code such as DE, GB or US, got "${v}"`, fallback);
  }

  timeZone(name: string, fallback: string): string {
    const v = this.#raw(name);
    if (v === undefined) return fallback;
    return isTimeZone(v) ? v : this.#fail(name, `expected an IANA time zone such as Europe/Berlin, got "${v}"`, fallback);
  }

  /** Empty (set to '') turns the check off; unset means the public pool. */
  ntpServers(name: string, fallback: string[]): string[] {
    const v = this.#env[name];
    if (v === undefined) return fallback;
    const list = v.split(',').map((s) => s.trim()).filter((s) => s !== '');
    const bad = list.filter((s) => {
      try {
        parseServer(s);
        return false;
      } catch {
        return true;
      }
    });
    return bad.length === 0 ? list : this.#fail(name, `expected comma-separated host[:port] (IPv4 or name), bad: ${bad.join(', ')}`, []);
  }

  ami(name: string): AmiConnection | null {
    const v = this.#raw(name);
    if (v === undefined) return null;
    try {
      return parseAmiUrl(v);
    } catch (e) {
      // parseAmiUrl's message never contains the URL (it holds the secret).
      return this.#fail(name, (e as Error).message, null);
    }
  }

  cron(name: string, fallback: string): string {
    const v = this.#raw(name);
    if (v === undefined) return fallback;
    return cron.validate(v) ? v : this.#fail(name, `not a cron expression: "${v}"`, fallback);
  }

  /** A value `parse` accepts; its Error message says what is wrong (and must not repeat a secret). */
  parsed<T>(name: string, fallback: T, parse: (value: string) => T): T {
    const v = this.#raw(name);
    if (v === undefined) return fallback;
    try {
      return parse(v);
    } catch (e) {
      return this.#fail(name, (e as Error).message, fallback);
    }
  }

  cidrs(name: string): string[] {
    const v = this.#raw(name);
    if (v === undefined) return [];
    const list = v.split(',').map((s) => s.trim()).filter((s) => s !== '');
    const bad = list.filter((c) => {
      try {
        allowList([c]);
        return !c.includes('/');
      } catch {
        return true;
      }
    });
    return bad.length === 0 ? list : this.#fail(name, `expected comma-separated CIDRs such as 10.0.0.0/8, bad: ${bad.join(', ')}`, []);
  }
}
