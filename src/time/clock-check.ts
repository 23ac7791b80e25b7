/** @module The server's clock check against NTP: bounded in time, never overlapping, drift logged on change. */

import { median, parseServer, queryServer } from './ntp-query.ts';
import type { ClockCheck, ClockCheckOptions, ClockLog, ClockStatus, ServerAnswer } from './types.ts';

const SILENT: ClockLog = { info() {}, warn() {} };

/** Every 15 minutes (the product's default), at second 7: off the full minute other machines' jobs crowd onto. */
export const CLOCK_CHECK_SCHEDULE = '7 */15 * * * *';

/** Validates the options once (throws on a bad server address or number) and returns the check. */
export function createClockCheck(opts: ClockCheckOptions): ClockCheck {
  const { driftThresholdMs, timeoutMs, sampleCount = 3, log = SILENT } = opts;
  if (!(driftThresholdMs >= 0)) throw new Error('[ringback] [time] driftThresholdMs must be a number ≥ 0');
  if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs)) throw new Error('[ringback] [time] timeoutMs must be a finite number > 0');
  if (!Number.isInteger(sampleCount) || sampleCount < 1) throw new Error('[ringback] [time] sampleCount must be an integer ≥ 1');
  const servers = opts.servers.map((server) => ({ server, address: parseServer(server) }));
  // A silent server costs three library rounds; a quarter of the budget each lets it fail by itself
  // (with its own error text) before our outer timeout has to cut it off.
  const replyTimeoutMs = Math.max(10, Math.floor(timeoutMs / 4));

  let last: ClockStatus = { status: 'unknown', offsetMs: null, measuredAt: null, servers: [] };
  let running: Promise<ClockStatus> | null = null;
  // Conditions are logged when they start and when they end, not on every run.
  let drifting = false;
  let unknown = false;

  async function measure(now: Date): Promise<ClockStatus> {
    const answers = new Map<string, ServerAnswer>();
    const controller = new AbortController();
    const all = Promise.all(
      servers.map(async ({ server, address }) => {
        const answer = await queryServer(server, address, { sampleCount, replyTimeoutMs, signal: controller.signal });
        answers.set(server, answer);
      }),
    );
    // ntp-time-sync can hang forever; at the deadline every server answers with what it has. Aborting
    // settles them within microtasks; the zero-delay wait is only a backstop so that can never hang us.
    await withDeadline(all, timeoutMs);
    controller.abort();
    await withDeadline(all, 0);
    const list = servers.map(({ server }) => answers.get(server)
      ?? { server, ok: false, offsetMs: null, error: `no answer within ${timeoutMs} ms` });
    const offset = median(list.flatMap((answer) => (answer.offsetMs === null ? [] : [answer.offsetMs])));
    const offsetMs = offset === null ? null : Math.round(offset);
    const status = offsetMs === null ? 'unknown' : Math.abs(offsetMs) > driftThresholdMs ? 'drifting' : 'ok';
    return { status, offsetMs, measuredAt: now.toISOString(), servers: list };
  }

  function report(result: ClockStatus): void {
    const details = { offsetMs: result.offsetMs, thresholdMs: driftThresholdMs, servers: result.servers };
    if (result.status === 'unknown' && !unknown) log.warn(details, 'clock check: no NTP server answered, clock offset unknown');
    if (result.status !== 'unknown' && unknown) log.info(details, 'clock check: NTP servers answer again');
    unknown = result.status === 'unknown';
    // An unknown result says nothing about drift, so it neither starts nor ends a drift.
    if (result.status === 'drifting' && !drifting) log.warn(details, `clock check: server clock is off by ${result.offsetMs} ms`);
    if (result.status === 'ok' && drifting) log.info(details, `clock check: server clock back within ${driftThresholdMs} ms`);
    if (result.status !== 'unknown') drifting = result.status === 'drifting';
  }

  async function run(now: Date): Promise<ClockStatus> {
    try {
      last = await measure(now);
    } catch (error) {
      // Not expected (queryServer never rejects), but a clock check must never take the server down.
      const message = error instanceof Error ? error.message : String(error);
      last = { status: 'unknown', offsetMs: null, measuredAt: now.toISOString(),
        servers: servers.map(({ server }) => ({ server, ok: false, offsetMs: null, error: message })) };
    }
    report(last);
    return last;
  }

  return {
    check(now = new Date()) {
      running ??= run(now).finally(() => {
        running = null;
      });
      return running;
    },
    status: () => last,
  };
}

// --- Internal helpers ---

/** Waits for `work` or `ms`, whichever comes first; never rejects, leaves no timer behind. */
async function withDeadline(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  try {
    await Promise.race([work.then(() => undefined, () => undefined), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
