/**
 * @module Yealink adapter: action URLs in (GET, data only in the query [Y-CP860-228]),
 * YealinkIPPhone* XML out. User-Agent: `Yealink SIP-T46U 108.86.0.20 80:5e:c0:…` [FPBX-PROV-IDX].
 */
import { actionUrlVendor } from '../shared/action-url-vendor.ts';
import { provisioning } from './provisioning.ts';
import { push } from './push.ts';
import { limits, renderScreen } from './screens.ts';
import { spec } from './urls.ts';

export const yealink = actionUrlVendor({
  name: 'yealink', title: 'Yealink', userAgent: /\byealink\b/i, spec, limits, renderScreen, provisioning, push,
});
