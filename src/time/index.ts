/** @module Time: the NTP clock check and phone clock skew. */

export { createClockCheck } from './clock-check.ts';
export { phoneSkewMs } from './phone-skew.ts';
export type { ClockCheck, ClockCheckOptions, ClockLog, ClockStatus, ServerAnswer } from './types.ts';
