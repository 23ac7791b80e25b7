/** @module The nightly retention run as a job: a thin call into the retention service. */

import type { Retention } from '../services/retention.ts';
import type { JobFn } from './scheduler.ts';

export function retentionJob(service: Pick<Retention, 'run'>): JobFn {
  return async function retention(now) {
    return service.run(now);
  };
}
