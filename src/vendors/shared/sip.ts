/** @module SIP addresses as phones report them: `"Anna" <sip:0612@pbx;user=phone>`, `0612@host`, `+4930…`. */

/**
 * The user part of whatever a phone reports as a party: `sip:0612@pbx;user=phone` → `0612`,
 * `<sips:+4930@pbx>` → `+4930`, `tel:+4930;phone-context=x` → `+4930`, `20701@172.18.186.94`
 * → `20701`, `0612` → `0612`. Percent-escapes in the user part (`%23` for `#`) are decoded.
 * Phones send SIP URIs, not bare numbers [Y-VARS], and Poly may send `user@host` [PLCM-WEB50-27].
 */
export function sipUser(reported: string): string {
  let s = reported.trim();
  const angle = /<([^>]*)>/.exec(s);
  if (angle?.[1] !== undefined) s = angle[1];
  s = s.trim().replace(/^(?:sips?|tel):/i, '');
  const at = s.indexOf('@');
  if (at >= 0) s = s.slice(0, at);
  const semi = s.indexOf(';');
  if (semi >= 0) s = s.slice(0, semi);
  // A user part may carry a password (`user:pass@host`): never keep it.
  const colon = s.indexOf(':');
  if (colon >= 0) s = s.slice(0, colon);
  return decodePercent(s).trim();
}

/**
 * The display name of a name-addr (`"Anna Smith" <sip:…>` → `Anna Smith`), or '' when there is none.
 */
export function displayNameOf(reported: string): string {
  const lt = reported.indexOf('<');
  if (lt <= 0) return '';
  return unquote(reported.slice(0, lt));
}

/** Strip one pair of surrounding double quotes and SIP quoted-pair escapes (`\"` → `"`). */
export function unquote(name: string): string {
  const s = name.trim();
  const m = /^"(.*)"$/s.exec(s);
  return (m?.[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : s).trim();
}

/**
 * A number field after an HTTP layer may have decoded an unencoded `+` to a space
 * (stack.md §7: `?remote=+4930` → `' 4930'`): restore the `+`. The `InboundRequest` contract keeps
 * `+` already; this is a second line of defence.
 */
export function restorePlus(value: string): string {
  return /^ \d/.test(value) ? `+${value.slice(1)}` : value;
}

function decodePercent(s: string): string {
  if (!s.includes('%')) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
