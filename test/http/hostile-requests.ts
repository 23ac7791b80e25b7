/**
 * Seeded hostile requests for every route family, as raw bytes: what a broken phone, a scanner, a
 * caller's display name or a careless script can send. Not a test file: hostile-input.test.ts
 * sends them. Route families stay parseable HTTP (so they reach our routes); the `framing`
 * family breaks HTTP itself.
 */
import { createHmac } from 'node:crypto';
import type { Random } from '../support/random.ts';
import { XML_TRAPS } from '../support/random.ts';

export interface FuzzPhone {
  vendor: string;
  mac: string;
  token: string;
  /** The phone's action URLs as the API gave them (`$variables` unfilled). */
  events: Record<string, string>;
  /** The provisioning files it fetches, and a User-Agent its vendor sends (with its MAC). */
  files: string[];
  userAgent: string;
}

export interface FuzzFixture {
  phones: FuzzPhone[];
  missedIds: string[];
  teamIds: string[];
  /** A phone and team the fuzz may edit (the others keep working for the rest of the run). */
  victimMac: string;
  victimTeam: string;
  admin: string;
  webhookSecret: string;
  provUser: string;
  provPassword: string;
  nowSeconds: () => number;
}

export interface HostileRequest {
  family: string;
  /** The whole request, one JS char per byte (latin1). */
  bytes: Buffer;
  /** Send on a new connection and half-close it (broken framing). */
  fresh?: boolean;
  head?: boolean;
}

export const FAMILIES = ['phone-event', 'phone-event-post', 'phone-screen', 'provision', 'api-read', 'api-write', 'webhook', 'health', 'dashboard', 'unknown', 'framing'] as const;
type Family = (typeof FAMILIES)[number];

const NASTY = [
  '', '%', '%zz', '%E0%A4%A', '%FF%FE', '%00', '%0D%0ASet-Cookie:%20x=1', '<script>', '"><x>', ']]>', '&amp;', "'", '$remote', '$$', 'sip:',
  '<sip:@>', '+', '++49', '../../etc/passwd', '%2e%2e%2f', '..%2f..%2f', '☎️', '\u202e', 'A'.repeat(5000), '9'.repeat(300), '-1', '1e309', 'NaN',
  '[object Object]', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'null', 'true', '0x10', '\u00e9', '%C0%AF', '%u0041', '{{token}}',
];
const VENDORS = ['yealink', 'poly', 'cisco', 'snom', 'grandstream', 'fanvil', 'polycom', 'YEALINK', 'nokia', '%00', '..', 'constructor', ''];

/** UTF-8 bytes of `s` as latin1 chars (how a string goes onto the wire). */
const utf8 = (s: string): string => Buffer.from(s, 'utf8').toString('latin1');
const pct = (s: string): string => encodeURIComponent(s.replace(/[\uD800-\uDFFF]/g, ''));

export function hostileText(r: Random): string {
  switch (r.int(5)) {
    case 0: return r.pick(NASTY);
    case 1: return r.pick(XML_TRAPS) + r.pick(XML_TRAPS) + r.pick(NASTY);
    case 2: return r.pick(NASTY) + r.pick(XML_TRAPS);
    case 3: return String(r.int(1e9));
    default: return Array.from({ length: r.int(12) }, () => r.pick(XML_TRAPS)).join('');
  }
}

/**
 * A query or path value as it may appear in a URL. Mostly hostile text, correctly percent-encoded
 * (it gets past the front door into the route's logic); otherwise broken encodings and raw bytes.
 */
function urlValue(r: Random): string {
  if (r.next() < 0.6) return pct(hostileText(r));
  switch (r.int(4)) {
    case 0: return pct(hostileText(r));
    case 1: return Array.from({ length: r.int(30) }, () => `%${r.int(256).toString(16).padStart(2, '0')}`).join('');
    case 2: return utf8(hostileText(r)).replace(/[\x00-\x20\x7f#]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
    default: return r.pick(NASTY).replace(/[\x00-\x20\x7f#]/g, '');
  }
}

/** A header value a parser still takes: no controls but tab, any high byte. */
function headerValue(r: Random): string {
  return utf8(hostileText(r)).replace(/[\x00-\x08\x0a-\x1f\x7f]/g, '').slice(0, 2000);
}

function query(r: Random, keys: readonly string[], token?: string): string {
  const pairs = Array.from({ length: r.int(7) }, () => `${r.next() < 0.9 ? r.pick(keys) : urlValue(r)}=${urlValue(r)}`);
  if (token !== undefined && r.next() < 0.8) pairs.unshift(`t=${r.next() < 0.85 ? token : urlValue(r)}`);
  return pairs.join('&');
}

function extraHeaders(r: Random): [string, string][] {
  const out: [string, string][] = [];
  const names = ['User-Agent', 'X-Forwarded-For', 'Cookie', 'Accept', 'Accept-Language', 'Origin', 'Referer', 'X-CSRF-Token', 'Range', 'If-None-Match', 'X-Real-IP', 'Forwarded', 'Accept-Encoding'];
  for (let i = r.int(4); i > 0; i--) out.push([r.pick(names), headerValue(r)]);
  return out;
}

function request(r: Random, family: Family, method: string, target: string, headers: [string, string][] = [], body?: string): HostileRequest {
  const host = r.next() < 0.9 ? '127.0.0.1' : headerValue(r).replace(/[\s,]/g, '') || 'x';
  const all: [string, string][] = [['Host', host], ...headers, ...extraHeaders(r)];
  if (body !== undefined) all.push(['Content-Length', String(Buffer.byteLength(body, 'latin1'))]);
  const head = `${method} ${target} HTTP/1.1\r\n${all.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
  return { family, bytes: Buffer.from(head + (body ?? ''), 'latin1'), head: method === 'HEAD' };
}

function json(r: Random): string {
  const v = () => r.pick<unknown>([hostileText(r), r.int(100), -1, 1e308, null, true, [], {}, [hostileText(r)], { constructor: { prototype: { admin: true } } }]);
  const keys = ['name', 'extensions', 'numbers', 'timeZone', 'mac', 'vendor', 'model', 'label', 'userName', 'extension', 'lines', 'teamIds', 'action',
    'assignee', 'outcome', 'note', 'number', 'login', 'password', 'role', 'displayName', 'businessHours', 'targetMinutes', 'recipients', 'type', 'url', 'enabled', 'at', 'reason'];
  switch (r.int(6)) {
    case 0: return `{"${utf8(hostileText(r)).replace(/["\\]/g, '')}": ${r.pick(['1', '"x"', 'null', '[', '{"a":', '[1,2]', '{"__proto__":{"x":1}}', '"\\ud800"', '1e99999'])}}`;
    case 1: return '['.repeat(r.int(5000)) + ']'.repeat(r.int(5000));
    case 2: return utf8(hostileText(r));
    default: {
      const o: Record<string, unknown> = {};
      for (let i = r.int(8); i > 0; i--) o[r.pick(keys)] = v();
      if (r.next() < 0.3) o['action'] = r.pick(['assign', 'return', 'ignore', 'reopen', 'release', 'note', 'outcome', 'callback', 'dial']);
      return utf8(JSON.stringify(o));
    }
  }
}

function polyXml(r: Random, mac: string): string {
  const f = () => r.next() < 0.7 ? utf8(hostileText(r)).replace(/[<&]/g, r.pick(['<', '&', '&amp;', '&#0;', ''])) : r.pick(['20701', mac, '2026-11-26T09:00:00Z']);
  const event = r.pick(['IncomingCallEvent', 'OutgoingCallEvent', 'CallStateChangeEvent', 'MissedCallEvent', 'LineRegistrationEvent', 'OffHookEvent', 'Unknown']);
  const inner = `<MACAddress>${f()}</MACAddress><CallingPartyName>${f()}</CallingPartyName><CallingPartyNumber>${f()}</CallingPartyNumber><CalledPartyNumber>${f()}</CalledPartyNumber><TimeStamp>${f()}</TimeStamp><CallState>${f()}</CallState>`;
  switch (r.int(6)) {
    case 0: return `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "${'x'.repeat(r.int(100))}">]><PolycomIPPhone><${event}>&a;${inner}</${event}></PolycomIPPhone>`;
    case 1: return `name=${pct(`<PolycomIPPhone><${event}>${inner}</${event}></PolycomIPPhone>`)}`;
    case 2: return `<PolycomIPPhone>${'<a>'.repeat(r.int(2000))}<${event}>${inner}`;
    case 3: return `<${event}><![CDATA[${f()}]]>${inner}</${event}>`;
    default: return `<?xml version="1.0" encoding="UTF-8"?><PolycomIPPhone><${event}>${inner}</${event}></PolycomIPPhone>`;
  }
}

const FILE_NAMES = ['{mac}.cfg', '{mac}.boot', 'y000000000000.boot', 'y000000000108.cfg', '000000000000.cfg', '{mac}-ringback.cfg', '{mac}.xml', 'cfg{mac}.xml',
  '{mac}-phone.cfg', '{mac}-directory.xml', '{mac}-app.log', '{mac}-boot.log', 'snomD785-{MAC}.htm', 'snomD785.htm', '{mac}-overrides.cfg', 'index.html', '..', '%2e%2e'];

export function generate(r: Random, fx: FuzzFixture, family: Family): HostileRequest {
  const phone = r.pick(fx.phones);
  const bearer = (): [string, string][] => {
    const x = r.next();
    if (x < 0.7) return [['Authorization', `Bearer ${fx.admin}`]];
    if (x < 0.8) return [];
    if (x < 0.9) return [['Authorization', `Bearer ${headerValue(r).replace(/\s/g, '')}`]];
    return [['Authorization', r.pick(['Bearer', 'Basic Og==', 'Digest x', `bearer ${fx.admin}`, `Bearer ${fx.admin}x`, headerValue(r)])]];
  };
  switch (family) {
    case 'phone-event': {
      const templates = Object.values(phone.events);
      const template = templates.length > 0 && r.next() < 0.8 ? r.pick(templates) : `/phone/${r.pick(VENDORS)}/event?t=${phone.token}&e=${urlValue(r)}`;
      const filled = template.replace(/^https?:\/\/[^/]+/, '').replace(/\$[A-Za-z_][\w-]*/g, () => (r.next() < 0.4 ? urlValue(r) : r.pick(['$remote', '', phone.mac, `sip:${r.int(1e6)}@pbx`, '11', pct(hostileText(r))])));
      const target = r.next() < 0.2 ? filled.replace(/\/phone\/[^/]+\//, `/phone/${r.pick(VENDORS)}/`) : filled;
      const more = r.next() < 0.5 ? `&${query(r, ['remote', 'local', 'name', 'cid', 'mac', 'e', 'x'])}` : '';
      return request(r, family, r.next() < 0.95 ? 'GET' : r.pick(['HEAD', 'PUT', 'DELETE']), `${target}${more}`);
    }
    case 'phone-event-post': {
      const vendor = r.next() < 0.8 ? 'poly' : r.pick(VENDORS);
      const body = r.next() < 0.8 ? polyXml(r, phone.mac) : utf8(hostileText(r)).repeat(r.int(20));
      const type = r.pick(['text/xml', 'application/xml', 'application/x-www-form-urlencoded', 'text/plain; charset=klingon', 'application/json', 'multipart/form-data', headerValue(r)]);
      return request(r, family, 'POST', `/phone/${vendor}/event?t=${r.next() < 0.85 ? phone.token : urlValue(r)}`, [['Content-Type', type]], body);
    }
    case 'phone-screen': {
      const id = r.next() < 0.7 && fx.missedIds.length > 0 ? r.pick(fx.missedIds) : urlValue(r);
      const path = r.pick(['', `/${id}`, `/${id}/outcome`, `/${id}/${r.pick(['mine', 'return', 'ignore', 'reopen', 'release', 'outcome', 'constructor', urlValue(r)])}`]);
      // Mostly the phones whose screens are XML (the others answer plain text).
      const shown = r.next() < 0.8 ? r.pick(fx.phones.filter((p) => ['yealink', 'cisco', 'snom', 'poly'].includes(p.vendor))) : phone;
      const vendor = r.next() < 0.9 ? shown.vendor : r.pick(VENDORS);
      return request(r, family, 'GET', `/phone/${vendor}/missed${path}?${query(r, ['p', 'outcome', 'mac', 'x', 'confirm', 'note'], shown.token)}`);
    }
    case 'provision': {
      const mac = r.next() < 0.7 ? phone.mac : urlValue(r);
      const x0 = r.next();
      const name = x0 < 0.5 && phone.files.length > 0 ? r.pick(phone.files) : x0 < 0.85 ? r.pick(FILE_NAMES).replace('{mac}', mac).replace('{MAC}', mac.toUpperCase()) : urlValue(r);
      const x = r.next();
      const authz: [string, string][] = x < 0.75 ? [['Authorization', `Basic ${Buffer.from(`${fx.provUser}:${fx.provPassword}`).toString('base64')}`]]
        : x < 0.85 ? [] : [['Authorization', r.pick([`Digest username="${headerValue(r).replace(/"/g, '')}", realm="x", nonce="${headerValue(r).replace(/"/g, '')}", uri="/", response="00"`, `Basic ${headerValue(r)}`, 'Basic', headerValue(r)])]];
      const ua: [string, string] = ['User-Agent', r.next() < 0.7 ? phone.userAgent : headerValue(r)];
      if (r.next() < 0.15) return request(r, family, 'PUT', `/provision/${name}`, [...authz, ua, ['Content-Type', 'application/octet-stream']], utf8(hostileText(r)).repeat(r.int(30)));
      return request(r, family, r.next() < 0.95 ? 'GET' : r.pick(['DELETE', 'POST', 'HEAD']), `/provision/${name}`, [...authz, ua]);
    }
    case 'api-read': {
      const id = () => r.next() < 0.5 ? r.pick([...fx.missedIds, ...fx.teamIds, phone.mac, 'me']) : urlValue(r);
      const path = r.pick(['/api/missed-calls', `/api/missed-calls/${id()}`, '/api/missed-calls/export', '/api/calls', '/api/phones', `/api/phones/${id()}`, `/api/phones/${id()}/config`,
        `/api/phones/${id()}/uploads`, `/api/phones/${id()}/uploads/${urlValue(r)}`, '/api/teams', `/api/teams/${id()}`, `/api/teams/${id()}/notify`, '/api/audit', '/api/audit/export',
        '/api/contacts', `/api/contacts/${id()}`, '/api/dashboard/phones', '/api/dashboard/teams', '/api/dashboard/screen-preview', '/api/dashboard/vendors', '/api/health/phones', '/api/jobs', '/api/live',
        '/api/notify/outbox', '/api/pbx-sources', '/api/provisioning/drift', '/api/provisioning/templates', '/api/reports/summary', '/api/retention', '/api/session', '/api/time',
        '/api/tokens', '/api/users', `/api/users/${id()}`, `/api/${urlValue(r)}`]);
      const keys = ['limit', 'cursor', 'status', 'from', 'to', 'team', 'caller', 'q', 'format', 'period', 'groupBy', 'vendor', 'mac', 'subject', 'actor', 'sort', 'page', 'tz'];
      return request(r, family, r.next() < 0.95 ? 'GET' : 'HEAD', `${path}?${query(r, keys)}`, bearer());
    }
    case 'api-write': {
      const victimOr = (real: string) => (r.next() < 0.5 ? real : urlValue(r));
      const [method, path] = r.pick<[string, string]>([
        ['POST', '/api/teams'], ['POST', '/api/phones'], ['POST', `/api/missed-calls/${r.next() < 0.7 ? r.pick(fx.missedIds) : urlValue(r)}/actions`],
        ['PATCH', `/api/teams/${victimOr(fx.victimTeam)}`], ['PATCH', `/api/phones/${victimOr(fx.victimMac)}`], ['DELETE', `/api/teams/${urlValue(r)}`],
        ['DELETE', `/api/phones/${urlValue(r)}`], ['POST', `/api/phones/${victimOr(fx.victimMac)}/token`], ['PUT', `/api/teams/${victimOr(fx.victimTeam)}/notify`],
        ['DELETE', `/api/teams/${urlValue(r)}/notify`], ['POST', '/api/contacts'], ['PATCH', `/api/contacts/${urlValue(r)}`], ['POST', '/api/contacts/import'],
        ['POST', '/api/phones/import'], ['POST', '/api/privacy/subject-access'], ['POST', '/api/privacy/erase'], ['POST', '/api/session'], ['DELETE', '/api/session'],
        ['POST', '/api/tokens'], ['DELETE', `/api/tokens/${urlValue(r)}`], ['POST', '/api/users'], ['PATCH', `/api/users/${urlValue(r)}`], ['POST', '/api/pbx-sources'],
        ['DELETE', `/api/pbx-sources/${urlValue(r)}`], ['POST', '/api/provisioning/templates/reload'], ['DELETE', `/api/phones/${victimOr(fx.victimMac)}/uploads/${urlValue(r)}`],
        [r.pick(['PUT', 'PATCH', 'DELETE', 'POST', 'OPTIONS']), r.pick(['/api/missed-calls', '/api/calls', '/api/teams', `/api/${urlValue(r)}`])],
      ]);
      const csv = path.endsWith('/import');
      const body = csv ? [`${r.pick(['mac,vendor,extension,label', 'name,number,vip', hostileText(r)])}`, ...Array.from({ length: r.int(6) }, () => [hostileText(r), `"${hostileText(r)}`, '=cmd|x', phone.mac].join(','))].map(utf8).join('\r\n') : json(r);
      const type = csv ? r.pick(['text/csv', 'application/json', 'text/plain']) : r.pick(['application/json', 'application/json', 'application/json; charset=utf-16', 'text/plain', 'application/x-www-form-urlencoded', headerValue(r)]);
      return request(r, family, method, path, [...bearer(), ['Content-Type', type]], body);
    }
    case 'webhook': {
      const or = (valid: unknown) => (r.next() < 0.6 ? valid : hostileText(r));
      const body = r.next() < 0.3 ? json(r) : utf8(JSON.stringify({
        id: r.next() < 0.7 ? `w${r.int(1e9)}` : hostileText(r), caller: or(`+49301${r.int(1e6)}`), callerName: hostileText(r), called: or('+49305550'),
        startedAt: or('2026-11-26T08:59:00Z'), endedAt: or('2026-11-26T08:59:30Z'), rang: r.next() < 0.7 ? ['10', '11'] : [hostileText(r)],
        answeredBy: r.pick([null, null, '11', hostileText(r)]), ...(r.next() < 0.5 ? { direction: or('inbound') } : {}),
      }));
      const ts = String(r.next() < 0.8 ? fx.nowSeconds() : r.pick([0, fx.nowSeconds() - 3600, 99999999999]));
      const sig = `sha256=${createHmac('sha256', fx.webhookSecret).update(`${ts}.${Buffer.from(body, 'latin1').toString('utf8')}`, 'utf8').digest('hex')}`;
      const headers: [string, string][] = [['Content-Type', r.pick(['application/json', 'text/plain', headerValue(r)])], ['X-Ringback-Timestamp', r.next() < 0.9 ? ts : headerValue(r)],
        ['X-Ringback-Signature', r.next() < 0.8 ? sig : headerValue(r)]];
      return request(r, family, r.next() < 0.95 ? 'POST' : 'GET', `/pbx/webhook${r.next() < 0.2 ? `?${query(r, ['x'])}` : ''}`, headers, body);
    }
    case 'health':
      return request(r, family, r.pick(['GET', 'GET', 'HEAD', 'POST']), `${r.pick(['/healthz', '/readyz', '/healthz/', '/READYZ'])}${r.next() < 0.5 ? `?${query(r, ['x', 'verbose'])}` : ''}`);
    case 'dashboard':
      return request(r, family, r.next() < 0.9 ? 'GET' : 'HEAD', r.pick(['/', '/index.html', '/assets/app.css', '/assets/icon.svg', '/assets/js/main.js', '/assets/js/api.js',
        '/assets/vendor/chart.umd.min.js', `/assets/${urlValue(r)}`, `/assets/js/${urlValue(r)}`, '/assets/..%2f..%2fpackage.json', '/assets/%2e%2e/%2e%2e/package.json', `/?${query(r, ['x'])}`]),
      [['Range', r.pick(['bytes=0-10', 'bytes=-1', 'bytes=999999999-', 'bytes=a-b', headerValue(r)])], ['If-Modified-Since', headerValue(r)]]);
    case 'unknown':
      return request(r, family, r.pick(['GET', 'POST', 'OPTIONS', 'TRACE', 'PROPFIND', 'PATCH', 'M-SEARCH', 'BREW']), `/${urlValue(r)}/${urlValue(r)}`);
    default:
      return framing(r);
  }
}

/** HTTP itself broken: the server's parser must refuse it with a 4xx or a close, never fall over. */
function framing(r: Random): HostileRequest {
  const junk = () => Buffer.from(Array.from({ length: r.int(200) }, () => r.int(256))).toString('latin1');
  const text = r.pick([
    () => `GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
    () => `POST /pbx/webhook HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n${junk()}\r\n`,
    () => `GET /${junk().replace(/[\r\n ]/g, '')} HTTP/1.1\r\nHost: x\r\n\r\n`,
    () => `GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: ${junk()}\r\n\r\n`,
    () => `GET /healthz HTTP/1.1\r\nHost: x\r\n${'X-Big: '.concat('a'.repeat(20_000))}\r\n\r\n`,
    () => `GET /healthz HTTP/1.1\r\nHost: x\r\n${Array.from({ length: 3000 }, (_, i) => `X-${i}: y\r\n`).join('')}\r\n`,
    () => `GET /healthz HTTP/1.1\nHost: x\n\n`,
    () => `GET /healthz HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n`,
    () => `GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n`,
    () => `GET /healthz\r\n\r\n`,
    () => 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n',
    () => junk(),
    () => `GET /phone/yealink/event?t=x\u0000y HTTP/1.1\r\nHost: x\r\n\r\n`,
    () => `POST /api/teams HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n`,
    () => `POST /api/teams HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab`,
    () => `GET /healthz HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n`,
    () => `GET /healthz HTTP/1.1\r\n${junk().replace(/[\r\n:]/g, '')}: y\r\n\r\n`,
    () => `GET http://evil.example/healthz HTTP/1.1\r\nHost: x\r\n\r\n`,
    () => `GET /healthz HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\nabc`,
    () => `POST /provision/x.cfg HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc`,
  ])();
  return { family: 'framing', bytes: Buffer.from(text, 'latin1'), fresh: true };
}
