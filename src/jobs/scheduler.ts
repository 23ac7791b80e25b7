/** @module Named node-cron schedules: observable, never overlapping, never fatal, never keeping the process alive. */

import cron, { type Logger, type ScheduledTask, type TaskOptions } from 'node-cron';

/** A job body: a thin call into a service. `now` is the slot it was scheduled for (or the manual start). */
export type JobFn = (now: Date) => Promise<unknown>;

/** What GET /api/jobs shows per job. */
export interface JobInfo {
  name: string;
  /** The cron expression as added. */
  schedule: string;
  /** When the last run started (ISO UTC); null if it never ran. */
  lastRun: string | null;
  /** Next scheduled start (ISO UTC); null once stopped. */
  nextRun: string | null;
  /** The last run's error message; null when the last run succeeded (or none ran). */
  lastError: string | null;
  running: boolean;
}

/** The subset of a pino logger the scheduler needs (a pino `Logger` fits as is). */
export interface JobsLog {
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface JobsOptions {
  /** IANA zone the cron expressions are read in (default: the process's zone). */
  timezone?: string;
  /** Receives failed runs and node-cron's own warnings (missed slots); default: node-cron's console logger. */
  log?: JobsLog;
  /** How long stop() waits for running jobs to finish (default 10 s). */
  stopTimeoutMs?: number;
}

export interface Jobs {
  /** Schedules `fn`; throws on a duplicate name, an invalid cron expression or after stop(). */
  add(name: string, cronExpr: string, fn: JobFn): void;
  list(): JobInfo[];
  /** Runs a job now and resolves when it ends (a failure is recorded, not thrown); joins a run in progress. */
  run(name: string): Promise<JobInfo>;
  /** Destroys every task, then waits (bounded) for runs in progress. */
  stop(): Promise<void>;
}

export function createJobs(opts: JobsOptions = {}): Jobs {
  const { timezone, log, stopTimeoutMs = 10_000 } = opts;
  if (timezone !== undefined) assertTimeZone(timezone);
  const jobs = new Map<string, Job>();
  let stopped = false;

  // One promise per job in progress: a scheduled slot and run() both join it instead of starting twice.
  function start(job: Job, now: Date): Promise<void> {
    job.running ??= execute(job, now).finally(() => {
      job.running = null;
    });
    return job.running;
  }

  async function execute(job: Job, now: Date): Promise<void> {
    job.lastRun = new Date().toISOString();
    try {
      await job.fn(now);
      job.lastError = null;
    } catch (error) {
      // Recorded and logged, never rethrown: a failing job keeps its schedule and the process lives on.
      job.lastError = error instanceof Error ? error.message : String(error);
      log?.error({ job: job.name, err: error }, `job ${job.name} failed`);
    }
  }

  function info(job: Job): JobInfo {
    return {
      name: job.name,
      schedule: job.schedule,
      lastRun: job.lastRun,
      nextRun: stopped ? null : (job.task.getNextRun()?.toISOString() ?? null),
      lastError: job.lastError,
      running: job.running !== null,
    };
  }

  return {
    add(name, cronExpr, fn) {
      if (stopped) throw new Error(`[ringback] [jobs] cannot add job "${name}": the scheduler is stopped`);
      if (!name) throw new Error('[ringback] [jobs] a job needs a name');
      if (jobs.has(name)) throw new Error(`[ringback] [jobs] job "${name}" already exists`);
      const validation = cron.validateDetailed(cronExpr);
      if (!validation.valid) {
        const reasons = validation.errors.map((e) => e.message).join('; ');
        throw new Error(`[ringback] [jobs] job "${name}": invalid cron expression "${cronExpr}": ${reasons}`);
      }
      const options: TaskOptions = { name, noOverlap: true, unref: true }; // unref: a schedule alone never keeps the process up
      if (timezone !== undefined) options.timezone = timezone;
      if (log) options.logger = cronLogger(log, name);
      // The callback only runs at a later slot, by when `job` exists.
      const task = cron.schedule(cronExpr, (ctx) => start(job, ctx.date), options);
      const job: Job = { name, schedule: cronExpr, fn, task, lastRun: null, lastError: null, running: null };
      jobs.set(name, job);
    },
    list: () => [...jobs.values()].map(info),
    async run(name) {
      const job = jobs.get(name);
      if (!job) throw new Error(`[ringback] [jobs] no job named "${name}"`);
      if (stopped) throw new Error(`[ringback] [jobs] cannot run job "${name}": the scheduler is stopped`);
      await start(job, new Date());
      return info(job);
    },
    async stop() {
      stopped = true;
      for (const job of jobs.values()) await job.task.destroy();
      const running = [...jobs.values()].flatMap((job) => (job.running ? [job.running] : []));
      if (running.length > 0) await settleWithin(Promise.all(running), stopTimeoutMs);
    },
  };
}

// --- Internal helpers ---

interface Job {
  name: string;
  schedule: string;
  fn: JobFn;
  task: ScheduledTask;
  lastRun: string | null;
  lastError: string | null;
  running: Promise<void> | null;
}

function assertTimeZone(timeZone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch (cause) {
    throw new Error(`[ringback] [jobs] unknown time zone "${timeZone}"`, { cause });
  }
}

/** node-cron's logger interface onto ours; info/debug chatter (task started…) is dropped. */
function cronLogger(log: JobsLog, job: string): Logger {
  return {
    info() {},
    debug() {},
    warn: (message) => log.warn({ job }, `node-cron: ${message}`),
    error: (message, err) => log.error({ job, err: err ?? message }, `node-cron: ${String(message)}`),
  };
}

async function settleWithin(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    timer.unref();
  });
  try {
    await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
