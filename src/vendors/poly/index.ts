/** @module Poly (Polycom) adapter: telephony notifications (XML POST) in, XHTML pages out. */
import type { VendorAdapter } from '../types.ts';
import { detect } from './detect.ts';
import { parseEvent } from './events.ts';
import { limits, renderScreen } from './screens.ts';
import { provisioning } from './provisioning.ts';
import { push } from './push.ts';

const TEL_NOTIFICATION_URL = 'apps.telNotification.URL';

/**
 * Poly posts every telephony notification to one `apps.telNotification.URL` and has no per-event
 * `$variables` (phones.md §2.1): its one "action URL" is our event URL itself. Provisioning writes
 * it (with the `…Event` switches); an admin configuring a phone by hand reads it in `urls.events`.
 */
function eventUrls(base: string): Record<string, string> {
  return { [TEL_NOTIFICATION_URL]: base };
}

export const poly: VendorAdapter = { name: 'poly', title: 'Poly (Polycom)', limits, detect, parseEvent, renderScreen, eventUrls, provisioning, push };
