/**
 * @module What a team phone's idle screen says about the open missed calls of its teams (issue 14):
 * "3 missed calls waiting · oldest 12 min" and who is on them. Pure: `now` is passed in.
 *
 * Only settled entries count: an entry that a colleague's answer may still retract (inside the
 * correlation window) would otherwise flash onto every desk and vanish again.
 */
import type { MissedCall } from './types.ts';

export interface PushView {
  /** Settled open (pending or assigned) missed calls. 0 = clear the screen. */
  count: number;
  /** Minutes since the oldest of them first rang; null when count is 0. */
  oldestMinutes: number | null;
  /** Who claimed how many, most first; `unclaimed` counts the rest. */
  claimed: { name: string; calls: number }[];
  unclaimed: number;
  /** The two lines a phone shows; empty when count is 0. */
  headline: string;
  detail: string;
  /** Earliest `settlesAt` still ahead (when the view will change by itself), or null. */
  nextSettleAt: string | null;
  /** Ids of the entries counted: a change to any other entry that has not settled yet changes nothing now. */
  counted: string[];
}

/** The view over the open entries of a phone's teams, in any order, at `now`. */
export function pushView(open: readonly MissedCall[], now: string): PushView {
  const nowMs = Date.parse(now);
  let nextSettleAt: string | null = null;
  const settled: MissedCall[] = [];
  const seen = new Set<string>();
  for (const m of open) {
    if (seen.has(m.id) || (m.status !== 'pending' && m.status !== 'assigned')) continue;
    seen.add(m.id);
    if (Date.parse(m.settlesAt) <= nowMs) settled.push(m);
    else if (nextSettleAt === null || m.settlesAt < nextSettleAt) nextSettleAt = m.settlesAt;
  }
  if (settled.length === 0) return { count: 0, oldestMinutes: null, claimed: [], unclaimed: 0, headline: '', detail: '', nextSettleAt, counted: [] };
  const oldest = settled.reduce((min, m) => (m.firstAt < min ? m.firstAt : min), settled[0]?.firstAt ?? now);
  const oldestMinutes = Math.max(0, Math.floor((nowMs - Date.parse(oldest)) / 60_000));
  const byName = new Map<string, number>();
  let unclaimed = 0;
  for (const m of settled) {
    if (m.status === 'assigned' && m.assignee !== null && m.assignee !== '') byName.set(m.assignee, (byName.get(m.assignee) ?? 0) + 1);
    else unclaimed += 1;
  }
  const claimed = [...byName].map(([name, calls]) => ({ name, calls })).sort((a, b) => b.calls - a.calls || a.name.localeCompare(b.name));
  const n = settled.length;
  const headline = `${n} missed call${n === 1 ? '' : 's'} waiting · ${n === 1 ? '' : 'oldest '}${age(oldestMinutes)}`;
  return { count: n, oldestMinutes, claimed, unclaimed, headline, detail: detailLine(claimed, unclaimed), nextSettleAt,
    counted: settled.map((m) => m.id) };
}

// --- Internal helpers ---

function age(minutes: number): string {
  if (minutes < 1) return 'just now';
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours} h` : `${Math.floor(hours / 24)} days`;
}

/** "Anna on 2, Ben on 1 · 1 free": names first (the point is that nobody calls twice). */
function detailLine(claimed: readonly { name: string; calls: number }[], unclaimed: number): string {
  const names = claimed.slice(0, 3).map((c) => `${c.name} on ${c.calls}`);
  if (claimed.length > 3) names.push(`${claimed.length - 3} more`);
  if (names.length === 0) return unclaimed === 1 ? 'nobody is on it yet' : 'nobody is on them yet';
  return unclaimed > 0 ? `${names.join(', ')} · ${unclaimed} free` : names.join(', ');
}
