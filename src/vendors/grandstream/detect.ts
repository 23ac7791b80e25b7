/** @module Grandstream phones by User-Agent: `Grandstream Model HW GXP2170 SW 1.0.11.3 DevId 000b82…` [FPBX-PROV-IDX]. */

export function detect(userAgent: string): boolean {
  return typeof userAgent === 'string' && /\bgrandstream\b/i.test(userAgent);
}
