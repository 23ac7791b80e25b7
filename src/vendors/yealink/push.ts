/**
 * @module Yealink push to the idle screen: `YealinkIPPhoneStatus` POSTed to
 * `http://<phone>/servlet?push=xml` (the phone takes pushes only from the address in its
 * `push_xml.server` setting, with `push_xml.username`/`password` when set) [FPBX-YL-108],
 * [Y-XML-T4X-32], [Y-XML-VP49-57]. The same `SessionID` replaces our message; an empty `Message`
 * resets it [Y-XML-T4X-33]. `Timeout="0"`: shown until we clear it or the phone reboots.
 * While calls wait, the missed-list line key's LED blinks (`Led:LINE<n>_RED=…` in a pushed
 * `YealinkIPPhoneExecute`; the URI exists per phones.md §8, the LED name pattern is from public
 * push code [PUSH-PHP] and NOT CONFIRMED per model).
 * Raw XML as the body (the `xml=` form variant seen in some examples is NOT CONFIRMED).
 */
import type { PushRequest, VendorPush } from '../types.ts';
import { cutLabel } from '../shared/text.ts';
import { serialise, xmlDocument } from '../shared/xml.ts';

const PATH = '/servlet?push=xml';
/** One object ≤ 10 000 bytes on T4x [Y-XML-T4X-13]. */
const MAX_BYTES = 10_000;
/** One idle-screen line; Yealink gives no limit (NOT CONFIRMED): 48 fits a T4x/T5x status line. */
const LINE_CHARS = 48;
/** Must be unique to our application: another server's status messages keep their own lines. */
export const SESSION_ID = 'ringback-missed';

export const push: VendorPush = {
  maxBytes: MAX_BYTES,
  user: 'ringback',
  render(view, target) {
    const root = xmlDocument('YealinkIPPhoneStatus', { Beep: 'no', SessionID: SESSION_ID, Timeout: '0' });
    const lines = view.count === 0 ? ['', ''] : [view.headline, view.detail];
    lines.forEach((text, i) => {
      const attrs: Record<string, string> = { Index: String(i + 1), Type: 'alert' };
      if (i === 0 && text !== '') attrs['Color'] = 'red';
      root.ele('Message', attrs).txt(cutLabel(text, LINE_CHARS));
    });
    const out: PushRequest[] = [{ path: PATH, contentType: 'text/xml', body: serialise(root), purpose: view.count === 0 ? 'clear' : 'status' }];
    if (target.missedKey !== null) {
      const exec = xmlDocument('YealinkIPPhoneExecute', { Beep: 'no' });
      exec.ele('ExecuteItem', { URI: `Led:LINE${target.missedKey}_RED=${view.count === 0 ? 'off' : 'slowflash'}` });
      out.push({ path: PATH, contentType: 'text/xml', body: serialise(exec), purpose: 'led' });
    }
    return out;
  },
};
