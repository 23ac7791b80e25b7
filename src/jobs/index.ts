/** @module Jobs: the node-cron scheduler wrapper and the thin job bodies. */

export { createJobs } from './scheduler.ts';
export type { JobFn, JobInfo, Jobs, JobsLog, JobsOptions } from './scheduler.ts';
export { CLOCK_CHECK_SCHEDULE, clockCheckJob } from './clock-job.ts';
