/**
 * @module A brake on repeated warnings: the first few of a kind are logged as they come, the rest
 * counted and reported as one summary per interval. A PBX (or anything on its port) that streams
 * garbage must not flood the log, but the count still says how much there was.
 */

export interface LogLimitOptions {
  /** Warnings of one kind logged one by one per interval. Default 5. */
  first?: number;
  /** Length of an interval, ms. Default 60 s. */
  intervalMs?: number;
  /** The clock (ms). */
  now: () => number;
  /** Reports `suppressed` warnings of `key` left unlogged over the last `overMs`. */
  summary: (key: string, suppressed: number, overMs: number) => void;
}

export interface LogLimit {
  /** One warning of kind `key`: `emit` runs when it may be logged now, otherwise it is counted. */
  note(key: string, emit: () => void): void;
  /** Report the counts of intervals that are over (all counts with `all`, e.g. at close). */
  flush(all?: boolean): void;
}

export function createLogLimit(options: LogLimitOptions): LogLimit {
  const first = options.first ?? 5;
  const intervalMs = options.intervalMs ?? 60_000;
  const kinds = new Map<string, { since: number; logged: number; suppressed: number }>();

  function close(key: string, at: number): void {
    const k = kinds.get(key);
    if (k === undefined) return;
    if (k.suppressed > 0) options.summary(key, k.suppressed, at - k.since);
    kinds.delete(key);
  }

  return {
    note(key, emit) {
      const at = options.now();
      const open = kinds.get(key);
      if (open !== undefined && at - open.since >= intervalMs) close(key, at);
      const k = kinds.get(key) ?? { since: at, logged: 0, suppressed: 0 };
      kinds.set(key, k);
      if (k.logged < first) {
        k.logged++;
        emit();
      } else {
        k.suppressed++;
      }
    },
    flush(all = false) {
      const at = options.now();
      for (const [key, k] of [...kinds]) if (all || at - k.since >= intervalMs) close(key, at);
    },
  };
}
