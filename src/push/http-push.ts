/**
 * @module One push to one phone over HTTP (node:http, no pooling): answers a 401 challenge with
 * Digest (RFC 7616 MD5, `qop=auth` or the old form; what Poly and Cisco MPP ask for) or Basic, never
 * sends the secret before the phone asks, and gives up at a deadline however far it got.
 */
import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { parseParams } from '../provisioning/http-auth.ts';

export interface PushAddress {
  host: string;
  port: number;
}

export interface PushSend {
  address: PushAddress;
  path: string;
  contentType: string;
  body: string;
  /** null = the phone has no push secret: a challenge is then a refusal. */
  credentials: { user: string; password: string } | null;
  /** Absolute deadline (ms since epoch, `Date.now()` clock). */
  deadline: number;
}

export type PushOutcome =
  | { ok: true; status: number }
  | { ok: false; kind: 'unreachable' | 'rejected' | 'error'; message: string };

/** `host[:port]`, `[v6]:port` or a bare address as lastSeen records it (`::ffff:10.0.0.5` → IPv4). */
export function parseAddress(value: string): PushAddress | null {
  const s = value.trim().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
  let m = /^\[([0-9a-fA-F:.]+)\](?::(\d{1,5}))?$/.exec(s);
  if (m?.[1] !== undefined) return withPort(m[1], m[2]);
  if (/^[0-9a-fA-F:]+$/.test(s) && s.includes(':') && s.split(':').length > 2) return { host: s, port: 80 };
  m = /^([A-Za-z0-9.-]{1,253})(?::(\d{1,5}))?$/.exec(s);
  return m?.[1] === undefined ? null : withPort(m[1], m[2]);
}

export async function sendPush(p: PushSend): Promise<PushOutcome> {
  const first = await exchange(p, undefined);
  if (!first.ok || first.status !== 401) return classify(first);
  if (p.credentials === null) return { ok: false, kind: 'rejected', message: 'the phone asks for credentials and it has no push secret' };
  const auth = answer(first.challenges, p);
  if (auth === null) return { ok: false, kind: 'rejected', message: 'the phone asks for an authentication scheme we do not speak' };
  const second = await exchange(p, auth);
  if (second.ok && second.status === 401) return { ok: false, kind: 'rejected', message: 'the phone refused our push credentials (HTTP 401)' };
  return classify(second);
}

// --- Internal helpers ---

type Exchange = { ok: true; status: number; challenges: string[] } | { ok: false; message: string };

function withPort(host: string, port: string | undefined): PushAddress | null {
  const n = port === undefined ? 80 : Number(port);
  return n >= 1 && n <= 65535 ? { host, port: n } : null;
}

function classify(r: Exchange): PushOutcome {
  if (!r.ok) return { ok: false, kind: 'unreachable', message: r.message };
  if (r.status >= 200 && r.status < 300) return { ok: true, status: r.status };
  if (r.status === 403) return { ok: false, kind: 'rejected', message: 'the phone refused the push (HTTP 403): is our address its push server?' };
  return { ok: false, kind: 'error', message: `the phone answered HTTP ${r.status}` };
}

function exchange(p: PushSend, authorization: string | undefined): Promise<Exchange> {
  const left = p.deadline - Date.now();
  if (left <= 0) return Promise.resolve({ ok: false, message: 'timed out' });
  return new Promise((resolve) => {
    let done = false;
    const finish = (r: Exchange) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(r);
    };
    const body = Buffer.from(p.body, 'utf8');
    const req = request({
      host: p.address.host, port: p.address.port, path: p.path, method: 'POST', agent: false,
      headers: {
        'Content-Type': p.contentType, 'Content-Length': String(body.length), Connection: 'close', 'User-Agent': 'Ringback',
        ...(authorization === undefined ? {} : { Authorization: authorization }),
      },
    }, (res) => {
      const raw = res.headers['www-authenticate'];
      const challenges = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
      let size = 0;
      // The answer's body means nothing to us; read a little of it so the socket can close cleanly.
      res.on('data', (chunk: Buffer) => { size += chunk.length; if (size > 65_536) res.destroy(); });
      res.on('end', () => finish({ ok: true, status: res.statusCode ?? 0, challenges }));
      res.on('error', () => finish({ ok: true, status: res.statusCode ?? 0, challenges }));
      res.on('close', () => finish({ ok: true, status: res.statusCode ?? 0, challenges }));
    });
    const timer = setTimeout(() => { req.destroy(); finish({ ok: false, message: 'timed out' }); }, left);
    req.on('error', (e: NodeJS.ErrnoException) => finish({ ok: false, message: e.code === 'ECONNREFUSED' ? 'connection refused' : `network error (${e.code ?? 'unknown'})` }));
    req.end(body);
  });
}

/** An Authorization header for the first challenge we can answer: Digest preferred. */
function answer(challenges: readonly string[], p: PushSend): string | null {
  const creds = p.credentials;
  if (creds === null) return null;
  // One header may hold several challenges; a Digest one is recognised by its scheme word.
  const all = challenges.flatMap((c) => c.split(/,\s*(?=(?:Digest|Basic)\s)/i));
  const digest = all.find((c) => /^\s*Digest\s/i.test(c));
  if (digest !== undefined) {
    const params = parseParams(digest.replace(/^\s*Digest\s+/i, ''));
    if (params === null) return null;
    const realm = params.get('realm') ?? '';
    const nonce = params.get('nonce') ?? '';
    const algorithm = params.get('algorithm') ?? 'MD5';
    if (nonce === '' || algorithm.toUpperCase() !== 'MD5') return null;
    const qops = (params.get('qop') ?? '').split(',').map((q) => q.trim().toLowerCase());
    const ha1 = md5(`${creds.user}:${realm}:${creds.password}`);
    const ha2 = md5(`POST:${p.path}`);
    const parts = [`username="${quote(creds.user)}"`, `realm="${quote(realm)}"`, `nonce="${quote(nonce)}"`, `uri="${quote(p.path)}"`, 'algorithm=MD5'];
    if (qops.includes('auth')) {
      const cnonce = randomBytes(8).toString('hex');
      const nc = '00000001';
      parts.push('qop=auth', `nc=${nc}`, `cnonce="${cnonce}"`, `response="${md5(`${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`)}"`);
    } else {
      parts.push(`response="${md5(`${ha1}:${nonce}:${ha2}`)}"`);
    }
    const opaque = params.get('opaque');
    if (opaque !== undefined) parts.push(`opaque="${quote(opaque)}"`);
    return `Digest ${parts.join(', ')}`;
  }
  if (all.some((c) => /^\s*Basic(\s|$)/i.test(c))) return `Basic ${Buffer.from(`${creds.user}:${creds.password}`).toString('base64')}`;
  return null;
}

function md5(s: string): string {
  return createHash('md5').update(s).digest('hex');
}

function quote(s: string): string {
  return s.replace(/["\\]/g, '\\$&');
}
