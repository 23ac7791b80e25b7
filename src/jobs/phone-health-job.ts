/** @module The offline-phone and fault check as a job: a thin call into the phone-health service. */

import type { PhoneHealth } from '../services/phone-health.ts';
import type { JobFn } from './scheduler.ts';

export function phoneHealthJob(health: Pick<PhoneHealth, 'check'>): JobFn {
  return async function phoneHealth(now) {
    return health.check(now);
  };
}
