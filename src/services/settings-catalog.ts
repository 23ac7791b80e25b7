/**
 * @module The server settings an admin may keep in the data dir instead of the environment: each is
 * named by its `RINGBACK_*` variable, so a saved value goes through exactly the checks `loadConfig`
 * applies to the environment (the same parser, the same message).
 */

export type SettingKey = 'smtpUrl' | 'smtpFrom' | 'provisionUser' | 'provisionPassword' | 'retentionDays' | 'ntpServers' | 'webhookSecret';

export interface SettingDef {
  key: SettingKey;
  env: string;
  label: string;
  /** Write-only: the API says whether it is set, never what it is. */
  secret: boolean;
  /** `live`: a saved change takes effect at once; `restart`: at the next start. */
  applies: 'live' | 'restart';
  /** What the environment's default is, in words (shown when neither env nor a saved value sets it). */
  fallback: string;
  /** What a valid value looks like, for the form's hint. */
  hint: string;
  /** An empty string is a value ("no NTP check"), not "unset". */
  emptyIsValue?: boolean;
}

export const SETTINGS: readonly SettingDef[] = [
  { key: 'smtpUrl', env: 'RINGBACK_SMTP_URL', label: 'SMTP server', secret: true, applies: 'live', fallback: 'none (no email)',
    hint: 'smtp://user:password@host:587 or smtps://user:password@host:465 (password URL-encoded)' },
  { key: 'smtpFrom', env: 'RINGBACK_SMTP_FROM', label: 'Email sender', secret: false, applies: 'live', fallback: 'Ringback <ringback@this host>',
    hint: 'Ringback <ringback@example.com>' },
  { key: 'provisionUser', env: 'RINGBACK_PROVISION_USER', label: 'Provisioning user', secret: false, applies: 'restart', fallback: 'none (provisioning off)',
    hint: '1-64 of A-Z a-z 0-9 . _ -' },
  { key: 'provisionPassword', env: 'RINGBACK_PROVISION_PASSWORD', label: 'Provisioning password', secret: true, applies: 'restart', fallback: 'none (provisioning off)',
    hint: '12-128 of A-Z a-z 0-9 . _ ~ + = , ! * ^ -' },
  { key: 'retentionDays', env: 'RINGBACK_RETENTION_DAYS', label: 'Keep call data (days)', secret: false, applies: 'live', fallback: '90',
    hint: 'a whole number of days from 1 to 36500' },
  { key: 'ntpServers', env: 'RINGBACK_NTP_SERVERS', label: 'NTP servers', secret: false, applies: 'live', fallback: 'pool.ntp.org',
    hint: 'comma-separated host[:port]; empty = no clock check', emptyIsValue: true },
  { key: 'webhookSecret', env: 'RINGBACK_WEBHOOK_SECRET', label: 'PBX webhook secret', secret: true, applies: 'live', fallback: 'none (webhook off)',
    hint: '16 to 256 printable characters without spaces' },
];

export function settingDef(key: string): SettingDef | undefined {
  return SETTINGS.find((s) => s.key === key);
}

/** Whether the environment sets the variable (as `loadConfig` reads it: blank = unset, except where empty is a value). */
export function envSets(def: SettingDef, env: Readonly<Record<string, string | undefined>>): boolean {
  const v = env[def.env];
  if (v === undefined) return false;
  return def.emptyIsValue === true || v.trim() !== '';
}
