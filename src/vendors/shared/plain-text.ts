/**
 * @module A plain-text rendering for vendors whose XML browser object phones.md does not document
 * (Grandstream, Fanvil): readable in a browser or a log, never pretending to be a phone object.
 */
import type { ListScreen, Screen, ScreenLimits, TextScreen } from '../../screens/model.ts';
import type { Rendered } from '../types.ts';
import { renderFitted } from './fit.ts';

export const PLAIN_TEXT_CONTENT_TYPE = 'text/plain; charset=utf-8';

/** Title, then one numbered line per item (or the text lines); softkeys are not shown. */
export function renderPlainText(screen: Screen, limits: ScreenLimits): Rendered {
  return { contentType: PLAIN_TEXT_CONTENT_TYPE, body: renderFitted(screen, limits, { list, text }) };
}

function list(screen: ListScreen): string {
  return [screen.title, ...screen.items.map((item, i) => `${i + 1}. ${item.label}`)].join('\n') + '\n';
}

function text(screen: TextScreen): string {
  return [screen.title, ...screen.lines].join('\n') + '\n';
}
