/**
 * @module Fitting a screen's softkeys to a vendor: Yealink shows 4 keys at a time (6 in all) and has
 * no built-in Back, so Back is an ordinary key to the list URL and must never fall off the page.
 */
import type { ScreenLimits, Softkey } from './model.ts';

/**
 * `keys` then Back when they fit on one page of keys; otherwise as many keys as leave room for
 * More (opening `moreUrl`, where the rest are listed) and Back.
 */
export function fitDetailKeys(keys: readonly Softkey[], back: Softkey, limits: ScreenLimits, moreUrl: string): Softkey[] {
  const room = Math.max(2, Math.min(limits.maxSoftkeys, limits.softkeysPerPage ?? limits.maxSoftkeys));
  if (keys.length + 1 <= room) return [...keys, back];
  return [...keys.slice(0, room - 2), { label: 'More', action: { type: 'open', url: moreUrl } }, back];
}
