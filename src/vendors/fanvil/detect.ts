/** @module Fanvil phones by User-Agent: `Fanvil X4U 2.12.2 0c383e…` [FPBX-PROV-IDX]. */

export function detect(userAgent: string): boolean {
  return typeof userAgent === 'string' && /\bfanvil\b/i.test(userAgent);
}
