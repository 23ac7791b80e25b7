/** @module The escalation/notify tick as a job: a thin call; the notifier never overlaps itself. */

import type { Notifier } from '../notify/notifier.ts';
import type { JobFn } from './scheduler.ts';

export function notifyJob(notifier: Pick<Notifier, 'tick'>): JobFn {
  return async function notify(now) {
    return notifier.tick(now);
  };
}
