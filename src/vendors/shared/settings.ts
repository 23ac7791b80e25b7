/**
 * @module Settings as ordered `[key, value]` pairs, the one shape every vendor file is rendered
 * from: layers merge by key (later wins, first position kept), values are checked before any
 * format writes them.
 */
import type { Setting } from '../types.ts';
import { ProvisionError } from './provision-error.ts';

/**
 * C0/C1 controls, DEL and the Unicode line/paragraph separators: a value holding one could end a
 * `key = value` line (and with it add a key of its own) or be dropped by an XML writer. Refused,
 * never stripped: a secret silently changed is worse than a clear error.
 */
const UNSAFE = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** No vendor value we write comes near this; a longer one is a mistake, not a setting. */
export const MAX_VALUE_CHARS = 2048;

/** Merge layers: a later layer's value replaces an earlier one in place; new keys are appended. */
export function mergeSettings(...layers: readonly (readonly Setting[])[]): Setting[] {
  const merged = new Map<string, string>();
  for (const layer of layers) for (const [key, value] of layer) merged.set(key, value);
  return [...merged];
}

/** Throws a ProvisionError naming the key when a value cannot be written safely by any format. */
export function checkValue(key: string, value: string): void {
  if (typeof value !== 'string') throw new ProvisionError(`${key}: value is not text`);
  if (value.length > MAX_VALUE_CHARS) throw new ProvisionError(`${key}: value longer than ${MAX_VALUE_CHARS} characters`);
  if (UNSAFE.test(value)) throw new ProvisionError(`${key}: value holds a line break or control character`);
}

/** `host:port` → `{ host, port }`; a bare host or an IPv6 literal without port keeps port ''. */
export function splitHostPort(server: string): { host: string; port: string } {
  const s = server.trim();
  const v6 = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(s);
  if (v6 !== null) return { host: `[${v6[1] ?? ''}]`, port: v6[2] ?? '' };
  const m = /^([^:]+):(\d{1,5})$/.exec(s);
  return m === null ? { host: s, port: '' } : { host: m[1] ?? s, port: m[2] ?? '' };
}
