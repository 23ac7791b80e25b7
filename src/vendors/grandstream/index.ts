/**
 * @module Grandstream adapter: action URLs in, GS_XML_Application screens out. The method is NOT
 * CONFIRMED (phones.md §5.2): only the query is read, so GET and a POST with the same query both
 * work. User-Agent: `Grandstream Model HW GXP2170 SW 1.0.11.3 DevId 000b82…` [FPBX-PROV-IDX].
 */
import { actionUrlVendor } from '../shared/action-url-vendor.ts';
import { provisioning } from './provisioning.ts';
import { limits, renderScreen } from './screens.ts';
import { spec } from './urls.ts';

export const grandstream = actionUrlVendor({
  name: 'grandstream', title: 'Grandstream', userAgent: /\bgrandstream\b/i, spec, limits, renderScreen, provisioning,
});
