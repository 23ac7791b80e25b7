/**
 * @module What every vendor writes for a phone: its SIP accounts with defaults filled in, and the
 * template knobs (`vars`) read as checked numbers and labels.
 */
import type { ProvisionInput } from '../types.ts';
import { ProvisionError, UrlTooLongError } from './provision-error.ts';
import { splitHostPort } from './settings.ts';

export interface Account {
  /** 1-based, as every vendor numbers accounts. */
  index: number;
  extension: string;
  /** SIP user (registration and auth); the extension when the inventory names none. */
  user: string;
  password: string;
  /** `host[:port]` as given; '' when neither the line nor the configuration names a server. */
  server: string;
  host: string;
  port: string;
  /** Line 1 carries the phone's label; further lines their extension. */
  label: string;
  displayName: string;
  /** A line without a server cannot register: written, but switched off. */
  enabled: boolean;
}

export function accountsOf(input: ProvisionInput): Account[] {
  const phone = input.phone;
  if (phone === null) return [];
  return phone.lines.map((line, i) => {
    const server = line.sipServer ?? input.sipServer ?? '';
    const { host, port } = splitHostPort(server);
    return {
      index: i + 1,
      extension: line.extension,
      user: line.sipUser ?? line.extension,
      password: line.sipPassword ?? '',
      server,
      host,
      port,
      label: i === 0 ? phone.label : line.extension,
      displayName: phone.userName,
      enabled: server !== '',
    };
  });
}

/** A whole-number knob from the templates, or `fallback`; out of range is a template mistake. */
export function intVar(input: ProvisionInput, name: string, fallback: number, min: number, max: number): number {
  const raw = input.template.vars[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) throw new ProvisionError(`template var ${name}: expected ${min} to ${max}, got "${raw}"`);
  return n;
}

/** A label knob (key labels): short, plain, and free of the separators vendor key syntaxes use. */
export function labelVar(input: ProvisionInput, name: string, fallback: string): string {
  const v = input.template.vars[name] ?? fallback;
  if (!/^[^;=|<>&"\u0000-\u001f\u007f]{1,32}$/.test(v)) throw new ProvisionError(`template var ${name}: 1-32 characters without ; = | < > & "`);
  return v;
}

/** A text knob, '' when unset. */
export function textVar(input: ProvisionInput, name: string): string {
  return input.template.vars[name] ?? '';
}

/** Refuse a URL longer than a vendor field takes, naming the field: a cut URL would fail silently. */
export function checkUrlLength(field: string, url: string, max: number): string {
  if (url.length > max) throw new UrlTooLongError(`${field}: URL of ${url.length} characters is longer than the ${max} the phone takes (shorten RINGBACK_PUBLIC_URL)`);
  return url;
}

/** The `missedKey` knob: the vendor's own key number, `off` for no key, `fallback` when unset. */
export function missedKeyVar(input: ProvisionInput, fallback: number, min: number, max: number): number | null {
  return input.template.vars['missedKey'] === 'off' ? null : intVar(input, 'missedKey', fallback, min, max);
}
