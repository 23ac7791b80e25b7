/**
 * @module Cisco phones by User-Agent: `Cisco-CP8841-3PCC/11.3.7` (MPP), `Cisco/SPA504G-7.6.2`.
 * Enterprise firmware also sends `x-CiscoIPPhoneModelName` [CISCO-5.0-CH5]; the HTTP layer passes
 * only the User-Agent, so that header is not seen here.
 */

export function detect(userAgent: string): boolean {
  return typeof userAgent === 'string' && /\bcisco\b/i.test(userAgent);
}
