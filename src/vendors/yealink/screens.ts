/**
 * @module Yealink XML browser: `YealinkIPPhoneTextMenu` for lists, `YealinkIPPhoneTextScreen` for
 * text [Y-XML-T4X-13], [PASTEBIN-YLTM]. Served as XML, never HTML (phones.md §1.5).
 */
import type { ListScreen, ScreenAction, ScreenLimits, Softkey, TextScreen } from '../../screens/model.ts';
import type { RenderScreen } from '../types.ts';
import { renderFitted } from '../shared/fit.ts';
import { XML_CONTENT_TYPE, dialable, serialise, xmlDocument, type XMLBuilder } from '../shared/xml.ts';

/**
 * Up to 30 MenuItems [PASTEBIN-YLTM], [TIPTEL-31XX]; 10 000-byte objects on T4x [Y-XML-T4X-13].
 * Label, title and softkey counts are NOT CONFIRMED by Yealink: 40 characters fit a T4x/T5x line,
 * and 4 softkeys are the physical keys of T2x/T4x/T5x.
 */
export const limits: ScreenLimits = { maxItems: 30, maxLabelChars: 40, maxTitleChars: 40, maxSoftkeys: 4, maxBytes: 10_000 };

export const renderScreen: RenderScreen = (screen) => ({
  contentType: XML_CONTENT_TYPE,
  body: renderFitted(screen, limits, { list: renderList, text: renderText }),
});

// --- Internal helpers ---

function renderList(screen: ListScreen): string {
  const root = xmlDocument('YealinkIPPhoneTextMenu', { style: 'none', Beep: 'no' });
  root.ele('Title').txt(screen.title);
  for (const item of screen.items) {
    const menuItem = root.ele('MenuItem');
    menuItem.ele('Prompt').txt(item.label);
    menuItem.ele('URI').txt(item.url);
    // <Dial> is what SoftKey:Dial (and off-hook) dials for the highlighted item [Y-XML-T4X-13].
    const number = dialable(item.dial);
    if (number !== '') menuItem.ele('Dial').txt(number);
  }
  addSoftkeys(root, screen.softkeys);
  return serialise(root);
}

function renderText(screen: TextScreen): string {
  const root = xmlDocument('YealinkIPPhoneTextScreen', { Beep: 'no' });
  root.ele('Title').txt(screen.title);
  root.ele('Text').txt(screen.lines.join('\n'));
  addSoftkeys(root, screen.softkeys);
  return serialise(root);
}

function addSoftkeys(root: XMLBuilder, softkeys: Softkey[]): void {
  let index = 0;
  for (const key of softkeys) {
    const uri = softkeyUri(key.action);
    if (uri === null || index >= limits.maxSoftkeys) continue;
    index += 1;
    const el = root.ele('SoftKey', { index: String(index) });
    el.ele('Label').txt(key.label);
    el.ele('URI').txt(uri);
  }
}

/**
 * Internal URIs seen in Yealink-compatible docs and working apps [TIPTEL-31XX], [YL-BLF-GO]:
 * `SoftKey:Select|Dial|Exit`, `Dial:<number>`. `SoftKey:Back` is NOT CONFIRMED on Yealink, so
 * 'back' uses Exit, which returns to the previous screen.
 */
function softkeyUri(action: ScreenAction): string | null {
  switch (action.type) {
    case 'open':
      return action.url;
    case 'dial': {
      const number = dialable(action.number);
      return number === '' ? null : `Dial:${number}`;
    }
    case 'select':
      return 'SoftKey:Select';
    case 'dial-selected':
      return 'SoftKey:Dial';
    case 'back':
    case 'exit':
      return 'SoftKey:Exit';
    default:
      return null;
  }
}
