/**
 * @module `key = value` files (Yealink `.cfg` and `.boot` [Y-BOOT-T2]): a fixed first line, one
 * setting per line. A value can never start a new line (checkValue refuses line breaks), so no
 * inventory value can add a key.
 */
import type { Setting } from '../../types.ts';
import { ProvisionError } from '../provision-error.ts';
import { checkValue } from '../settings.ts';

/** Keys as Yealink writes them: `account.1.sip_server.1.address`, `linekey.2.type`. */
export const KEY = /^[A-Za-z0-9_][A-Za-z0-9_.\-]{0,127}$/;

export const TEXT_CONTENT_TYPE = 'text/plain; charset=utf-8';

/**
 * `header`, then `lines` as given (already safe, e.g. `include:config "…"`), then one line per
 * setting. Values keep inner spaces; leading or trailing spaces would be trimmed by the phone, so
 * they are refused rather than silently lost.
 */
export function keyValueFile(header: string, settings: readonly Setting[], lines: readonly string[] = []): string {
  const out = [header, ...lines];
  for (const [key, value] of settings) {
    if (!KEY.test(key)) throw new ProvisionError(`${key.slice(0, 64)}: not a setting name`);
    checkValue(key, value);
    if (value !== value.trim()) throw new ProvisionError(`${key}: value starts or ends with a space`);
    out.push(`${key} = ${value}`);
  }
  return `${out.join('\n')}\n`;
}
