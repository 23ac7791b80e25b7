/** @module Query strings as phones send them. */

/**
 * Parse the query of a request URL keeping a literal `+` (phones fill `$variables` unencoded, so
 * `+4930…` must stay a `+`, which `URLSearchParams` and Express would turn into a space).
 * The first value of a repeated key wins. Returns null on a broken percent-escape.
 */
export function parseRawQuery(url: string, maxPairs = 100): Record<string, string> | null {
  const q = url.indexOf('?');
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  if (q < 0) return out;
  const pairs = url.slice(q + 1).split('#')[0]?.split('&') ?? [];
  for (const pair of pairs.slice(0, maxPairs)) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = decode(eq < 0 ? '' : pair.slice(eq + 1));
    if (key === null || value === null) return null;
    if (!(key in out)) out[key] = value;
  }
  return out;
}

function decode(s: string): string | null {
  // Most of what phones send has no escape at all (an event URL: a few dozen pairs a second per phone).
  if (!s.includes('%')) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}
