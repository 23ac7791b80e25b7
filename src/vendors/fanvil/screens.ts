/**
 * @module Fanvil screens as `FanvilIPPhoneDirectory`, the one Fanvil XML object whose shape is
 * documented where we could check it (Fanvil's XML phonebook spec, as FreePBX and other servers
 * emit it: `DirectoryEntry` with `Name` and `Telephone`). Fanvil phones "support the push XML and
 * XML browser functions" (Fanvil XML Operation Guide v1.1, phones.md §8), but the browser's menu and
 * text objects are NOT CONFIRMED, so none is guessed.
 *
 * A list is a directory the user calls back from (dialling fires the phone's outgoing-call action
 * URL, which marks the call returned); paging items, which only open URLs, have no place in it. A
 * text screen is a directory of name-only entries: the title, then one entry per line.
 */
import type { ListScreen, ScreenLimits, TextScreen } from '../../screens/model.ts';
import type { RenderScreen } from '../types.ts';
import { renderFitted } from '../shared/fit.ts';
import { cutLabel } from '../shared/text.ts';
import { XML_CONTENT_TYPE, dialable, serialise, xmlDocument, type XMLBuilder } from '../shared/xml.ts';

/** Item, label and size bounds are NOT CONFIRMED for Fanvil: Yealink-like values. */
export const limits: ScreenLimits = { maxItems: 30, maxLabelChars: 40, maxTitleChars: 40, maxSoftkeys: 0, maxBytes: 10_000 };

/** Lines of a text screen kept as entries. */
const MAX_TEXT_ENTRIES = 12;

export const renderScreen: RenderScreen = (screen) => ({
  contentType: XML_CONTENT_TYPE,
  body: renderFitted(screen, limits, { list: renderList, text: renderText }),
});

// --- Internal helpers ---

function directory(): XMLBuilder {
  return xmlDocument('FanvilIPPhoneDirectory', { clearlight: 'true' });
}

function renderList(screen: ListScreen): string {
  const root = directory();
  // Calls (they carry a selection or a number to dial); "Older calls >>" links cannot work here.
  const calls = screen.items.filter((item) => item.selection !== undefined || dialable(item.dial) !== '');
  if (calls.length === 0) entry(root, screen.title, '');
  for (const item of calls) entry(root, item.label, dialable(item.dial));
  return serialise(root);
}

function renderText(screen: TextScreen): string {
  const root = directory();
  for (const line of [screen.title, ...screen.lines].filter((l) => l !== '').slice(0, MAX_TEXT_ENTRIES)) entry(root, cutLabel(line, limits.maxLabelChars), '');
  return serialise(root);
}

function entry(root: XMLBuilder, name: string, number: string): void {
  const el = root.ele('DirectoryEntry');
  el.ele('Name').txt(name);
  if (number !== '') el.ele('Telephone').txt(number);
}
