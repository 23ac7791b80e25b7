/**
 * @module Poly micro-browser pages: strict XHTML (every tag closed, lower case [VOIPINFO-MB]),
 * items as `<a href>` links, calls as `tel:<number>` links, `<softkey>` tags with index 1–8 only
 * (the phone ignores a higher index and adds its own Back key: phones.md §8 "Poly").
 */
import type { ListScreen, ScreenAction, ScreenLimits, Softkey, TextScreen } from '../../screens/model.ts';
import type { RenderScreen } from '../types.ts';
import { renderFitted } from '../shared/fit.ts';
import { dialable, serialise, xmlDocument, type XMLBuilder } from '../shared/xml.ts';

/**
 * The micro-browser is a web browser: the page goes out as text/html (what Poly's web-app guides
 * serve); the exact type a phone requires is NOT CONFIRMED. Item and size bounds are ours (NOT
 * CONFIRMED by Poly); index > 8 softkeys are ignored by the phone [PLCM-SIP31-DEV].
 */
export const CONTENT_TYPE = 'text/html; charset=utf-8';

export const limits: ScreenLimits = { maxItems: 30, maxLabelChars: 40, maxTitleChars: 40, maxSoftkeys: 8, maxBytes: 16_000 };

export const renderScreen: RenderScreen = (screen) => ({
  contentType: CONTENT_TYPE,
  body: renderFitted(screen, limits, { list: renderList, text: renderText }),
});

// --- Internal helpers ---

function page(title: string): { html: XMLBuilder; body: XMLBuilder } {
  // No xmlns: in the XHTML namespace the serialiser writes `<softkey></softkey>`; Poly's own
  // example page is a bare `<html>` with self-closed `<softkey … />` tags [PLCM-SIP31-DEV].
  const html = xmlDocument('html');
  html.ele('head').ele('title').txt(title);
  const body = html.ele('body');
  body.ele('p').ele('b').txt(title);
  return { html, body };
}

/**
 * Items are links, so 'select' needs no softkey. 'dial-selected' has no highlighted-item call on
 * Poly: each item with a number gets its own `tel:` link, labelled like that softkey.
 */
function renderList(screen: ListScreen): string {
  const { html, body } = page(screen.title);
  const callLabel = screen.softkeys.find((k) => k.action.type === 'dial-selected')?.label;
  for (const item of screen.items) {
    const p = body.ele('p');
    p.ele('a', { href: item.url }).txt(item.label);
    const number = dialable(item.dial);
    if (callLabel !== undefined && number !== '') {
      p.txt(' ');
      p.ele('a', { href: telUri(number) }).txt(callLabel);
    }
  }
  addKeys(body, screen.softkeys);
  return serialise(html);
}

function renderText(screen: TextScreen): string {
  const { html, body } = page(screen.title);
  for (const line of screen.lines) body.ele('p').txt(line);
  addKeys(body, screen.softkeys);
  return serialise(html);
}

/**
 * Softkeys as `<softkey index label action/>`, and the same actions again as links: VVX firmware
 * does not support programmable-softkey URIs in the browser [PLCM-WEB50-21]. Exit is a softkey
 * only; 'back' is left out, because the phone adds a Back softkey by default (UC 5.0 web
 * application guide p. 21) and a second one would only take a slot of the eight.
 */
function addKeys(body: XMLBuilder, softkeys: Softkey[]): void {
  const keys = softkeys
    .map((k) => ({ label: k.label, action: softkeyAction(k.action) }))
    .filter((k): k is { label: string; action: string } => k.action !== null)
    .slice(0, limits.maxSoftkeys);
  const links = keys.filter((k) => !k.action.startsWith('SoftKey:'));
  if (links.length > 0) {
    const p = body.ele('p');
    links.forEach((k, i) => {
      if (i > 0) p.txt(' | ');
      p.ele('a', { href: k.action }).txt(k.label);
    });
  }
  keys.forEach((k, i) => body.ele('softkey', { index: String(i + 1), label: k.label, action: k.action }));
}

function softkeyAction(action: ScreenAction): string | null {
  switch (action.type) {
    case 'open':
      return action.url;
    case 'dial': {
      const number = dialable(action.number);
      return number === '' ? null : telUri(number);
    }
    case 'exit':
      return 'SoftKey:Exit';
    default:
      return null;
  }
}

/**
 * `tel:<number>` places a call: Polycom-derived documents write it lower case
 * (`<a href="tel:*50;postd=,44">`, `Polycom::App::Push`: "dial the specified 'tel:' or 'sip:'
 * URI"); `Tel://` is NOT CONFIRMED (phones.md §8), so it is never sent.
 */
function telUri(number: string): string {
  return `tel:${number}`;
}
