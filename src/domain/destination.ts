/** @module Which team a call was for: by the number dialled, else by the line that rang. */
import type { Phone, PhoneEvent, Team } from './types.ts';

/** Teams a phone serves: the ones it is assigned to, and the ones listing its extension. */
export function teamsOfPhone(phone: Phone, teams: readonly Team[]): Team[] {
  const lines = new Set([phone.extension, ...phone.lines.map((l) => l.extension)]);
  return teams.filter((t) => phone.teamIds.includes(t.id) || t.extensions.some((e) => lines.has(e)));
}

/**
 * The destination of an event: the team owning the dialled number, else the phone's team that
 * lists the ringing line, else its first team, else the bare extension (`ext:<n>`).
 */
export function destinationOf(phone: Phone, event: Pick<PhoneEvent, 'local' | 'called'>, teams: readonly Team[]): string {
  const mine = teamsOfPhone(phone, teams);
  const called = event.called.replace(/[^\d+*#]/g, '');
  if (called !== '') {
    const owner = mine.find((t) => t.numbers.includes(called));
    if (owner !== undefined) return owner.id;
  }
  const line = event.local !== '' ? event.local : phone.extension;
  return (mine.find((t) => t.extensions.includes(line)) ?? mine[0])?.id ?? `ext:${line}`;
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
