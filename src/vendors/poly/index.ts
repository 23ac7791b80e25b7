/** @module Poly (Polycom) adapter: telephony notifications (XML POST) in, XHTML pages out. */
import type { VendorAdapter } from '../types.ts';
import { detect } from './detect.ts';
import { parseEvent } from './events.ts';
import { limits, renderScreen } from './screens.ts';
import { provisioning } from './provisioning.ts';
import { push } from './push.ts';

export { detect, limits, parseEvent, renderScreen };

/**
 * No `eventUrls`: Poly posts to one `apps.telNotification.URL` and has no per-event `$variables`
 * (phones.md §2.1); the provisioning side sets that URL and the `…Event` switches.
 */
export const poly: VendorAdapter = { name: 'poly', title: 'Poly (Polycom)', limits, detect, parseEvent, renderScreen, provisioning, push };
