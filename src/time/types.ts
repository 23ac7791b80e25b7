/** @module The clock check's contract: what it is given and what it reports (GET /api/time, /readyz). */

/** One configured NTP server's answer in the last check. */
export interface ServerAnswer {
  /** As configured, `host[:port]`. */
  server: string;
  ok: boolean;
  /** Server minus our clock, ms (median of this server's samples); null without an answer. */
  offsetMs: number | null;
  error: string | null;
}

export interface ClockStatus {
  /** `drifting` = |offset| above the threshold; `unknown` = no server answered (or none configured). */
  status: 'ok' | 'drifting' | 'unknown';
  /** Median of the answering servers' offsets, whole ms; null when unknown. */
  offsetMs: number | null;
  /** When the last check ran (ISO UTC), also for `unknown` results; null before the first check. */
  measuredAt: string | null;
  servers: ServerAnswer[];
}

/** The subset of a pino logger the check needs (a pino `Logger` fits as is). */
export interface ClockLog {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export interface ClockCheckOptions {
  /** `host` or `host:port` (IPv4 or a name resolving to IPv4; ntp-time-sync 0.5.0 speaks udp4 only). */
  servers: string[];
  /** Above this absolute offset the clock is `drifting`. */
  driftThresholdMs: number;
  /** Upper bound for one whole check, DNS included; the check resolves by then whatever the servers do. */
  timeoutMs: number;
  /** Samples per server, combined by median (default 3). */
  sampleCount?: number;
  log?: ClockLog;
}

export interface ClockCheck {
  /** Measure now. Never rejects; a call while a check runs gets that check's promise. */
  check(now?: Date): Promise<ClockStatus>;
  /** The last result (`unknown`, never measured, before the first check). */
  status(): ClockStatus;
}
