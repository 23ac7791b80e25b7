/**
 * @module Cisco IP Phone Services XML: `CiscoIPPhoneMenu` for lists, `CiscoIPPhoneText` for text,
 * valid against CiscoIpPhoneServices.xsd (/work/shared/samples/cisco/) [CISCO-OL20949-21].
 */
import type { ListScreen, ScreenAction, ScreenLimits, Softkey, TextScreen } from '../../screens/model.ts';
import type { RenderScreen } from '../types.ts';
import { renderFitted } from '../shared/fit.ts';
import { XML_CONTENT_TYPE, dialable, serialise, xmlDocument, type XMLBuilder } from '../shared/xml.ts';

/**
 * XSD: Title ≤ 32, MenuItem ≤ 100 with Name ≤ 64, SoftKeyItem ≤ 8 (Position 1–8), Text ≤ 4000.
 * Object size is NOT CONFIRMED for current firmware: 32 KB is our bound.
 */
export const limits: ScreenLimits = { maxItems: 100, maxLabelChars: 64, maxTitleChars: 32, maxSoftkeys: 8, maxBytes: 32_768 };

const MAX_TEXT_CHARS = 4000;

export const renderScreen: RenderScreen = (screen) => ({
  contentType: XML_CONTENT_TYPE,
  body: renderFitted(screen, limits, { list: renderList, text: renderText }, { maxTextChars: MAX_TEXT_CHARS }),
});

// --- Internal helpers ---

/**
 * Element order is the XSD's sequence: Title, Prompt, MenuItem*, SoftKeyItem*. An item's `dial`
 * is not rendered: CiscoIPPhoneMenu has no per-item dial element, and `SoftKey:Dial` works only in
 * Directory objects [CISCO-OL18696-49]; the item's detail screen carries a `Dial:` softkey.
 */
function renderList(screen: ListScreen): string {
  const root = xmlDocument('CiscoIPPhoneMenu');
  root.ele('Title').txt(screen.title);
  for (const item of screen.items) {
    const menuItem = root.ele('MenuItem');
    menuItem.ele('Name').txt(item.label);
    menuItem.ele('URL').txt(item.url);
  }
  addSoftkeys(root, screen.softkeys);
  return serialise(root);
}

function renderText(screen: TextScreen): string {
  const root = xmlDocument('CiscoIPPhoneText');
  root.ele('Title').txt(screen.title);
  root.ele('Text').txt(screen.lines.join('\n'));
  addSoftkeys(root, screen.softkeys);
  return serialise(root);
}

/** SoftKeyItem children in XSD order: Name, URL, Position. */
function addSoftkeys(root: XMLBuilder, softkeys: Softkey[]): void {
  let position = 0;
  for (const key of softkeys) {
    const url = softkeyUrl(key.action);
    if (url === null || position >= limits.maxSoftkeys) continue;
    position += 1;
    const el = root.ele('SoftKeyItem');
    el.ele('Name').txt(key.label);
    el.ele('URL').txt(url);
    el.ele('Position').txt(String(position));
  }
}

/**
 * `SoftKey:Select|Exit|Back` and `Dial:<digits>` [CISCO-OL18696-49], [CISCO-OL20949-61]. The
 * documented digits are 0-9 * # A-D; a leading '+' is kept so E.164 callbacks still work (NOT
 * CONFIRMED on every firmware; without it the number would be wrong anyway). 'dial-selected' has no Menu equivalent and is left out (see renderList).
 */
function softkeyUrl(action: ScreenAction): string | null {
  switch (action.type) {
    case 'open':
      return action.url;
    case 'dial': {
      const digits = dialable(action.number).replace(/[^0-9*#+]/g, '');
      return digits === '' ? null : `Dial:${digits}`;
    }
    case 'select':
      return 'SoftKey:Select';
    case 'back':
      return 'SoftKey:Back';
    case 'exit':
      return 'SoftKey:Exit';
    default:
      return null;
  }
}
