/**
 * @module Poly push: `POST http://<phone>/push`, HTTP Digest with `apps.push.username`/`password`,
 * body `<PolycomIPPhone><Data priority="Normal">XHTML</Data></PolycomIPPhone>` [PLCM-WEB50-25],
 * [PLCM-WEB50-75]. "Normal" waits in the phone's queue until the phone is idle, so a push never
 * covers a call [PLCM-WEB50-24]. Content-Type `application/xhtml+xml` for data (internal URIs
 * would be `application/x-com-polycom-spipx`), as Polycom::App::Push sends it; NOT CONFIRMED by Poly.
 *
 * Poly documents no way to take a pushed page back: "clear" pushes a short page saying nothing
 * waits (the user leaves it with Back), which is still better than a stale count.
 */
import type { PushView } from '../../domain/push.ts';
import type { PushTarget, VendorPush } from '../types.ts';
import { phoneEndpoints } from '../../screens/phone-urls.ts';
import { cutLabel } from '../shared/text.ts';
import { serialise, xmlDocument } from '../shared/xml.ts';

/** "The maximum content length for push request is 2KB" (UC 5.0); SIP 3.1 said 1 KB. */
const MAX_BYTES = 2048;
const LINE_CHARS = 60;

export const push: VendorPush = {
  maxBytes: MAX_BYTES,
  user: 'ringback',
  render(view, target) {
    return [{ path: '/push', contentType: 'application/xhtml+xml', body: page(view, target), purpose: view.count === 0 ? 'clear' : 'status' }];
  },
};

// --- Internal helpers ---

function page(view: PushView, target: PushTarget): string {
  const root = xmlDocument('PolycomIPPhone');
  const html = root.ele('Data', { priority: 'Normal' }).ele('html');
  html.ele('head').ele('title').txt('Missed calls');
  const body = html.ele('body');
  if (view.count === 0) {
    body.ele('p').txt('No missed calls waiting.');
    return serialise(root);
  }
  body.ele('p').ele('b').txt(cutLabel(view.headline, LINE_CHARS));
  body.ele('p').txt(cutLabel(view.detail, LINE_CHARS));
  // The team's list, as the phone's own Missed key opens it (when we know how the phone reaches us).
  if (target.base !== null) body.ele('p').ele('a', { href: phoneEndpoints(target.base, 'poly', target.phone.token).list(0) }).txt('Open the list');
  return serialise(root);
}
