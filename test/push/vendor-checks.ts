/**
 * Test support: what each vendor's phone accepts as a push, checked strictly (well-formed XML, no
 * DTD, the vendor's object, its limits), and what its idle screen then shows.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { validateXML } from 'xmllint-wasm';
import { sample } from '../support/samples.ts';

export interface Checked {
  purpose: string;
  /** What the idle screen shows after it; undefined = unchanged. */
  screen?: string[];
  led?: string;
  /** Done after answering the push, as a phone runs an Execute: the screen it then shows. */
  later?: () => Promise<string[]>;
}

const XSD = sample('cisco/CiscoIpPhoneServices.xsd');
const parser = new XMLParser({
  ignoreAttributes: false, attributeNamePrefix: '@_', processEntities: true, htmlEntities: false, parseTagValue: false,
  parseAttributeValue: false, trimValues: false, isArray: (name) => ['Message', 'ExecuteItem', 'p'].includes(name),
});

/** Yealink's idle-screen messages by Index, per phone (a Status replaces or resets single lines). */
const yealinkLines = new WeakMap<object, Map<number, string>>();

export async function checkYealink(path: string, contentType: string, body: string, phone: object = {}): Promise<Checked> {
  if (path !== '/servlet?push=xml') throw new Error(`Yealink: pushes go to /servlet?push=xml, not ${path}`);
  if (!/^text\/xml\b/.test(contentType)) throw new Error(`Yealink: Content-Type ${contentType}`);
  const doc = strictXml('Yealink', body, 10_000);
  if (doc['YealinkIPPhoneStatus'] !== undefined) {
    const root = doc['YealinkIPPhoneStatus'] as Record<string, unknown>;
    if (typeof root['@_SessionID'] !== 'string' || root['@_SessionID'] === '') throw new Error('Yealink: a Status without SessionID cannot be replaced or cleared');
    if (!/^\d+$/.test(String(root['@_Timeout'] ?? '30'))) throw new Error('Yealink: Timeout is an integer');
    const messages = (root['Message'] ?? []) as (Record<string, unknown> | string)[];
    if (messages.length > 10) throw new Error('Yealink: at most 10 Message items');
    const lines = yealinkLines.get(phone) ?? new Map<number, string>();
    yealinkLines.set(phone, lines);
    for (const m of messages) {
      const index = Number(typeof m === 'string' ? 1 : m['@_Index'] ?? 1);
      if (!Number.isInteger(index) || index < 1 || index > 10) throw new Error(`Yealink: Message Index ${index} outside 1-10`);
      const text = typeof m === 'string' ? m : String(m['#text'] ?? '');
      if (text === '') lines.delete(index);
      else lines.set(index, text);
    }
    const screen = [...lines].sort((a, b) => a[0] - b[0]).map(([, t]) => t);
    return { purpose: screen.length === 0 ? 'clear' : 'status', screen };
  }
  if (doc['YealinkIPPhoneExecute'] !== undefined) {
    const items = ((doc['YealinkIPPhoneExecute'] as Record<string, unknown>)['ExecuteItem'] ?? []) as Record<string, unknown>[];
    let led: string | undefined;
    for (const item of items) {
      const uri = String(item['@_URI'] ?? '');
      if (/^Command:/i.test(uri)) throw new Error(`Yealink: ${uri} is never sent (Command: Reset is a factory reset)`);
      const m = /^Led:LINE(\d{1,2})_(RED|GREEN)=(on|off|slowflash|fastflash)$/.exec(uri);
      if (m === null) throw new Error(`Yealink: unexpected ExecuteItem ${uri}`);
      led = m[3];
    }
    return led === undefined ? { purpose: 'led' } : { purpose: 'led', led };
  }
  throw new Error(`Yealink: unexpected object ${Object.keys(doc).join(',')}`);
}

export async function checkPoly(path: string, contentType: string, body: string): Promise<Checked> {
  if (path !== '/push') throw new Error(`Poly: pushes go to /push, not ${path}`);
  if (!/^application\/xhtml\+xml\b/.test(contentType)) throw new Error(`Poly: Content-Type ${contentType} for a data push`);
  const doc = strictXml('Poly', body, 2048);
  const data = (doc['PolycomIPPhone'] as Record<string, unknown> | undefined)?.['Data'] as Record<string, unknown> | undefined;
  if (data === undefined) throw new Error('Poly: <PolycomIPPhone><Data> expected');
  if (!['Critical', 'Important', 'High', 'Normal'].includes(String(data['@_priority']))) throw new Error(`Poly: priority ${String(data['@_priority'])}`);
  const html = data['html'] as Record<string, unknown> | undefined;
  const paragraphs = ((html?.['body'] as Record<string, unknown> | undefined)?.['p'] ?? []) as unknown[];
  const lines = paragraphs.map(textOf).map((s) => s.trim()).filter((s) => s !== '');
  const cleared = lines.length === 1 && lines[0] === 'No missed calls waiting.';
  return { purpose: cleared ? 'clear' : 'status', screen: cleared ? [] : lines };
}

export async function checkCisco(path: string, contentType: string, body: string): Promise<Checked> {
  if (path !== '/CGI/Execute') throw new Error(`Cisco: pushes go to /CGI/Execute, not ${path}`);
  if (!/^application\/x-www-form-urlencoded\b/.test(contentType)) throw new Error(`Cisco: Content-Type ${contentType}`);
  const xml = new URLSearchParams(body).get('XML');
  if (xml === null) throw new Error('Cisco: the form field XML= is missing');
  const doc = strictXml('Cisco', xml, 4096);
  const items = ((doc['CiscoIPPhoneExecute'] as Record<string, unknown> | undefined)?.['ExecuteItem'] ?? []) as Record<string, unknown>[];
  if (items.length === 0 || items.length > 3) throw new Error(`Cisco: ${items.length} ExecuteItems (1-3)`);
  const url = String(items[0]?.['@_URL'] ?? '');
  // The XSD check runs after the answer (xmllint-wasm is slow on a busy machine; a phone answers at once).
  if (url === 'Init:Services') return { purpose: 'clear', later: async () => { await againstXsd('Cisco Execute', xml); return []; } };
  if (!/^http:\/\//.test(url)) throw new Error(`Cisco: unexpected ExecuteItem ${url}`);
  if (url.length > 256) throw new Error('Cisco: ExecuteItem URL longer than 256');
  // As the phone does once it has answered: fetch the page the Execute names, and show it.
  return { purpose: 'status', later: () => fetchCiscoPage(url, xml) };
}

async function fetchCiscoPage(url: string, execute: string): Promise<string[]> {
  const page = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  const text = await page.text();
  if (page.status !== 200) throw new Error(`Cisco: the waiting page answered ${page.status}`);
  await againstXsd('Cisco Execute and its waiting page', execute, text);
  const shown = (strictXml('Cisco page', text, 32_768)['CiscoIPPhoneText'] as Record<string, unknown> | undefined)?.['Text'];
  if (typeof shown !== 'string') throw new Error('Cisco: the waiting page is not a CiscoIPPhoneText');
  const lines = shown.split('\n').filter((l) => l !== '');
  return lines[0] === 'No missed calls waiting.' ? [] : lines;
}

/** xmllint-wasm compiles on first use (seconds on a busy machine): do it before the phone is needed. */
export async function warmUpXsd(): Promise<void> {
  await againstXsd('warm-up', '<CiscoIPPhoneExecute><ExecuteItem URL="Init:Services"/></CiscoIPPhoneExecute>');
}

// --- Internal helpers ---

function strictXml(who: string, body: string, maxBytes: number): Record<string, unknown> {
  if (Buffer.byteLength(body) > maxBytes) throw new Error(`${who}: ${Buffer.byteLength(body)} bytes, the phone takes ${maxBytes}`);
  if (/<!DOCTYPE|<!ENTITY/i.test(body)) throw new Error(`${who}: a DTD in a pushed object`);
  const valid = XMLValidator.validate(body);
  if (valid !== true) throw new Error(`${who}: not well-formed: ${valid.err.msg}`);
  return parser.parse(body) as Record<string, unknown>;
}

async function againstXsd(who: string, ...docs: string[]): Promise<void> {
  const xml = docs.map((contents, i) => ({ fileName: `push-${i}.xml`, contents }));
  const r = await validateXML({ xml, schema: [{ fileName: 'CiscoIpPhoneServices.xsd', contents: XSD }] });
  if (!r.valid) throw new Error(`${who}: not valid against Cisco's XSD: ${r.errors.map((e) => e.message).join('; ')}`);
}

function textOf(node: unknown): string {
  if (typeof node === 'string') return node;
  if (node === null || typeof node !== 'object') return '';
  return Object.entries(node).filter(([k]) => !k.startsWith('@_')).map(([, v]) => (Array.isArray(v) ? v.map(textOf).join('') : textOf(v))).join('');
}
