/** @module XML output: one way to start a document and one way to write it, so every vendor gets the same escaping rules. */
import { create } from 'xmlbuilder2';
import { writeXml, type WriteStyle } from './xml-writer.ts';

/** xmlbuilder2's node type, without reaching into its `lib/` folder. */
export type XMLBuilder = ReturnType<typeof create>;

export const XML_CONTENT_TYPE = 'text/xml; charset=utf-8';

/**
 * A new UTF-8 document with `root` as its root element. `invalidCharReplacement: ''` drops
 * characters XML 1.0 forbids instead of emitting a non-well-formed document (stack.md §6).
 */
export function xmlDocument(root: string, attributes: Record<string, string> = {}): XMLBuilder {
  return create({ version: '1.0', encoding: 'UTF-8', invalidCharReplacement: '' }).ele(root, attributes);
}

/**
 * Serialise the whole document that `node` belongs to (compact unless `style` says otherwise).
 * Every XML document we send goes through here: xmlbuilder2 builds the tree, xml-writer.ts writes
 * it (xmlbuilder2's own serialiser passes `&#0;` or `&nbsp;` in text through unescaped).
 */
export function serialise(node: XMLBuilder, style: WriteStyle = {}): string {
  return writeXml(node.doc().node, style);
}

/**
 * What a phone may dial, from a number as the screen builder gave it. A phone number written with
 * punctuation (`+49 (30) 123-456`) keeps only digits, `*`, `#` and a leading `+`; anything with
 * letters is a SIP user name and keeps `A-Z a-z 0-9 * # + . _ - @`. '' when nothing is left.
 */
export function dialable(number: string | undefined): string {
  const s = (number ?? '').trim().slice(0, 128);
  if (/^[\d\s()+\-./*#]*$/.test(s)) return s.replace(/[^\d*#+]/g, '').replace(/(?!^)\+/g, '').slice(0, 64);
  return s.replace(/[^0-9A-Za-z*#+._@-]/g, '').slice(0, 64);
}
