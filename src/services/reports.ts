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

/** Reads the period's records from history (every day asked for, not only the hot ones), then summarises them. */
export async function buildReport(store: Store, r: ReportRequest): Promise<ReportSummary> {
  const range = { ...(r.from === null ? {} : { from: r.from }), to: r.to };
  const attempts: CallAttempt[] = [];
  const missed: MissedCall[] = [];
  if (r.teams === null) {
    for await (const a of store.history.attemptsIn(range)) attempts.push(a);
    for await (const m of store.history.missedCalls(range)) missed.push(m);
  } else {
    for (const team of new Set(r.teams)) {
      for await (const a of store.history.attemptsIn({ ...range, destination: team })) attempts.push(a);
      for await (const m of store.history.missedCalls({ ...range, team })) missed.push(m);
    }
  }
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
  return summarise({ attempts, missed, teamOf, period: { from: r.from, to: r.to }, now: r.now });
}
