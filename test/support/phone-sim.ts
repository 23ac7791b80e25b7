/** Test support: fill action-URL `$variables` the way a desk phone does. */

/**
 * Substitute `$name` tokens with values as phones do: no URL-encoding except what HTTP itself
 * cannot carry (spaces and non-ASCII), so `+`, quotes, `<sip:…>` and `;` arrive raw.
 */
export function fillActionUrl(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\$[a-zA-Z_][a-zA-Z0-9_-]*/g, (token) => {
    const v = values[token.slice(1)];
    return v === undefined ? token : phoneEncode(v);
  });
}

function phoneEncode(v: string): string {
  return [...v].map((ch) => (/^[\x21-\x7e]$/.test(ch) && ch !== '&' && ch !== '#' && ch !== '%' ? ch : encodeURIComponent(ch))).join('');
}

/** Path and query of an absolute URL (supertest takes the path). */
export function pathOf(url: string): string {
  return url.replace(/^https?:\/\/[^/]+/, '');
}
