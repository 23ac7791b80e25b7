/**
 * @module Safe reading of Poly telephony-notification bodies: bounded size, no DOCTYPE or entity
 * ever honoured, well-formedness checked before parsing, document order kept.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** The HTTP layer caps bodies at 64 KB too; a phone event is well under 4 KB. */
export const MAX_BODY_CHARS = 64 * 1024;

/** A parsed element in document order (fast-xml-parser `preserveOrder` shape). */
export type XmlNode = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  processEntities: false,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  maxNestedTags: 32,
});

/**
 * The top-level elements of `body`, or why it was refused. Declarations (`<!DOCTYPE`,
 * `<!ENTITY`, any `<!` other than a comment or CDATA) are refused before any parser sees them,
 * so a billion-laughs or external-entity body costs one regex scan. Several bare events in one
 * body are accepted by reading it inside a synthetic root.
 */
export function readXml(raw: unknown): { ok: true; nodes: XmlNode[] } | { ok: false; reason: string } {
  if (typeof raw !== 'string' || raw.trim() === '') return { ok: false, reason: 'empty body' };
  if (raw.length > MAX_BODY_CHARS) return { ok: false, reason: 'body too large' };
  const body = unwrapForm(raw);
  if (/<!DOCTYPE|<!ENTITY/i.test(body)) return { ok: false, reason: 'DOCTYPE/ENTITY not allowed' };
  if (/<!(?!--|\[CDATA\[)/.test(body)) return { ok: false, reason: 'markup declaration not allowed' };
  const inner = body.replace(/^\uFEFF?\s*<\?xml[^>]*\?>/, '');
  const wrapped = `<ringback-body>${inner}</ringback-body>`;
  try {
    if (XMLValidator.validate(wrapped) !== true) return { ok: false, reason: 'malformed XML' };
    const doc = parser.parse(wrapped) as XmlNode[];
    const root = doc.find((n) => tagOf(n) === 'ringback-body');
    return { ok: true, nodes: root ? children(root) : [] };
  } catch {
    return { ok: false, reason: 'malformed XML' };
  }
}

/**
 * The POST's Content-Type is NOT CONFIRMED (phones.md §2.1): should a phone send the XML as one
 * form field (`name=%3CIncomingCallEvent…`), take that field's value. A raw XML body is unchanged.
 */
function unwrapForm(body: string): string {
  const m = /^\s*[A-Za-z_][\w.-]{0,31}=(%3C[^&]*)&?/i.exec(body);
  if (m?.[1] === undefined) return body;
  try {
    return decodeURIComponent(m[1].replace(/\+/g, ' '));
  } catch {
    return body;
  }
}

export function tagOf(node: XmlNode): string | undefined {
  return Object.keys(node).find((k) => k !== ':@' && k !== '#text');
}

export function children(node: XmlNode): XmlNode[] {
  const tag = tagOf(node);
  const value = tag === undefined ? undefined : node[tag];
  return Array.isArray(value) ? (value as XmlNode[]) : [];
}

export function attribute(node: XmlNode, name: string): string {
  const attrs = node[':@'];
  if (attrs === null || typeof attrs !== 'object' || !Object.hasOwn(attrs, name)) return '';
  const value = (attrs as Record<string, unknown>)[name];
  return typeof value === 'string' ? decodeEntities(value) : '';
}

export function child(node: XmlNode, name: string): XmlNode | undefined {
  return children(node).find((c) => tagOf(c) === name);
}

/** The text of `node` (entities decoded), '' for none. */
export function text(node: XmlNode | undefined): string {
  if (node === undefined) return '';
  let out = '';
  for (const c of children(node)) if (typeof c['#text'] === 'string') out += c['#text'];
  return decodeEntities(out);
}

/** Text of the first child element `name`. */
export function childText(node: XmlNode | undefined, name: string): string {
  return node === undefined ? '' : text(child(node, name));
}

/**
 * The five predefined XML entities and numeric character references, in one pass (nothing is
 * re-expanded, so no entity can grow the text). Entity processing in the parser stays off.
 */
export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(lt|gt|amp|quot|apos|#\d{1,7}|#x[0-9a-fA-F]{1,6});/g, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
    }
    return ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" } as Record<string, string>)[name] ?? whole;
  });
}
