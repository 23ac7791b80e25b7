/**
 * @module Who a call can be handed to: the names a team's people act under — dashboard users of the
 * team, the user names of its phones, the members of its notification settings — so "assign to
 * Ben" uses the same name Ben's phone shows and the escalation ladder reminds.
 */
import type { Store } from '../../store/types.ts';

export interface ColleagueSources {
  store: Pick<Store, 'phones'>;
  /** Dashboard users (name, teams, disabled). */
  users?: () => readonly { name: string; teams: readonly string[]; disabled: boolean }[];
  /** A team's notification members' names. */
  members?: (teamId: string) => readonly string[];
}

/** Names for the teams given, sorted, each once (case-insensitively). */
export function colleaguesOf(teams: readonly string[], src: ColleagueSources): string[] {
  const wanted = new Set(teams);
  const names = new Map<string, string>();
  const add = (name: string) => {
    const n = name.trim();
    if (n !== '' && !names.has(n.toLowerCase())) names.set(n.toLowerCase(), n);
  };
  for (const u of src.users?.() ?? []) if (!u.disabled && u.teams.some((t) => wanted.has(t))) add(u.name);
  for (const p of src.store.phones()) if (p.teamIds.some((t) => wanted.has(t))) add(p.userName);
  for (const t of teams) for (const n of src.members?.(t) ?? []) add(n);
  return [...names.values()].sort((a, b) => a.localeCompare(b));
}
