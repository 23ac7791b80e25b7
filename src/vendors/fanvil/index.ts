/**
 * @module Fanvil adapter: action URLs in, FanvilIPPhoneDirectory screens out. `ActionUrlType`
 * (GET/POST?) is NOT CONFIRMED (phones.md §5.3): only the query is read. User-Agent:
 * `Fanvil X4U 2.12.2 0c383e…` [FPBX-PROV-IDX].
 */
import { actionUrlVendor } from '../shared/action-url-vendor.ts';
import { provisioning } from './provisioning.ts';
import { limits, renderScreen } from './screens.ts';
import { spec } from './urls.ts';

export const fanvil = actionUrlVendor({
  name: 'fanvil', title: 'Fanvil', userAgent: /\bfanvil\b/i, spec, limits, renderScreen, provisioning,
});
