/** Test fixtures for follow-up: teams, missed calls and attempts as plain records with explicit times. */
import type { BusinessHours } from '../../src/domain/schedule.ts';
import type { CallAttempt, MissedCall, Team } from '../../src/domain/types.ts';
import type { TeamNotifySettings } from '../../src/notify/settings.ts';

export const BERLIN = 'Europe/Berlin';
export const MINUTE = 60_000;
export const HOUR = 3_600_000;

/** Mon–Fri 08:00–17:00 in the team's zone. */
export const OFFICE: BusinessHours = {
  weekly: { 1: ['08:00-17:00'], 2: ['08:00-17:00'], 3: ['08:00-17:00'], 4: ['08:00-17:00'], 5: ['08:00-17:00'] }, holidays: [],
};

export function team(extra: Partial<Team> = {}): Team {
  return {
    id: 'reception', name: 'Reception', extensions: ['11', '12'], numbers: [], timeZone: BERLIN, businessHours: OFFICE,
    createdAt: '2026-01-01T00:00:00.000Z', ...extra,
  };
}

let seq = 0;

/** A settled, pending miss at `firstAt` (settles 90 s later) from `caller`. */
export function missed(firstAt: string, extra: Partial<MissedCall> = {}, caller = '+4930123456'): MissedCall {
  seq += 1;
  const settlesAt = new Date(Date.parse(firstAt) + 90_000).toISOString();
  return {
    id: `m${seq}`, caller: { raw: caller, e164: caller === '' ? null : caller, key: caller }, callerName: '', team: 'reception',
    extension: '11', firstAt, lastAt: firstAt, attemptTimes: [firstAt], attemptIds: [`a${seq}`], ringSeconds: 25,
    afterHours: false, status: 'pending', assignee: null, assignedAt: null, returned: null, callbacks: [],
    rule: 'no one answered: rang 11, 12 for 25 s', settlesAt,
    history: [{ at: settlesAt, actor: 'ringback', action: 'missed', via: 'auto', note: 'no one answered' }],
    ...extra,
  };
}

export function settings(extra: Partial<TeamNotifySettings> = {}): TeamNotifySettings {
  return {
    id: 'reception', targetMinutes: 30, stepMinutes: 30,
    channels: [{ name: 'Reception inbox', email: 'reception@example.com' }],
    members: [{ name: 'Anna', email: 'anna@example.com' }],
    lead: { name: 'Lena', email: 'lena@example.com' },
    manager: { name: 'Max', email: 'max@example.com' },
    windowMinutes: 10, quietHours: null, updatedAt: '2026-01-01T00:00:00.000Z', ...extra,
  };
}

/** A finished attempt to `destination` that rang `extensions`. */
export function attempt(firstRingAt: string, outcome: CallAttempt['outcome'], extensions: string[], destination = 'reception'): CallAttempt {
  seq += 1;
  const endpoints: CallAttempt['endpoints'] = {};
  for (const [i, extension] of extensions.entries()) {
    endpoints[`805ec00000${String(i).padStart(2, '0')}`] = { extension, state: outcome === 'missed' ? 'missed' : 'answered', at: firstRingAt };
  }
  return {
    id: `a${seq}`, destination, caller: { raw: '+4930999', e164: '+4930999', key: '+4930999' }, callerName: '', called: '',
    firstRingAt, lastEventAt: firstRingAt, endedAt: firstRingAt, ringSeconds: 20, endpoints, answeredBy: null, outcome,
    rule: outcome, source: 'phones', pbxCallId: null, missedCallId: null, seen: [],
  };
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
