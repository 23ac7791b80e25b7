/**
 * @module What a provisioning request's User-Agent says about the phone: the MAC many vendors
 * append (`Yealink SIP-T46U 108.86.0.20 80:5e:c0:12:34:56`, `Fanvil X4U 2.12.2 0c383e123456`,
 * Grandstream `DevId 000b82123456`, Snom's 11th token [FPBX-PROV-IDX]).
 */

/**
 * The MAC named in a User-Agent (12 lower-case hex), or undefined when it names none. A bare
 * 12-hex token must contain a letter or sit at a word boundary after a space, so a firmware
 * number is not mistaken for one.
 */
export function macInUserAgent(userAgent: string): string | undefined {
  if (typeof userAgent !== 'string' || userAgent === '') return undefined;
  const ua = userAgent.slice(0, 512);
  const colon = /(?:^|[\s(;])((?:[0-9a-f]{2}[:-]){5}[0-9a-f]{2})(?=$|[\s);])/i.exec(ua);
  if (colon?.[1] !== undefined) return colon[1].replace(/[:-]/g, '').toLowerCase();
  const bare = /(?:^|[\s(;])([0-9a-f]{12})(?=$|[\s);])/i.exec(ua);
  return bare?.[1]?.toLowerCase();
}

/** Model and firmware from the first match of `pattern` (groups 1 and 2), when it matches. */
export function modelAndFirmware(userAgent: string, pattern: RegExp): { model?: string; firmware?: string } {
  const m = pattern.exec(typeof userAgent === 'string' ? userAgent.slice(0, 512) : '');
  const out: { model?: string; firmware?: string } = {};
  if (m?.[1] !== undefined && /^[\w.-]{1,32}$/.test(m[1])) out.model = m[1];
  if (m?.[2] !== undefined && /^[\w.-]{1,32}$/.test(m[2])) out.firmware = m[2];
  return out;
}

/** Upper-case letters and digits only: `VVX_410` → `VVX410`, `T19P E2` → `T19PE2`. */
export function plainModelKey(model: string): string {
  return model.toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 32);
}
