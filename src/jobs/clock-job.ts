/** @module The NTP clock check as a job: a thin call, the check itself is bounded and never throws. */

import type { ClockCheck } from '../time/types.ts';
import type { JobFn } from './scheduler.ts';

/** Every 15 minutes (the product's default), at second 7: off the full minute other machines' jobs crowd onto. */
export const CLOCK_CHECK_SCHEDULE = '7 */15 * * * *';

export function clockCheckJob(clock: Pick<ClockCheck, 'check'>): JobFn {
  return async function clockCheck(now) {
    return clock.check(now);
  };
}
