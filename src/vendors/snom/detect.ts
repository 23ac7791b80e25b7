/**
 * @module Snom phones by User-Agent: `Mozilla/4.0 (compatible; snom870-SIP 8.7.5…)`,
 * `…snomD785-SIP 10.1…` [FPBX-PROV-IDX].
 */

export function detect(userAgent: string): boolean {
  return typeof userAgent === 'string' && /\bsnom/i.test(userAgent);
}
