/**
 * @module Grandstream XML application screens, in the legacy `GS_XML_Application` format that the
 * GXP21xx/GRP261x XML application guides document (phones.md §8): a `Display/Screen` of
 * positioned `DisplayString` lines, `SoftKeys` whose actions fetch a URL (`UseURL`) or leave the
 * application (`QuitApp`), and an `Events` block that quits on hook-on.
 *
 * The format has no selectable list: each list item is a numbered line and gets a numbered softkey
 * that opens it (so a page holds few items: `maxItems`). What the format offers for dialling a
 * number from a softkey is NOT CONFIRMED: no dial key is rendered; the number is on the detail screen
 * and the user dials it (the outgoing-call action URL then marks the call returned).
 */
import type { ListScreen, ScreenAction, ScreenLimits, Softkey, TextScreen } from '../../screens/model.ts';
import type { RenderScreen } from '../types.ts';
import { renderFitted } from '../shared/fit.ts';
import { cutLabel } from '../shared/text.ts';
import { XML_CONTENT_TYPE, serialise, xmlDocument, type XMLBuilder } from '../shared/xml.ts';

/**
 * 3 calls and the two paging items per page, one softkey each plus Exit. Line length, softkey count
 * and object size are NOT CONFIRMED per model: 40 characters and 10 KB are our bounds.
 */
export const limits: ScreenLimits = { maxItems: 5, maxLabelChars: 40, maxTitleChars: 40, maxSoftkeys: 8, maxBytes: 10_000 };

/** Pixels from one line to the next with the guide's bold 13-pixel font; lines kept on one screen. */
const LINE_HEIGHT = 15;
const MAX_LINES = 12;

export const renderScreen: RenderScreen = (screen) => ({
  contentType: XML_CONTENT_TYPE,
  body: renderFitted(screen, limits, { list: renderList, text: renderText }),
});

// --- Internal helpers ---

function renderList(screen: ListScreen): string {
  const items = screen.items.slice(0, limits.maxItems);
  const lines = items.map((item, i) => `${i + 1}. ${item.label}`);
  // Item keys first (the reason the screen exists), then the screen's own keys.
  const keys: GsKey[] = items.map((item, i) => ({ label: String(i + 1), url: item.url }));
  return render(screen.title, items.length === 0 ? [screen.title] : lines, [...keys, ...softkeys(screen.softkeys)]);
}

function renderText(screen: TextScreen): string {
  const lines = screen.lines.flatMap((line) => wrap(line, limits.maxLabelChars));
  return render(screen.title, lines, softkeys(screen.softkeys));
}

type GsKey = { label: string; url: string } | { label: string; quit: true };

function render(title: string, lines: readonly string[], keys: readonly GsKey[]): string {
  const root = xmlDocument('GS_XML_Application');
  const display = root.ele('Display').ele('Screen');
  [title, ...lines].slice(0, MAX_LINES).forEach((text, i) => {
    const line = display.ele('DisplayString', i === 0 ? { font: 'f13b' } : {});
    line.ele('X').txt('0');
    line.ele('Y').txt(String(i * LINE_HEIGHT));
    line.ele('DisplayStr').txt(text);
  });
  const bar = root.ele('SoftKeys');
  for (const key of keys.slice(0, limits.maxSoftkeys)) addKey(bar, key);
  // Hanging up leaves the application, as in the guide's example.
  const onhook = root.ele('Events').ele('Event');
  onhook.ele('State').txt('Onhook');
  onhook.ele('Action').ele('QuitApp');
  return serialise(root);
}

function addKey(bar: XMLBuilder, key: GsKey): void {
  const el = bar.ele('SoftKey');
  el.ele('Label').txt(key.label);
  const action = el.ele('Action');
  if ('quit' in key) action.ele('QuitApp');
  else action.ele('UseURL').ele('URL').txt(key.url);
}

/** URLs open; Back and Exit quit (no "previous screen" action is documented); the rest has no equivalent. */
function softkeys(list: readonly Softkey[]): GsKey[] {
  return list.map((k) => toKey(k.label, k.action)).filter((k): k is GsKey => k !== null);
}

function toKey(label: string, action: ScreenAction): GsKey | null {
  switch (action.type) {
    case 'open':
      return { label, url: action.url };
    case 'back':
    case 'exit':
      return { label, quit: true };
    default:
      return null;
  }
}

/** A long paragraph over several display lines, cut at spaces; one line never exceeds `max`. */
function wrap(text: string, max: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const next = line === '' ? word : `${line} ${word}`;
    if ([...next].length <= max) line = next;
    else {
      if (line !== '') out.push(line);
      line = cutLabel(word, max);
    }
    if (out.length >= MAX_LINES) break;
  }
  if (line !== '' && out.length < MAX_LINES) out.push(line);
  return out;
}
