/** @module The report's input and output shapes (summarise, and the merge of per-day aggregates). */
import type { RateTable } from './reports-rates.ts';
import type { BusinessHours } from './schedule.ts';
import type { Quantiles } from './reports-stats.ts';
import type { CallAttempt, CallbackOutcome, MissedCall, MissedStatus } from './types.ts';

export interface ReportTeam {
  timeZone: string;
  businessHours?: BusinessHours | undefined;
}

export interface ReportInput {
  /** Attempts whose first ring lies in the period. */
  attempts: Iterable<CallAttempt>;
  /** Entries whose first call lies in the period. */
  missed: Iterable<MissedCall>;
  /** Zone and hours of a destination (team id, or `ext:<n>` for phones in no team). */
  teamOf: (destination: string) => ReportTeam;
  period: { from: string | null; to: string };
  now: string;
  /** How many repeat callers to list (default 10). */
  topCallers?: number;
}

export interface OutcomeCounts {
  calls: number;
  answered: number;
  answeredElsewhere: number;
  missed: number;
  abandonedShort: number;
}

export interface ReportSummary {
  period: { from: string | null; to: string };
  generatedAt: string;
  totals: OutcomeCounts & {
    attempts: number;
    notCounted: number;
    pending: number;
    /** missed / calls */
    missedRate: number | null;
    abandonedShortRate: number | null;
  };
  /** 24 rows, hour 0-23 local to each call's team; `missedRate` = missed / calls of that hour. */
  byHour: (OutcomeCounts & { hour: number; missedRate: number | null })[];
  /** 7 rows, 0 = Sunday … 6 = Saturday. */
  byWeekday: (OutcomeCounts & { weekday: number; name: string; missedRate: number | null })[];
  /** Per team (destination): calls, missed and the missed rate, in all and by hour and weekday. */
  byTeam: (RateTable & { team: string })[];
  afterHours: { calls: number; missed: number; callsShare: number | null; missedShare: number | null };
  ringDuration: {
    buckets: (OutcomeCounts & { from: number; to: number | null; label: string })[];
    /** Calls whose ring time is unknown (some PBX answers carry none). */
    unknown: OutcomeCounts;
    answeredSeconds: Quantiles;
    missedSeconds: Quantiles;
  };
  entries: {
    total: number;
    byStatus: Record<MissedStatus, number>;
    /** Entries grouping more than one call of the same caller. */
    withRepeats: number;
    /** How the returned ones were settled. */
    returnedOutcome: Record<CallbackOutcome, number>;
  };
  timeToCallback: {
    /** Entries with at least one callback (any outcome, from a phone, the API or dialled back). */
    calledBack: number;
    notCalledBack: number;
    /** From the entry's first call to its first callback. */
    seconds: Quantiles;
    /** The same, counting only the team's business hours (a call at 18:00 returned at 08:05 = 5 min). */
    businessSeconds: Quantiles;
  };
  callbacks: {
    total: number;
    byOutcome: Record<CallbackOutcome, number>;
    byPerson: ({ person: string; total: number } & Record<CallbackOutcome, number>)[];
  };
  repeatCallers: {
    /** Distinct known callers (anonymous ones cannot be told apart). */
    callers: number;
    /** Callers with two or more calls. */
    repeat: number;
    missedCallers: number;
    /** Missed callers who called again after their first missed call… */
    calledAgain: number;
    /** …and of those, the ones a later call of theirs was answered. */
    reachedLater: number;
    top: { callerKey: string; name: string; calls: number; missed: number; answered: number; lastAt: string }[];
  };
  /**
   * Per extension that rang: for finding a phone that never answers. `rates` counts the calls that
   * rang it (`calls`) and those of them nobody answered, by hour and weekday.
   */
  extensions: { extension: string; rang: number; answered: number; missed: number; missedShare: number | null; rates: RateTable }[];
}
