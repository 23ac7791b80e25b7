/**
 * @module Cisco push: `POST http://<phone>/CGI/Execute` with the form field `XML=` holding a
 * `CiscoIPPhoneExecute` [CISCO-911-HTTP], [CISCO-5.0-CH5]; on MPP firmware this needs
 * `CISCO_XML_EXE_Enable = Yes`, and `CISCO_XML_EXE_Auth_Mode = Remote Credential` makes the phone
 * demand Digest with `XML_User_Name`/`XML_Password` [CISCO-6800-156]. An Execute can only name
 * URLs and URIs, so the item is our "waiting" page (a `CiscoIPPhoneText`), with `Priority="1"`:
 * run when the phone is idle, never over a call (the exact 1-vs-2 wording is NOT CONFIRMED)
 * [CISCO-OL20949-36]. Clearing sends `Init:Services`, which closes the services page (NOT
 * CONFIRMED on MPP). The ExecuteItem URL is at most 256 characters (XSD).
 */
import type { VendorPush } from '../types.ts';
import { phoneEndpoints } from '../../screens/phone-urls.ts';
import { serialise, xmlDocument } from '../shared/xml.ts';

const URL_MAX = 256;

export const push: VendorPush = {
  maxBytes: 4096,
  user: 'ringback',
  render(view, target) {
    if (view.count > 0 && target.base === null) throw new Error('[ringback] [cisco] the phone fetches the waiting page from us: set RINGBACK_PUBLIC_URL');
    const url = view.count === 0 ? 'Init:Services'
      : phoneEndpoints(target.base ?? '', 'cisco', target.phone.token).waiting;
    if (url.length > URL_MAX) throw new Error(`[ringback] [cisco] the waiting page URL is ${url.length} characters, the phone takes ${URL_MAX}`);
    const root = xmlDocument('CiscoIPPhoneExecute');
    root.ele('ExecuteItem', view.count === 0 ? { URL: url } : { Priority: '1', URL: url });
    return [{
      path: '/CGI/Execute', contentType: 'application/x-www-form-urlencoded',
      body: `XML=${encodeURIComponent(serialise(root))}`, purpose: view.count === 0 ? 'clear' : 'status',
    }];
  },
};
