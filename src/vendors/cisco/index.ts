/** @module Cisco adapter: no events (the PBX reports Cisco calls), CiscoIPPhone* XML out. */
import type { VendorAdapter } from '../types.ts';
import { detect } from './detect.ts';
import { parseEvent } from './events.ts';
import { limits, renderScreen } from './screens.ts';
import { provisioning } from './provisioning.ts';
import { push } from './push.ts';

/** No `eventUrls`: Cisco phones have no action URLs (phones.md §3.4). */
export const cisco: VendorAdapter = { name: 'cisco', title: 'Cisco', limits, detect, parseEvent, renderScreen, provisioning, push };
