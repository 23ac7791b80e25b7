/**
 * @module XML config files built from settings (escaping is the shared writer's job): Poly
 * attributes on one element, Cisco flat-profile elements, Grandstream items, Fanvil nested paths,
 * Snom phone settings. Names come only from our code and validated templates; values are checked
 * by checkValue first, so nothing is dropped or altered on the way.
 */
import type { Setting } from '../../types.ts';
import { serialise as write, xmlDocument, type XMLBuilder } from '../xml.ts';
import { ProvisionError } from '../provision-error.ts';
import { checkValue } from '../settings.ts';

/** An XML name as config formats use them (`reg.1.auth.password`, `Extended_Function_3_`, `Start-Xfer_Key_List`). */
export const XML_NAME = /^[A-Za-z_][A-Za-z0-9_.\-]{0,127}$/;

/** A nested path (Fanvil): `sip.line[1].RegisterPswd`; each segment an XML name, `[n]` an `index` attribute. */
export const XML_PATH = /^[A-Za-z_][A-Za-z0-9_\-]{0,63}(?:\[\d{1,3}\])?(?:\.[A-Za-z_][A-Za-z0-9_\-]{0,63}(?:\[\d{1,3}\])?){0,7}$/;

/** A named, optionally indexed setting (Snom): `user_pass[1]`, `ntp_server`, `fkey[4]`, `fkey[4].label`. */
export const INDEXED_NAME = /^[A-Za-z_][A-Za-z0-9_\-]{0,63}(?:\[\d{1,3}\])?(?:\.label)?$/;

export const XML_TEXT_TYPE = 'text/xml; charset=utf-8';

function checked(settings: readonly Setting[], name: RegExp): readonly Setting[] {
  for (const [key, value] of settings) {
    if (!name.test(key)) throw new ProvisionError(`${key.slice(0, 64)}: not a setting name`);
    checkValue(key, value);
  }
  return settings;
}

/** `<root a="…" b="…"/>` with the settings as attributes, in order (Poly `polycomConfig` [POLY-CFG-AGENT]). */
export function attributesFile(root: string, settings: readonly Setting[], attrs: Record<string, string> = {}): string {
  const doc = xmlDocument(root, attrs);
  for (const [key, value] of checked(settings, XML_NAME)) doc.att(key, value);
  return serialise(doc, true);
}

/** `<root><Key>value</Key>…</root>`, one element per setting (Cisco `flat-profile` [FPBX-CISCO-8841]). */
export function elementsFile(root: string, settings: readonly Setting[]): string {
  const doc = xmlDocument(root);
  for (const [key, value] of checked(settings, XML_NAME)) doc.ele(key).txt(value);
  return serialise(doc);
}

/** `<gs_provision version="1"><config version="2"><item name="key">value</item>…` [FPBX-GS-2170]. */
export function itemsFile(settings: readonly Setting[]): string {
  const doc = xmlDocument('gs_provision', { version: '1' });
  const config = doc.ele('config', { version: '2' });
  for (const [key, value] of checked(settings, /^[A-Za-z0-9_][A-Za-z0-9_.\-]{0,127}$/)) config.ele('item', { name: key }).txt(value);
  return serialise(doc);
}

/**
 * Nested elements from dotted paths: `sip.line[1].PhoneNumber` → `<sip><line index="1"><PhoneNumber>`.
 * Siblings keep the order in which their first setting appears (Fanvil `sysConf` [FPBX-FANVIL-H2U]).
 */
export function nestedFile(root: string, settings: readonly Setting[], first: readonly Setting[] = []): string {
  const doc = xmlDocument(root);
  const nodes = new Map<string, XMLBuilder>();
  for (const [key, value] of [...first, ...checked(settings, XML_PATH)]) {
    const segments = key.split('.');
    let parent = doc;
    let path = '';
    for (const [i, segment] of segments.entries()) {
      path = path === '' ? segment : `${path}.${segment}`;
      const leaf = i === segments.length - 1;
      const existing = leaf ? undefined : nodes.get(path);
      if (existing !== undefined) {
        parent = existing;
        continue;
      }
      const m = /^([^[]+)(?:\[(\d+)\])?$/.exec(segment);
      const node = parent.ele(m?.[1] ?? segment, m?.[2] === undefined ? {} : { index: m[2] });
      if (leaf) node.txt(value);
      else nodes.set(path, node);
      parent = node;
    }
  }
  return serialise(doc);
}

/**
 * Snom `<settings><phone-settings e="2">…</phone-settings><functionKeys e="2">…</functionKeys></settings>`
 * [FPBX-SNOM-D785]: `name[idx]` becomes `<name idx="idx" perm="">`; `fkey[n]` goes to the function
 * keys, with `fkey[n].label` as its label attribute.
 */
export function snomFile(settings: readonly Setting[]): string {
  const doc = xmlDocument('settings');
  const phone = doc.ele('phone-settings', { e: '2' });
  const fkeys: { idx: string; value: string; label: string }[] = [];
  for (const [key, value] of checked(settings, INDEXED_NAME)) {
    const m = /^([^[.]+)(?:\[(\d+)\])?(\.label)?$/.exec(key);
    const name = m?.[1] ?? key;
    const idx = m?.[2];
    if (name === 'fkey' && idx !== undefined) {
      const fkey = fkeys.find((f) => f.idx === idx) ?? { idx, value: '', label: '' };
      if (!fkeys.includes(fkey)) fkeys.push(fkey);
      if (m?.[3] === undefined) fkey.value = value;
      else fkey.label = value;
      continue;
    }
    if (m?.[3] !== undefined) throw new ProvisionError(`${key}: only function keys have labels`);
    phone.ele(name, { ...(idx === undefined ? {} : { idx }), perm: '' }).txt(value);
  }
  if (fkeys.length > 0) {
    const keys = doc.ele('functionKeys', { e: '2' });
    for (const f of fkeys) keys.ele('fkey', { idx: f.idx, context: 'active', label: f.label, perm: '' }).txt(f.value);
  }
  return serialise(doc);
}

/** Indented, one element (or, with `wrap`, one attribute) per line: files admins read and diff. */
function serialise(doc: XMLBuilder, wrap = false): string {
  return write(doc, { pretty: true, attributePerLine: wrap });
}
