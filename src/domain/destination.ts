/**
 * @module Phone addressing: which destinations a phone serves (its teams, else its own extension),
 * and which destination a call was for (by the number dialled, else by the line that rang).
 */
import type { Phone, Team } from './types.ts';

/** What places a phone in teams: its lines and its assignments (a PBX-only extension has just one line). */
export type PhoneLines = Pick<Phone, 'extension' | 'lines' | 'teamIds'>;

/** Teams a phone serves: the ones it is assigned to, and the ones listing one of its lines. */
export function teamsOfPhone(phone: PhoneLines, teams: readonly Team[]): Team[] {
  const lines = new Set([phone.extension, ...phone.lines.map((l) => l.extension)]);
  return teams.filter((t) => phone.teamIds.includes(t.id) || t.extensions.some((e) => lines.has(e)));
}

export interface PhoneDestinations {
  /** The line these are for: the one that rang or dialled, else the phone's extension. */
  line: string;
  /** The teams the phone serves (`teamsOfPhone`). */
  teams: Team[];
  /** Where its incoming calls are filed and what its screens list: its teams, or `own` for a phone in no team. */
  served: string[];
  /** Its bare line `ext:<n>`: where its calls were filed while it was in no team. */
  own: string;
  /** `served` and `own`: every destination that may hold a call for this phone (a callback returns any of them). */
  all: string[];
}

/** The destinations of a phone, `line` its ringing or dialling line (its main extension unless told). */
export function phoneDestinations(phone: PhoneLines, teams: readonly Team[], line = phone.extension): PhoneDestinations {
  const mine = teamsOfPhone(phone, teams);
  const own = `ext:${line}`;
  const served = mine.length > 0 ? mine.map((t) => t.id) : [own];
  return { line, teams: mine, served, own, all: served.includes(own) ? served : [...served, own] };
}

/**
 * The destination of a call to a phone's line: the team owning the dialled number, else the
 * phone's team that lists the line, else its first team, else the bare line (`own`).
 */
export function destinationOf(phone: PhoneDestinations, dialled: string): string {
  const called = dialled.replace(/[^\d+*#]/g, '');
  if (called !== '') {
    const owner = phone.teams.find((t) => t.numbers.includes(called));
    if (owner !== undefined) return owner.id;
  }
  return (phone.teams.find((t) => t.extensions.includes(phone.line)) ?? phone.teams[0])?.id ?? phone.own;
}

/** The team owning a PBX call: by dialled number, else the team most of the rung extensions belong to. */
export function destinationOfPbxCall(called: string, rang: readonly string[], teams: readonly Team[]): string {
  const owner = teams.find((t) => called !== '' && t.numbers.includes(called));
  if (owner !== undefined) return owner.id;
  let best: Team | undefined;
  let bestCount = 0;
  for (const t of teams) {
    const n = rang.filter((e) => t.extensions.includes(e)).length;
    if (n > bestCount) { best = t; bestCount = n; }
  }
  return best?.id ?? `ext:${rang[0] ?? called}`;
}
