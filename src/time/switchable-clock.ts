/**
 * @module The clock check behind a switch: NTP servers changed from the dashboard are asked from the
 * next check on, without a restart. The last result stays until the new servers have answered.
 */
import { createClockCheck } from './clock-check.ts';
import type { ClockCheck, ClockCheckOptions } from './types.ts';

export interface SwitchableClock extends ClockCheck {
  /** Check against these servers from now on (validated: throws on a bad address, keeping the old ones). */
  setServers(servers: string[]): void;
}

export function switchableClock(opts: ClockCheckOptions): SwitchableClock {
  let inner = createClockCheck(opts);
  let previous: ClockCheck | null = null;
  return {
    check: (now) => inner.check(now),
    status: () => {
      const s = inner.status();
      return s.measuredAt === null && previous !== null ? previous.status() : s;
    },
    setServers(servers) {
      const next = createClockCheck({ ...opts, servers });
      previous = inner;
      inner = next;
    },
  };
}
