/** @module Yealink adapter: action URLs in, YealinkIPPhone* XML out. */
import type { VendorAdapter } from '../types.ts';
import { detect } from './detect.ts';
import { parseEvent } from './events.ts';
import { limits, renderScreen } from './screens.ts';
import { eventUrls } from './urls.ts';
import { provisioning } from './provisioning.ts';
import { push } from './push.ts';

export { detect, eventUrls, limits, parseEvent, renderScreen };

export const yealink: VendorAdapter = { name: 'yealink', title: 'Yealink', limits, detect, parseEvent, renderScreen, eventUrls, provisioning, push };
