/** @module Text hygiene for values that come from phones and go onto phone screens. */

/** Longest value we keep from any one phone field (query parameter or XML element). */
export const FIELD_MAX = 256;

/**
 * C0/C1 controls, DEL, U+FFFE/U+FFFF, lone UTF-16 surrogates (all illegal or invisible in XML 1.0),
 * and the bidi embedding/override/isolate controls, which let a caller name re-order what the
 * screen shows ("Trojan Source" style spoofing). Ordinary RTL letters are kept.
 */
const UNWANTED =
  /[\u0000-\u001F\u007F-\u009F\uFFFE\uFFFF\u202A-\u202E\u2066-\u2069]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Whitespace controls that separate words: turned into one space rather than glued together. */
const SPACING = /[\t\n\v\f\r\u0085\u2028\u2029]+/g;

/** Strip what must never reach a log or a screen; newlines become spaces. Does not trim. */
export function stripControls(value: string): string {
  return value.replace(SPACING, ' ').replace(UNWANTED, '');
}

/**
 * One field as a phone sent it, made safe: non-strings → '', an unfilled `$variable` → '',
 * controls stripped, trimmed, cut to `max` UTF-16 units (never splitting a surrogate pair).
 */
export function cleanField(value: unknown, max = FIELD_MAX): string {
  if (typeof value !== 'string') return '';
  // Look at a bounded prefix only: a 1 MB value costs no more than a 4 KB one.
  let s = stripControls(value.length > max * 4 ? value.slice(0, max * 4) : value).trim();
  if (isUnfilledVariable(s)) return '';
  if (s.length > max) s = cutUnits(s, max).trim();
  return s;
}

/**
 * A phone leaves a `$variable` it has no value for literally in the URL (`remote=$remote`), and
 * Snom's `$call-id` arrives as `$call-id` (Grandstream's `{call-id}` as `{call-id}`). Such a value
 * is "not given".
 */
export function isUnfilledVariable(value: string): boolean {
  // Grandstream's Outbound Notification writes its variables in braces: `{call-id}`.
  return /^\$[A-Za-z_][\w-]*$/.test(value) || /^\{[A-Za-z_][\w-]*\}$/.test(value);
}

/** Cut to at most `max` UTF-16 units without leaving half a surrogate pair. */
function cutUnits(s: string, max: number): string {
  const code = s.charCodeAt(max - 1);
  return code >= 0xd800 && code <= 0xdbff ? s.slice(0, max - 1) : s.slice(0, max);
}

/**
 * Cut a label to at most `max` characters (Unicode code points, which is what XSD `maxLength`
 * counts), ending in '…' when something was cut. Whitespace is collapsed first.
 */
export function cutLabel(value: string, max: number): string {
  const s = stripControls(value.length > max * 8 + 64 ? value.slice(0, max * 8 + 64) : value)
    .replace(/ {2,}/g, ' ')
    .trim();
  if (max <= 0) return '';
  if (s.length <= max) return s; // UTF-16 length ≥ code points: nothing to cut.
  const points = Array.from(s);
  if (points.length <= max) return s;
  // Drop a dangling zero-width joiner or variation selector at the cut: it would glue onto '…'.
  const head = points.slice(0, max - 1).join('').replace(/[\u200D\uFE0E\uFE0F]+$/, '').trimEnd();
  return `${head}…`;
}

/** Number of Unicode code points (XSD length). */
export function charCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}
