/**
 * Test support: the push service's timers on the test's clock. Work due now runs on the next turn
 * by itself (a push right after a change); anything later waits until the test moves the clock.
 */
import type { Scheduler } from '../../src/push/types.ts';
import type { Clock } from '../support/app.ts';

interface Timer { at: number; fn: () => void; cancelled: boolean }

export class ManualScheduler implements Scheduler {
  readonly #clock: Clock;
  readonly #timers: Timer[] = [];
  constructor(clock: Clock) {
    this.#clock = clock;
  }

  now = (): number => this.#clock.ms;

  set = (ms: number, fn: () => void): unknown => {
    const timer: Timer = { at: this.#clock.ms + Math.max(0, ms), fn, cancelled: false };
    if (ms <= 0) setImmediate(() => { if (!timer.cancelled) fn(); });
    else this.#timers.push(timer);
    return timer;
  };

  clear = (handle: unknown): void => {
    (handle as Timer).cancelled = true;
  };

  /** Move the clock on and run, in time order, every timer that is due by then. */
  advance(seconds: number): void {
    const end = this.#clock.ms + seconds * 1000;
    for (;;) {
      const due = this.#timers.filter((t) => !t.cancelled && t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (due === undefined) break;
      due.cancelled = true;
      this.#clock.ms = Math.max(this.#clock.ms, due.at);
      due.fn();
    }
    this.#clock.ms = end;
    for (let i = this.#timers.length - 1; i >= 0; i--) if (this.#timers[i]?.cancelled === true) this.#timers.splice(i, 1);
  }

  /** Timers still waiting (due at or before `withinSeconds` from now). */
  pending(withinSeconds = Infinity): number {
    return this.#timers.filter((t) => !t.cancelled && t.at <= this.#clock.ms + withinSeconds * 1000).length;
  }
}
