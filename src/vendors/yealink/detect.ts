/** @module Yealink phones by User-Agent: `Yealink SIP-T46U 108.86.0.20 80:5e:c0:…` [FPBX-PROV-IDX]. */

export function detect(userAgent: string): boolean {
  return typeof userAgent === 'string' && /\byealink\b/i.test(userAgent);
}
