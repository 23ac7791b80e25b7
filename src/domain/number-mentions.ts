/**
 * @module Finding one phone number in free text (history notes, rules) however it was written:
 * `+49 30 123456`, `0049-30-123456`, `(030) 123 456`. A plain scanner, not a RegExp built from the
 * number: a "number" is whatever a caller or admin typed (`1+1`, `+SUM(1+1)`), and text compiled
 * into a pattern would be a pattern.
 */

/** Characters that may sit between the digits of one written number. */
const SEPARATORS = new Set([' ', '\t', '\n', '\r', '-', '.', '/', '(', ')']);

/** A span `[start, end)` of `text` that spells the number. */
export interface Mention {
  start: number;
  end: number;
}

/**
 * Every mention of one of `forms` (the number's symbols, `+` of E.164 dropped: `4930123456`,
 * `030123456`) in `text`, left to right, not overlapping. A mention may carry a leading `+` or
 * `00` and separators between symbols, and is never part of a longer digit run (030123 is not
 * found inside 4930123456…).
 */
export function findMentions(text: string, forms: readonly string[]): Mention[] {
  const usable = [...new Set(forms)].filter((f) => f.length >= 3).sort((a, b) => b.length - a.length);
  const out: Mention[] = [];
  if (usable.length === 0) return out;
  let i = 0;
  while (i < text.length) {
    const end = isDigit(text[i - 1]) ? -1 : matchAt(text, i, usable);
    if (end > i) {
      out.push({ start: i, end });
      i = end;
    } else {
      i += 1;
    }
  }
  return out;
}

export function mentions(text: string, forms: readonly string[]): boolean {
  return findMentions(text, forms).length > 0;
}

/** `text` with every mention replaced by `replacement`. */
export function replaceMentions(text: string, forms: readonly string[], replacement: string): string {
  let out = '';
  let from = 0;
  for (const m of findMentions(text, forms)) {
    out += text.slice(from, m.start) + replacement;
    from = m.end;
  }
  return out + text.slice(from);
}

// --- Internal helpers ---

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/** The end of the longest mention starting at `start` (prefix `+`/`00` optional), or -1. */
function matchAt(text: string, start: number, forms: readonly string[]): number {
  const starts = [start];
  if (text[start] === '+') starts.push(skipSeparators(text, start + 1));
  if (text.startsWith('00', start)) starts.push(skipSeparators(text, start + 2));
  for (const form of forms) {
    for (const s of starts) {
      const end = spell(text, s, form);
      if (end > 0 && !isDigit(text[end])) return end;
    }
  }
  return -1;
}

/** Where `form` ends when spelled from `at` with separators between its symbols, or -1. */
function spell(text: string, at: number, form: string): number {
  let i = at;
  for (let k = 0; k < form.length; k++) {
    if (k > 0) i = skipSeparators(text, i);
    if (text[i] !== form[k]) return -1;
    i += 1;
  }
  return i;
}

function skipSeparators(text: string, at: number): number {
  let i = at;
  while (i < text.length && SEPARATORS.has(text[i] ?? '')) i += 1;
  return i;
}
