/** @module Reports for a set of teams and a period, read from the store and summarised by the pure domain. */
import { summarise, type ReportSummary, type ReportTeam } from '../domain/reports.ts';
import type { CallAttempt, MissedCall } from '../domain/types.ts';
import type { Store } from '../store/types.ts';

export interface ReportRequest {
  /** Team ids (or `ext:<n>` destinations) to include; null = every destination. */
  teams: readonly string[] | null;
  from: string | null;
  to: string;
  now: string;
  /** Zone for destinations that are no team. */
  defaultTimeZone: string;
}

export function buildReport(store: Store, r: ReportRequest): ReportSummary {
  const range = { ...(r.from === null ? {} : { from: r.from }), to: r.to };
  const attempts = function* (): Generator<CallAttempt> {
    if (r.teams === null) yield* store.attempts(range);
    else for (const destination of new Set(r.teams)) yield* store.attempts({ ...range, destination });
  };
  const missed = function* (): Generator<MissedCall> {
    if (r.teams === null) yield* store.missedCalls(range);
    else for (const team of new Set(r.teams)) yield* store.missedCalls({ ...range, team });
  };
  const teams = new Map<string, ReportTeam>();
  const teamOf = (destination: string): ReportTeam => {
    let t = teams.get(destination);
    if (t === undefined) {
      const team = store.team(destination);
      t = team === undefined ? { timeZone: r.defaultTimeZone } : { timeZone: team.timeZone, businessHours: team.businessHours };
      teams.set(destination, t);
    }
    return t;
  };
  return summarise({ attempts: attempts(), missed: missed(), teamOf, period: { from: r.from, to: r.to }, now: r.now });
}
