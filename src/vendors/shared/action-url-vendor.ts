/**
 * @module The adapter of an "action URL" vendor (Yealink, Snom, Grandstream, Fanvil), made from
 * what differs between them: the User-Agent, the action-URL spec, the screens and the files.
 * Detecting, parsing events and writing the phone's action URLs are the same code for all.
 */
import type { VendorName } from '../../domain/types.ts';
import type { ScreenLimits } from '../../screens/model.ts';
import type { RenderScreen, VendorAdapter, VendorProvisioning, VendorPush } from '../types.ts';
import { buildEventUrls, parseActionUrl, type ActionUrlSpec } from './action-url.ts';

export interface ActionUrlVendor {
  name: VendorName;
  title: string;
  /** Matches the User-Agent of the vendor's phones (no `g` flag: it is reused). */
  userAgent: RegExp;
  /** Which events the phone reports, and the `$variables` each one sends. */
  spec: ActionUrlSpec;
  limits: ScreenLimits;
  renderScreen: RenderScreen;
  provisioning?: VendorProvisioning;
  push?: VendorPush;
}

export function actionUrlVendor({ userAgent, spec, ...vendor }: ActionUrlVendor): VendorAdapter {
  return {
    ...vendor,
    detect: (ua) => typeof ua === 'string' && userAgent.test(ua),
    parseEvent: (req) => parseActionUrl(req, spec),
    eventUrls: (base) => buildEventUrls(base, spec),
  };
}
