/**
 * @module Reports for a set of teams and a period: merged from the store's per-day aggregates
 * (`report-day`, domain/report-days.ts), so a month of a million calls reads 30 values, not a
 * million records. Records are read only where aggregates cannot answer: the pieces of an hour at
 * either end of the period, and days whose aggregate assumed a team's old time zone or business hours.
 * The result equals `summarise` over the same records (test/reports/report-store.test.ts).
 */
import { deriveReportDay, REPORT_DAY_VERSION, stillHolds, type ReportDay } from '../domain/report-days.ts';
import { reportMerger } from '../domain/report-merge.ts';
import { planReport } from '../domain/report-plan.ts';
import type { ReportSummary, ReportTeam } from '../domain/reports.ts';
import type { CallAttempt, MissedCall } from '../domain/types.ts';
import type { DayDerivation, Store, StoreReads } from '../store/types.ts';

export interface ReportRequest {
  /** Team ids (or `ext:<n>` destinations) to include; null = every destination. */
  teams: readonly string[] | null;
  from: string | null;
  to: string;
  now: string;
  /** Zone for destinations that are no team. */
  defaultTimeZone: string;
}

/** The name the report's per-day aggregate is registered under (compose.ts, `storeDerivations`). */
export const REPORT_DAY = 'report-day';

/** The store keeps a `ReportDay` per day; `defaultTimeZone` is the zone of destinations in no team. */
export function reportDayDerivation(defaultTimeZone: string): DayDerivation<ReportDay> {
  return {
    name: REPORT_DAY,
    version: REPORT_DAY_VERSION,
    derive: (day, attempts, missed, config) => deriveReportDay(day, attempts, missed, teamsOf(config, defaultTimeZone)),
  };
}

export async function buildReport(store: Store, r: ReportRequest): Promise<ReportSummary> {
  const period = { from: r.from, to: r.to };
  const teamOf = teamsOf(store, r.defaultTimeZone);
  const destinations = r.teams === null ? null : new Set(r.teams);
  const merger = reportMerger({ period, now: r.now, destinations });
  const plan = planReport(period, await store.history.days());
  const wanted = new Map(plan.days.map((d) => [d.day, d]));
  for await (const { day, value } of store.history.derived<ReportDay>(REPORT_DAY, [...wanted.keys()])) {
    const part = wanted.get(day);
    if (part === undefined) continue;
    const start = Date.parse(`${day}T00:00:00.000Z`);
    const holds = value.dests.every((d) => (destinations !== null && !destinations.has(d.dest)) || stillHolds(d, teamOf(d.dest)));
    // A team's zone or hours changed since the day was aggregated: that day's hours in the period, from its records.
    const used = holds ? value : await fromRecords(store, day, hourIso(start, part.fromHour), hourIso(start, part.toHour), destinations, teamOf);
    merger.add({ day: used, fromHour: part.fromHour, toHour: part.toHour });
  }
  for (const edge of plan.edges) merger.add({ day: await fromRecords(store, edge.from.slice(0, 10), edge.from, edge.to, destinations, teamOf) });
  return merger.finish();
}

// --- Internal helpers ---

/** Zone and hours of each destination from the teams as they are now; a destination in no team has the default zone. */
function teamsOf(reads: Pick<StoreReads, 'team'>, defaultTimeZone: string): (destination: string) => ReportTeam {
  const teams = new Map<string, ReportTeam>();
  return (destination) => {
    let t = teams.get(destination);
    if (t === undefined) {
      const team = reads.team(destination);
      t = team === undefined ? { timeZone: defaultTimeZone } : { timeZone: team.timeZone, businessHours: team.businessHours };
      teams.set(destination, t);
    }
    return t;
  };
}

/** The aggregate of the records in `[from, to)` (inside `day`) of the destinations asked for. */
async function fromRecords(
  store: Store, day: string, from: string, to: string, destinations: ReadonlySet<string> | null, teamOf: (d: string) => ReportTeam,
): Promise<ReportDay> {
  const attempts: CallAttempt[] = [];
  const missed: MissedCall[] = [];
  for (const destination of destinations === null ? [undefined] : destinations) {
    const q = destination === undefined ? { from, to } : { from, to, destination };
    for await (const a of store.history.attemptsIn(q)) attempts.push(a);
    for await (const m of store.history.missedCalls(destination === undefined ? { from, to } : { from, to, team: destination })) missed.push(m);
  }
  return deriveReportDay(day, attempts, missed, teamOf);
}

function hourIso(dayStartMs: number, hour: number): string {
  return new Date(dayStartMs + hour * 3_600_000).toISOString();
}
