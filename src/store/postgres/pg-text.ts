/**
 * @module What PostgreSQL's text and jsonb cannot hold: U+0000 and lone UTF-16 surrogates (JSON
 * writes them as `\u0000`, `\ud800`, and PostgreSQL refuses both). A caller's display name or a
 * phone's URL may carry them; sent as is, the whole group commit (or a lookup) would fail, so each
 * becomes U+FFFD (the replacement character) on the way in. Only text that holds one pays for it.
 */

const REPLACEMENT = '\uFFFD';

const REFUSED = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const REFUSED_ONE = new RegExp(REFUSED.source);
const clean = (s: string): string => s.replace(REFUSED, REPLACEMENT);
const needsCleaning = (s: string): boolean => REFUSED_ONE.test(s);
/** JSON.stringify escapes exactly these (a well-formed pair is written as itself). */
const ESCAPED = /\\u(?:0000|d[89a-f])/;

/** A JSON.stringify replacer: strings, and the keys of objects (a record keyed by what a PBX sent). */
function withoutNul(_key: string, value: unknown): unknown {
  if (typeof value === 'string') return needsCleaning(value) ? clean(value) : value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  if (!keys.some(needsCleaning)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [clean(k), v]));
}

/** JSON for a `$n::jsonb` parameter. */
export function jsonParam(value: unknown): string {
  const text = JSON.stringify(value);
  // A false alarm (a literal backslash before "u0000" in some text) only costs a second pass.
  return ESCAPED.test(text) ? JSON.stringify(value, withoutNul) : text;
}

/** A text parameter: no stored text holds what is cleaned, so a lookup by one finds what the write kept. */
export function textParam<T>(value: T): T {
  return (typeof value === 'string' && needsCleaning(value) ? clean(value) : value) as T;
}
