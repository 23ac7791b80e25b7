/**
 * Simulated desk phones that know only the provisioning URL and credentials: each fetches its
 * files in its vendor's order and reads its settings out of them, as the firmware would
 * (phones.md §1.9, §2.6, §3.5, §5). Every file is checked on the way: XML with libxml2 (strict),
 * key=value files line by line.
 */
import assert from 'node:assert/strict';
import { XMLParser } from 'fast-xml-parser';
import { assertStrictXml } from '../support/strict-xml.ts';
import { PhoneClient, type FetchResult } from './harness.ts';

/** What a phone ended up with: its settings, and every file it fetched (name → text). */
export interface Booted {
  settings: Map<string, string>;
  files: Map<string, string>;
}

export { assertStrictXml };

/** Yealink `key = value` lines after `#!version:1.0.0.1`; every line must be a valid setting (or an include). */
export function parseKeyValue(name: string, text: string): { settings: [string, string][]; includes: string[] } {
  const lines = text.split('\n');
  assert.equal(lines[0], '#!version:1.0.0.1', `${name}: first line`);
  assert.equal(lines.at(-1), '', `${name}: ends with a newline`);
  const settings: [string, string][] = [];
  const includes: string[] = [];
  for (const line of lines.slice(1, -1)) {
    const include = /^include:config "([^"]+)"$/.exec(line);
    if (include?.[1] !== undefined) {
      includes.push(include[1]);
      continue;
    }
    const m = /^([A-Za-z0-9_][A-Za-z0-9_.-]*) = (\S(?:.*\S)?)$/.exec(line);
    assert.ok(m?.[1] !== undefined && m[2] !== undefined, `${name}: not a valid "key = value" line: ${JSON.stringify(line.slice(0, 120))}`);
    assert.ok(!/[\u0000-\u001f\u007f]/.test(line), `${name}: control character in ${m[1]}`);
    settings.push([m[1], m[2]]);
  }
  return { settings, includes };
}

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, parseAttributeValue: false, trimValues: false, processEntities: true, htmlEntities: false, isArray: () => true });

type Node = Record<string, unknown>;

function parseXml(text: string): Node {
  return xml.parse(text) as Node;
}

function children(node: unknown, tag: string): Node[] {
  const v = (node as Node)[tag];
  return Array.isArray(v) ? (v as Node[]) : [];
}

function textOf(node: Node | string): string {
  if (typeof node === 'string') return node;
  const t = node['#text'];
  return Array.isArray(t) ? t.join('') : typeof t === 'string' ? t : '';
}

async function fetchOk(client: PhoneClient, name: string): Promise<FetchResult> {
  const r = await client.get(`/provision/${name}`);
  assert.equal(r.status, 200, `${name}: HTTP ${r.status}`);
  return r;
}

/** Yealink [Y-BOOT-ORDER]: `<mac>.boot`, else `y000000000000.boot`; its includes top to bottom, later wins. */
export async function bootYealink(client: PhoneClient, mac: string): Promise<Booted> {
  const files = new Map<string, string>();
  let boot = await client.get(`/provision/${mac}.boot`);
  let bootName = `${mac}.boot`;
  if (boot.status === 404) {
    bootName = 'y000000000000.boot';
    boot = await fetchOk(client, bootName);
  }
  assert.equal(boot.status, 200);
  files.set(bootName, boot.text);
  const settings = new Map<string, string>();
  const { includes, settings: bootSettings } = parseKeyValue(bootName, boot.text);
  for (const [k, v] of bootSettings) settings.set(k, v);
  for (const include of includes) {
    const r = await fetchOk(client, include);
    files.set(include, r.text);
    for (const [k, v] of parseKeyValue(include, r.text).settings) settings.set(k, v);
  }
  return { settings, files };
}

/** Poly [PLCM-SIP31-AG-A2]: master `<MAC>.cfg`, else `000000000000.cfg`; then its CONFIG_FILES (the first file listed wins). */
export async function bootPoly(client: PhoneClient, mac: string, opts: { generic?: boolean } = {}): Promise<Booted> {
  const files = new Map<string, string>();
  let masterName = `${mac}.cfg`;
  let master = opts.generic === true ? { status: 404, text: '' } : await client.get(`/provision/${masterName}`);
  if (master.status === 404) {
    masterName = '000000000000.cfg';
    master = await fetchOk(client, masterName);
  }
  files.set(masterName, master.text);
  await assertStrictXml(masterName, master.text);
  const app = children(parseXml(master.text), 'APPLICATION')[0];
  assert.ok(app !== undefined, 'master file has an APPLICATION element');
  const list = String(app['@CONFIG_FILES'] ?? '').split(',').map((f) => f.trim().replace('[PHONE_MAC_ADDRESS]', mac)).filter((f) => f !== '');
  const settings = new Map<string, string>();
  for (const name of list) {
    const r = await fetchOk(client, name);
    files.set(name, r.text);
    await assertStrictXml(name, r.text);
    for (const [root, nodes] of Object.entries(parseXml(r.text))) {
      if (root.startsWith('?')) continue;
      for (const node of nodes as Node[]) {
        for (const [k, v] of Object.entries(node)) if (k.startsWith('@') && !settings.has(k.slice(1))) settings.set(k.slice(1), String(v));
      }
    }
  }
  return { settings, files };
}

function flatProfile(text: string): Map<string, string> {
  const root = children(parseXml(text), 'flat-profile')[0] ?? {};
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(root)) if (!k.startsWith('@') && !k.startsWith('#')) out.set(k, textOf((v as Node[])[0] ?? {}));
  return out;
}

/**
 * Cisco MPP [CISCO-8800-PROV]: the default rule `/$PSN.xml`, then whatever `Profile_Rule` says,
 * with `$MA` = the MAC and `[--uid … --pwd …]` as the credentials of that request.
 */
export async function bootCisco(client: PhoneClient, mac: string, psn: string): Promise<Booted> {
  const files = new Map<string, string>();
  const first = await fetchOk(client, `${psn}.xml`);
  files.set(`${psn}.xml`, first.text);
  await assertStrictXml(`${psn}.xml`, first.text);
  const rule = flatProfile(first.text).get('Profile_Rule') ?? '';
  const m = /^(?:\[--uid (\S+) --pwd (\S+)\])?(\S+)$/.exec(rule);
  assert.ok(m?.[3] !== undefined, `Profile_Rule: ${rule}`);
  const url = m[3].replace('$MA', mac);
  const next = new PhoneClient(client.app, { userAgent: client.userAgent, scheme: client.scheme, user: m[1] ?? client.user, password: m[2] ?? client.password });
  const path = url.replace(/^https?:\/\/[^/]+/, '');
  const r = await next.get(path);
  assert.equal(r.status, 200, `${path}: HTTP ${r.status}`);
  const name = path.split('/').at(-1) ?? '';
  files.set(name, r.text);
  await assertStrictXml(name, r.text);
  return { settings: flatProfile(r.text), files };
}

/** Snom: the URL it was given (`…/{mac}.xml`, `{mac}` filled in [FPBX-SNOM-D785]); function keys as `fkey[n]`. */
export async function bootSnom(client: PhoneClient, mac: string): Promise<Booted> {
  const name = `${mac}.xml`;
  const r = await fetchOk(client, name);
  await assertStrictXml(name, r.text);
  const root = children(parseXml(r.text), 'settings')[0] ?? {};
  const settings = new Map<string, string>();
  for (const section of children(root, 'phone-settings')) {
    for (const [k, v] of Object.entries(section)) {
      if (k.startsWith('@') || k.startsWith('#')) continue;
      for (const node of v as (Node | string)[]) settings.set(typeof node === 'string' || node['@idx'] === undefined ? k : `${k}[${String(node['@idx'])}]`, textOf(node));
    }
  }
  for (const keys of children(root, 'functionKeys')) {
    for (const f of children(keys, 'fkey')) {
      settings.set(`fkey[${String(f['@idx'])}]`, textOf(f));
      settings.set(`fkey[${String(f['@idx'])}].label`, String(f['@label'] ?? ''));
    }
  }
  return { settings, files: new Map([[name, r.text]]) };
}

/** Grandstream: `cfg<mac>.xml`, named items [FPBX-GS-2170]. */
export async function bootGrandstream(client: PhoneClient, mac: string): Promise<Booted> {
  const name = `cfg${mac}.xml`;
  const r = await fetchOk(client, name);
  await assertStrictXml(name, r.text);
  const config = children(children(parseXml(r.text), 'gs_provision')[0], 'config')[0];
  const settings = new Map<string, string>();
  for (const item of children(config, 'item')) settings.set(String(item['@name']), textOf(item));
  return { settings, files: new Map([[name, r.text]]) };
}

/** Fanvil: `<mac>.cfg`, `<sysConf>` sections flattened to dotted paths (`cti.NewMissedcallUrl`). */
export async function bootFanvil(client: PhoneClient, mac: string): Promise<Booted> {
  const name = `${mac}.cfg`;
  const r = await fetchOk(client, name);
  await assertStrictXml(name, r.text);
  const settings = new Map<string, string>();
  const walk = (node: Node, path: string) => {
    for (const [k, v] of Object.entries(node)) {
      if (k.startsWith('@') || k.startsWith('#')) continue;
      for (const child of v as (Node | string)[]) {
        if (typeof child === 'string') {
          settings.set(`${path === '' ? '' : `${path}.`}${k}`, child);
          continue;
        }
        const p = `${path === '' ? '' : `${path}.`}${k}${child['@index'] === undefined ? '' : `[${String(child['@index'])}]`}`;
        const nested = Object.keys(child).some((c) => !c.startsWith('@') && !c.startsWith('#'));
        if (nested) walk(child, p);
        else settings.set(p, textOf(child));
      }
    }
  };
  walk(children(parseXml(r.text), 'sysConf')[0] ?? {}, '');
  return { settings, files: new Map([[name, r.text]]) };
}
