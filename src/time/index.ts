/** @module Time: the NTP clock check and phone clock skew. */

export { phoneSkewMs } from './phone-skew.ts';
export type { ClockStatus } from './types.ts';
