/** Test support for provisioning: the real app with provisioning on, and a phone's HTTP client (Basic or Digest). */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import type { Provisioning } from '../../src/provisioning/service.ts';
import { startTestApp, type TestApp } from '../support/app.ts';

export const PROV_USER = 'provisioner';
export const PROV_PASSWORD = 'Prov.secret-0123456789';
/** The Host phones use: files name it in every URL, so it is fixed for byte-stable output. */
export const HOST = 'ringback.test:8080';
export const BASE = `http://${HOST}`;

export interface ProvisioningTestApp extends TestApp {
  provisioning: Provisioning;
}

export interface ProvisioningAppOptions {
  /** The site folder (`RINGBACK_PROVISION_DIR`: its `templates/` layer on top of the shipped ones). */
  siteDir?: string;
  allow?: string[];
  sipServer?: string | null;
  ntpServers?: string[];
}

/** The real app over a real store, provisioning on with the shipped templates (as RINGBACK_PROVISION_* turn it on). */
export async function startProvisioningApp(opts: ProvisioningAppOptions = {}): Promise<ProvisioningTestApp> {
  const t = await startTestApp({
    env: {
      RINGBACK_PROVISION_USER: PROV_USER, RINGBACK_PROVISION_PASSWORD: PROV_PASSWORD,
      RINGBACK_NTP_SERVERS: (opts.ntpServers ?? ['ntp1.example.net', 'ntp2.example.net']).join(','),
      RINGBACK_PROVISION_SIP_SERVER: opts.sipServer === undefined ? 'pbx.example.com' : (opts.sipServer ?? ''),
      ...(opts.allow === undefined ? {} : { RINGBACK_PROVISION_ALLOW: opts.allow.join(',') }),
      ...(opts.siteDir === undefined ? {} : { RINGBACK_PROVISION_DIR: opts.siteDir }),
    },
  });
  const service = t.services.provisioning;
  assert.ok(service !== null);
  return Object.assign(t, { provisioning: service });
}

export interface FetchResult {
  status: number;
  text: string;
  contentType: string;
  headers: Record<string, string | string[] | undefined>;
}

/** How a phone talks to its provisioning server: a first request without credentials, then the scheme the 401 offers. */
export class PhoneClient {
  readonly app: App;
  readonly userAgent: string;
  readonly scheme: 'digest' | 'basic';
  readonly user: string;
  readonly password: string;
  #nc = 0;

  constructor(app: App, opts: { userAgent: string; scheme?: 'digest' | 'basic'; user?: string; password?: string }) {
    this.app = app;
    this.userAgent = opts.userAgent;
    this.scheme = opts.scheme ?? 'digest';
    this.user = opts.user ?? PROV_USER;
    this.password = opts.password ?? PROV_PASSWORD;
  }

  async get(path: string): Promise<FetchResult> {
    return this.send('GET', path);
  }

  async put(path: string, body: string | Buffer): Promise<FetchResult> {
    return this.send('PUT', path, body);
  }

  async send(method: 'GET' | 'PUT', path: string, body?: string | Buffer): Promise<FetchResult> {
    const first = await this.#raw(method, path, undefined, body);
    if (first.status !== 401) return first;
    const header = first.headers['www-authenticate'];
    // Node joins repeated WWW-Authenticate headers with ", ": split them at each scheme again.
    const challenges = (Array.isArray(header) ? header : header === undefined ? [] : [header]).flatMap((h) => h.split(/,\s*(?=(?:Basic|Digest)\s)/));
    return this.#raw(method, path, this.authorization(method, path, challenges), body);
  }

  /** The Authorization header this phone would answer `challenges` with. */
  authorization(method: string, path: string, challenges: string[]): string {
    if (this.scheme === 'basic') {
      assert.ok(challenges.some((c) => c.startsWith('Basic ')), 'the server offers Basic');
      return `Basic ${Buffer.from(`${this.user}:${this.password}`).toString('base64')}`;
    }
    const digest = challenges.find((c) => c.startsWith('Digest '));
    assert.ok(digest !== undefined, 'the server offers Digest');
    const p = Object.fromEntries([...digest.matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)].map((m) => [m[1], m[2] ?? m[3] ?? '']));
    this.#nc += 1;
    const nc = this.#nc.toString(16).padStart(8, '0');
    const cnonce = randomBytes(8).toString('hex');
    const md5 = (s: string) => createHash('md5').update(s).digest('hex');
    const ha1 = md5(`${this.user}:${p['realm']}:${this.password}`);
    const ha2 = md5(`${method}:${path}`);
    const response = md5(`${ha1}:${p['nonce']}:${nc}:${cnonce}:auth:${ha2}`);
    return `Digest username="${this.user}", realm="${p['realm']}", nonce="${p['nonce']}", uri="${path}", qop=auth, nc=${nc}, cnonce="${cnonce}", response="${response}", opaque="${p['opaque']}", algorithm=MD5`;
  }

  async #raw(method: 'GET' | 'PUT', path: string, authorization: string | undefined, body?: string | Buffer): Promise<FetchResult> {
    let req = method === 'GET' ? request(this.app).get(path) : request(this.app).put(path);
    req = req.set('User-Agent', this.userAgent).set('Host', HOST).buffer(true).parse((res, done) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { text += chunk; });
      res.on('end', () => done(null, text));
    });
    if (authorization !== undefined) req = req.set('Authorization', authorization);
    if (body !== undefined) req = req.set('Content-Type', 'application/octet-stream').send(body);
    const r = await req;
    return { status: r.status, text: typeof r.body === 'string' ? r.body : '', contentType: String(r.headers['content-type'] ?? ''), headers: r.headers as Record<string, string | string[] | undefined> };
  }
}
