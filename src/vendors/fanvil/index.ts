/** @module Fanvil adapter: action URLs in, FanvilIPPhoneDirectory screens out. */
import type { VendorAdapter } from '../types.ts';
import { detect } from './detect.ts';
import { parseEvent } from './events.ts';
import { limits, renderScreen } from './screens.ts';
import { eventUrls } from './urls.ts';
import { provisioning } from './provisioning.ts';

export { detect, eventUrls, limits, parseEvent, renderScreen };

export const fanvil: VendorAdapter = { name: 'fanvil', title: 'Fanvil', limits, detect, parseEvent, renderScreen, eventUrls, provisioning };
