/**
 * @module Snom XML minibrowser: `SnomIPPhoneMenu` for lists, `SnomIPPhoneText` for text, in the
 * shapes of Snom's own examples [SNOM-DOC-MENU], /work/shared/samples/snom/.
 */
import type { ListScreen, ScreenAction, ScreenLimits, Softkey, TextScreen } from '../../screens/model.ts';
import type { RenderScreen } from '../types.ts';
import { renderFitted } from '../shared/fit.ts';
import { XML_CONTENT_TYPE, dialable, serialise, xmlDocument, type XMLBuilder } from '../shared/xml.ts';

/**
 * Snom documents no item or size limit (NOT CONFIRMED): we use Yealink-like bounds. Four softkeys
 * = the context keys F1–F4 of D7xx/7xx phones.
 */
export const limits: ScreenLimits = { maxItems: 30, maxLabelChars: 40, maxTitleChars: 40, maxSoftkeys: 4, maxBytes: 16_000 };

export const renderScreen: RenderScreen = (screen) => ({
  contentType: XML_CONTENT_TYPE,
  body: renderFitted(screen, limits, { list: renderList, text: renderText }),
});

// --- Internal helpers ---

function renderList(screen: ListScreen): string {
  const root = xmlDocument('SnomIPPhoneMenu');
  root.ele('Title').txt(screen.title);
  // Snom's docs: the `name` attribute is required on MenuItem; the target goes in <URL>.
  for (const item of screen.items) root.ele('MenuItem', { name: item.label }).ele('URL').txt(item.url);
  addSoftkeys(root, screen.softkeys);
  return serialise(root);
}

function renderText(screen: TextScreen): string {
  const root = xmlDocument('SnomIPPhoneText');
  root.ele('Title').txt(screen.title);
  // <Text> is mixed content; lines are separated by <br/> as in Snom's SnomIPPhoneText example.
  const text = root.ele('Text');
  screen.lines.forEach((line, i) => {
    if (i > 0) text.ele('br');
    text.txt(line);
  });
  addSoftkeys(root, screen.softkeys);
  return serialise(root);
}

/** SoftKeyItem{Name F1…F4, Label, URL} as in Snom's own Led.xml example [SNOM-DOC-MENU]. */
function addSoftkeys(root: XMLBuilder, softkeys: Softkey[]): void {
  let index = 0;
  for (const key of softkeys) {
    const url = softkeyUrl(key.action);
    if (url === null || index >= limits.maxSoftkeys) continue;
    index += 1;
    const el = root.ele('SoftKeyItem');
    el.ele('Name').txt(`F${index}`);
    el.ele('Label').txt(key.label);
    el.ele('URL').txt(url);
  }
}

/**
 * `snom://mb_exit` leaves the minibrowser (Snom's Fetch2.xml example); there is no documented
 * "back" URI, so 'back' exits too. Dialling uses the `numberdial` fragment
 * (Snomio/Documentation examples/fr_numberdial.md; the same URL Wazo's Snom directory emits).
 * 'select' is the phone's own OK key and 'dial-selected' has no per-item equivalent: both are
 * left out (the detail screen carries a dial key).
 */
function softkeyUrl(action: ScreenAction): string | null {
  switch (action.type) {
    case 'open':
      return action.url;
    case 'dial': {
      const number = dialable(action.number);
      return number === '' ? null : `snom://mb_nop#numberdial=${number}`;
    }
    case 'back':
    case 'exit':
      return 'snom://mb_exit';
    default:
      return null;
  }
}
