/**
 * @module Yealink XML browser: `YealinkIPPhoneTextMenu` for lists, `YealinkIPPhoneTextScreen` for
 * text [Y-XML-T4X-13], [PASTEBIN-YLTM]. Served as XML, never HTML (phones.md §1.5).
 */
import type { ListScreen, ScreenAction, ScreenLimits, Softkey, TextScreen } from '../../screens/model.ts';
import type { RenderScreen } from '../types.ts';
import { renderFitted } from '../shared/fit.ts';
import { XML_CONTENT_TYPE, dialable, serialise, xmlDocument, type XMLBuilder } from '../shared/xml.ts';

/**
 * A TextMenu with more than 30 MenuItems, or with none, is rejected whole ("parse fail"); at most
 * 6 SoftKeys, 4 visible per page (the 2018 XML browser source, phones.md §8); 10 000-byte objects
 * on T4x [Y-XML-T4X-13]. Label and title lengths are NOT CONFIRMED: 40 characters fit a T4x/T5x line.
 */
export const limits: ScreenLimits = { maxItems: 30, maxLabelChars: 40, maxTitleChars: 40, maxSoftkeys: 6, softkeysPerPage: 4, maxBytes: 10_000 };

export const renderScreen: RenderScreen = (screen) => ({
  contentType: XML_CONTENT_TYPE,
  body: renderFitted(screen, limits, { list: renderList, text: renderText }),
});

// --- Internal helpers ---

function renderList(screen: ListScreen): string {
  // Never a menu without items (the phone rejects it): the title alone, as a text screen.
  if (screen.items.length === 0) return renderText({ kind: 'text', title: screen.title, lines: [screen.title], softkeys: screen.softkeys });
  const root = xmlDocument('YealinkIPPhoneTextMenu', { style: 'none', Beep: 'no' });
  root.ele('Title').txt(screen.title);
  for (const item of screen.items) {
    const menuItem = root.ele('MenuItem');
    menuItem.ele('Prompt').txt(item.label);
    menuItem.ele('URI').txt(item.url);
    // <Dial> is what SoftKey:Dial (and off-hook) dials for the highlighted item [Y-XML-T4X-13].
    const number = dialable(item.dial);
    if (number !== '') menuItem.ele('Dial').txt(number);
    // An http(s) SoftKey URI gets `selection=<this>` appended while the item is focused.
    const selection = selectionOf(item.selection);
    if (selection !== '') menuItem.ele('Selection').txt(selection);
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
 * A `<Selection>` value is pasted into a URL by the phone without encoding (NOT CONFIRMED either
 * way): only characters that need none are kept, so the URL it makes stays one query value.
 */
function selectionOf(value: string | undefined): string {
  return (value ?? '').replace(/[^A-Za-z0-9._~-]/g, '').slice(0, 64);
}

/**
 * Internal URIs of the XML browser source (phones.md §8) and working apps [TIPTEL-31XX],
 * [YL-BLF-GO]: `SoftKey:Select|Dial|Exit`, `Dial:<number>`. `SoftKey:Back` does not exist, so
 * 'back' uses Exit, which returns to the previous screen. `Command: Reset` (a factory reset) is
 * never emitted: only the URIs below can come out of here.
 */
function softkeyUri(action: ScreenAction): string | null {
  switch (action.type) {
    case 'open':
      return action.url;
    case 'open-selected':
      // The phone appends `selection=<id>`; the URL ends in `&sel=` so that appended text lands in
      // a parameter of its own whether or not the phone adds a separator (NOT CONFIRMED which).
      return `${action.url}${action.url.includes('?') ? '&' : '?'}sel=`;
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
