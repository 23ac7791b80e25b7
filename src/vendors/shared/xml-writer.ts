/**
 * @module The one XML writer: every screen and provisioning file is written here, from the tree
 * xmlbuilder2 builds. We write it ourselves because xmlbuilder2's serialiser leaves any `&name;`
 * or `&#n;` in text as is (its `nonEntityAmpersandRegex`), so a caller named `&#0;` or `&nbsp;`
 * made a screen no phone could parse. Here every `&` is `&amp;`, and characters XML 1.0 cannot
 * carry are dropped. Only elements and text are written (CDATA as escaped text); we build no
 * comments or processing instructions.
 */

/** The parts of a DOM node we read (xmlbuilder2's `node`), without reaching into its `lib/` folder. */
export interface XmlTreeNode {
  readonly nodeType: number;
  readonly nodeName: string;
  readonly childNodes: Iterable<XmlTreeNode>;
  readonly data?: string;
  readonly attributes?: Iterable<{ readonly name: string; readonly value: string }>;
}

export interface WriteStyle {
  /** Indent nested elements by two spaces, one per line (files admins read and diff). */
  pretty?: boolean;
  /** With `pretty`, one attribute per line (Poly's long `polycomConfig` element). */
  attributePerLine?: boolean;
}

const ELEMENT = 1;
const TEXT = 3;
const CDATA = 4;
const DOCUMENT = 9;

/**
 * Outside XML 1.0's `Char` production: C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF.
 * Dropped, not replaced: a screen keeps the rest of the caller's name.
 */
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Names (`prefix:local` allowed) come from our code and validated templates; a bad one is a bug, never output. */
const NAME = /^[A-Za-z_][A-Za-z0-9_.\-]*(?::[A-Za-z_][A-Za-z0-9_.\-]*)?$/;

/** Character data: `&` first, so nothing entity-like survives; `>` too, so `]]>` cannot appear; CR kept as a reference. */
export function escapeText(value: string): string {
  return value.replace(NOT_XML_CHAR, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

/** An attribute value in double quotes; tab, LF and CR as references, which a parser would otherwise turn into spaces. */
export function escapeAttribute(value: string): string {
  return escapeText(value).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;');
}

/** The whole document `node` belongs to, with the UTF-8 declaration. */
export function writeXml(root: XmlTreeNode, style: WriteStyle = {}): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  for (const child of root.nodeType === DOCUMENT ? root.childNodes : [root]) {
    if (child.nodeType === ELEMENT) writeElement(child, style, 0, out);
  }
  return style.pretty === true ? `${out.join('\n')}\n` : out.join('');
}

// --- Internal helpers ---

function writeElement(node: XmlTreeNode, style: WriteStyle, depth: number, out: string[]): void {
  const name = checkedName(node.nodeName);
  const pad = style.pretty === true ? '  '.repeat(depth) : '';
  const attrs = [...(node.attributes ?? [])].map((a) => `${checkedName(a.name)}="${escapeAttribute(a.value)}"`);
  const open = attrs.length === 0 ? `${pad}<${name}` : style.attributePerLine === true
    ? `${pad}<${name}\n${attrs.map((a) => `${pad}  ${a}`).join('\n')}`
    : `${pad}<${name} ${attrs.join(' ')}`;
  const children = [...node.childNodes];
  const texts = children.every((c) => c.nodeType === TEXT || c.nodeType === CDATA);
  if (children.length === 0 || (style.pretty === true && texts && children.every((c) => (c.data ?? '') === ''))) {
    out.push(`${open}/>`);
    return;
  }
  if (style.pretty === true && !texts) {
    out.push(`${open}>`);
    for (const c of children) {
      if (c.nodeType === ELEMENT) writeElement(c, style, depth + 1, out);
      else if ((c.nodeType === TEXT || c.nodeType === CDATA) && (c.data ?? '').trim() !== '') out.push(`${pad}  ${escapeText(c.data ?? '')}`);
    }
    out.push(`${pad}</${name}>`);
    return;
  }
  const inner: string[] = [];
  for (const c of children) {
    if (c.nodeType === ELEMENT) writeElement(c, {}, 0, inner);
    else if (c.nodeType === TEXT || c.nodeType === CDATA) inner.push(escapeText(c.data ?? ''));
  }
  out.push(`${open}>${inner.join('')}</${name}>`);
}

function checkedName(name: string): string {
  if (!NAME.test(name)) throw new Error(`not an XML name: ${JSON.stringify(name.slice(0, 64))}`);
  return name;
}
