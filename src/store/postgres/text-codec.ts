/**
 * @module Strings PostgreSQL cannot hold, kept anyway: NUL and lone UTF-16 surrogates.
 *
 * The embedded engine stores any JSON string. PostgreSQL text and JSONB refuse U+0000 and unpaired
 * surrogates (hostile phone requests carry both), which would turn a harmless request into a 503 or
 * a 500. So every string on its way to the database is escaped with a private-use mark, and every
 * value read back is unescaped: MARK → MARK 'm', U+0000 → MARK '0', a lone surrogate → MARK 's' +
 * its 4 lower-case hex digits. Strings without these characters (all real data) pass unchanged,
 * and since text columns and JSONB get the same encoding, queries still match exactly.
 */

const MARK = '\uE000';
const HAS_SPECIAL = /[\u0000\uE000\uD800-\uDFFF]/;
const TEXT_SPECIAL = /\uE000|\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** A string for a text column or parameter. */
export function encodeText(s: string): string {
  if (!HAS_SPECIAL.test(s)) return s;
  return s.replace(TEXT_SPECIAL, (c) => {
    if (c === MARK) return `${MARK}m`;
    if (c === '\u0000') return `${MARK}0`;
    return `${MARK}s${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/** A string read from a text column. */
export function decodeText(s: string): string {
  if (!s.includes(MARK)) return s;
  return s.replace(/\uE000(m|0|s([0-9a-f]{4}))/g, (_m, kind: string, hex: string | undefined) => {
    if (kind === 'm') return MARK;
    if (kind === '0') return '\u0000';
    return String.fromCharCode(parseInt(hex ?? '0', 16));
  });
}

/**
 * JSON.stringify for a JSONB parameter, escaped the same way. JSON.stringify writes U+0000 as
 * `\u0000` and a lone surrogate as `\udXXX` (a paired one stays literal), so the escapes are found
 * in the text; an escaped backslash (`\\`) is skipped so `\\u0000` (a backslash, then "u0000") stays.
 */
export function encodeJson(value: unknown): string {
  const text = JSON.stringify(value);
  if (!text.includes('\\u') && !text.includes(MARK)) return text;
  return text.replaceAll(MARK, `${MARK}m`).replace(/\\\\|\\u0000|\\u(d[89a-f][0-9a-f]{2})/g, (m, hex: string | undefined) => {
    if (m === '\\\\') return m;
    return hex === undefined ? `${MARK}0` : `${MARK}s${hex}`;
  });
}

/**
 * The type parser for json/jsonb columns. A mark only ever stands inside a JSON string (a key or a
 * value), where a `\uXXXX` escape is valid, so the text is unescaped before it is parsed.
 */
export function decodeJson(text: string): unknown {
  if (!text.includes(MARK)) return JSON.parse(text);
  return JSON.parse(text.replace(/\uE000(m|0|s([0-9a-f]{4}))/g, (_m, kind: string, hex: string | undefined) => {
    if (kind === 'm') return MARK;
    return kind === '0' ? '\\u0000' : `\\u${hex ?? '0000'}`;
  }));
}
