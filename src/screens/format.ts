/** @module Short texts for small phone displays. */
import { dialablePart } from '../domain/numbers.ts';
import type { MissedCall } from '../domain/types.ts';

/** "2 min ago", "3 h ago", "2 d ago": how fresh a claim is, so nobody calls twice. */
export function ago(fromIso: string, nowIso: string): string {
  const s = Math.max(0, Math.round((Date.parse(nowIso) - Date.parse(fromIso)) / 1000));
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86_400)} d ago`;
}

/** The number to dial back: what the PBX presented, as digits (it is what the PBX can route). */
export function dialBack(m: MissedCall): string | null {
  const d = dialablePart(m.caller.raw).replace(/[^\d*#+]/g, '');
  if (d !== '') return d;
  return m.caller.key === '' ? null : m.caller.key;
}

/** A directory contact matched to the caller, as screens show it. */
export interface ScreenContact {
  name: string;
  company: string;
  vip: boolean;
}

/** The contact's name when the number is in the directory, else the name the phone or PBX gave, else the number. */
export function callerLabel(m: MissedCall, contact?: ScreenContact): string {
  if (contact !== undefined) return contact.vip ? `VIP ${contact.name}` : contact.name;
  if (m.callerName !== '' && m.callerName !== dialablePart(m.caller.raw)) return m.callerName;
  return dialBack(m) ?? 'Anonymous';
}

/**
 * `head + middle + tail` within `max` characters, cutting the middle (a caller's name) rather than
 * the tail (attempt count, who claimed it): the part that keeps two people from calling back twice.
 */
export function fitMiddle(head: string, middle: string, tail: string, max: number): string {
  const room = max - [...head].length - [...tail].length;
  const chars = [...middle];
  if (chars.length <= room) return `${head}${middle}${tail}`;
  return room >= 2 ? `${head}${chars.slice(0, room - 1).join('')}…${tail}` : `${head}${middle}${tail}`;
}
