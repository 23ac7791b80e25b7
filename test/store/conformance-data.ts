/**
 * @module The history the conformance checks run on, and the model of what the contract says reads
 * of it return (filters, newest-first order with ties broken by id), computed from the records alone.
 */
import type { CallAttempt, MissedCall } from '../../src/domain/types.ts';
import type { AttemptQuery, Change, MissedQuery } from '../../src/store/types.ts';
import { attempt, caller, missed, phone, team } from './fixtures.ts';

/** Six UTC days; the newest two are the default hot window, the rest are history. */
export const DAYS = ['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06'];
export const COLD = DAYS.slice(0, 4);
export const HOT = DAYS.slice(4);
export const TEAMS = ['sales', 'support'];

export const at = (day: string, time: string): string => `${day}T${time}.000Z`;
export const nextDay = (day: string): string => new Date(Date.parse(`${day}T00:00:00.000Z`) + 86_400_000).toISOString().slice(0, 10);
/** The whole UTC day as a query range. */
export const dayRange = (day: string) => ({ from: at(day, '00:00:00'), to: at(nextDay(day), '00:00:00') });

// Two records of each day share one instant: the order between them is the id's.
const TIMES = ['08:00:00', '09:30:00', '09:30:00', '17:45:00'];

export interface History {
  attempts: CallAttempt[];
  missed: MissedCall[];
}

/**
 * Four attempts and four missed calls a day, alternating teams; three entries open on the newest day
 * and one left open on the oldest (one open entry per caller and team, as correlation keeps it).
 */
export function history(): History {
  const attempts: CallAttempt[] = [];
  const missedCalls: MissedCall[] = [];
  DAYS.forEach((day, i) => {
    TIMES.forEach((time, k) => {
      const t = at(day, time);
      const who = caller(`+49302000${k}`);
      const hot = HOT.includes(day);
      const a = attempt(`a-${i}-${k}`, t, { destination: TEAMS[k % 2] ?? 'sales', caller: who, missedCallId: `m-${i}-${k}`,
        pbxCallId: hot ? `pbx-${i}-${k}` : null });
      attempts.push(a);
      missedCalls.push(missed(`m-${i}-${k}`, t, { team: a.destination, caller: who, attemptIds: [a.id],
        status: day === HOT[1] ? (k === 3 ? 'returned' : k === 2 ? 'assigned' : 'pending') : 'returned', lastAt: k === 3 ? t : at(day, `1${k}:00:00`) }));
    });
  });
  missedCalls.push(missed('m-old-open', at(DAYS[0] ?? '', '12:00:00'), { team: 'sales', caller: caller('+4930999999') }));
  return { attempts, missed: missedCalls };
}

/** Inventory first, then each day in its own commit (as days of traffic would arrive). */
export function commitsOf(h: History): Change[][] {
  const config: Change[] = [{ t: 'team', v: team('sales') }, { t: 'team', v: team('support') }, { t: 'phone', v: phone('001565aabbcc', 'tok-conf') }];
  const byDay = DAYS.map((day): Change[] => [
    ...h.attempts.filter((a) => a.firstRingAt.startsWith(day)).map((v): Change => ({ t: 'attempt', v })),
    ...h.missed.filter((m) => m.firstAt.startsWith(day)).map((v): Change => ({ t: 'missed', v })),
  ]);
  return [config, ...byDay];
}

export const isOpen = (m: MissedCall): boolean => m.status === 'pending' || m.status === 'assigned';

function newestFirst(a: { at: string; id: string }, b: { at: string; id: string }): number {
  if (a.at !== b.at) return a.at > b.at ? -1 : 1;
  return a.id === b.id ? 0 : a.id > b.id ? -1 : 1;
}

export function expectedMissed(h: History, q: MissedQuery): MissedCall[] {
  return h.missed.filter((m) => (q.team === undefined || m.team === q.team) && (q.status === undefined || m.status === q.status) &&
    (q.caller === undefined || m.caller.key === q.caller) && (q.from === undefined || m.firstAt >= q.from) && (q.to === undefined || m.firstAt < q.to))
    .sort((a, b) => newestFirst({ at: a.firstAt, id: a.id }, { at: b.firstAt, id: b.id }));
}

export function expectedAttempts(h: History, q: AttemptQuery): CallAttempt[] {
  return h.attempts.filter((a) => (q.destination === undefined || a.destination === q.destination) &&
    (q.from === undefined || a.firstRingAt >= q.from) && (q.to === undefined || a.firstRingAt < q.to))
    .sort((a, b) => newestFirst({ at: a.firstRingAt, id: a.id }, { at: b.firstRingAt, id: b.id }));
}
