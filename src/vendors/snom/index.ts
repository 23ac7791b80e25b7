/**
 * @module Snom adapter: action URLs in (GET with our `$variables` [SNOM-DOC-TRIG]), SnomIPPhone*
 * XML out. User-Agent: `Mozilla/4.0 (compatible; snom870-SIP 8.7.5…)`, `…snomD785-SIP 10.1…`
 * [FPBX-PROV-IDX].
 */
import { actionUrlVendor } from '../shared/action-url-vendor.ts';
import { provisioning } from './provisioning.ts';
import { limits, renderScreen } from './screens.ts';
import { spec } from './urls.ts';

export const snom = actionUrlVendor({
  name: 'snom', title: 'Snom', userAgent: /\bsnom/i, spec, limits, renderScreen, provisioning,
});
