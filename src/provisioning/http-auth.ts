/**
 * @module HTTP Basic and Digest credentials for provisioning (desk phones speak one or the other:
 * FusionPBX challenges with Digest and optionally Basic [FPBX-PROV-IDX]). Digest is RFC 7616 with
 * MD5 and `qop=auth` (what phones implement), plus the RFC 2069 form without `qop` that old
 * firmware sends. Nonces are stateless (time + HMAC), expire, and come back `stale=true` when old
 * so the phone retries without prompting; a `qop=auth` request is accepted once per nonce, nc and
 * cnonce. Every comparison is constant-time.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface Credentials {
  user: string;
  password: string;
}

export interface HttpAuthOptions {
  credentials: Credentials;
  realm?: string;
  /** Nonce lifetime; a phone fetches its files within seconds of a challenge. */
  nonceTtlMs?: number;
  now?: () => number;
  /** HMAC key for nonces; a fresh one per process is fine (old nonces come back stale). */
  secret?: Buffer;
}

export type AuthCheck = { ok: true } | { ok: false; reason: 'missing' | 'malformed' | 'wrong' | 'stale' | 'replay' };

export interface HttpAuth {
  /** Check an Authorization header for a request (`uri` as sent on the request line). */
  check(method: string, uri: string, header: string | undefined): AuthCheck;
  /** `WWW-Authenticate` values: Digest first (preferred), then Basic. */
  challenges(stale?: boolean): string[];
}

const REPLAY_MAX = 50_000;

export function createHttpAuth(opts: HttpAuthOptions): HttpAuth {
  const realm = opts.realm ?? 'ringback';
  const ttl = opts.nonceTtlMs ?? 300_000;
  const now = opts.now ?? Date.now;
  const secret = opts.secret ?? randomBytes(32);
  const { user, password } = opts.credentials;
  const ha1 = md5(`${user}:${realm}:${password}`);
  const basicExpected = sha256(`${user}:${password}`);
  const seen = new Map<string, number>();
  const opaque = createHmac('sha256', secret).update('opaque').digest('base64url').slice(0, 22);

  function nonce(): string {
    const ts = now().toString(36);
    return `${ts}.${sign(ts)}`;
  }

  function sign(ts: string): string {
    return createHmac('sha256', secret).update(ts).digest('base64url').slice(0, 32);
  }

  /** 'ok', 'stale' (ours but expired) or 'bad' (not ours). */
  function nonceState(value: string): 'ok' | 'stale' | 'bad' {
    const m = /^([0-9a-z]{1,12})\.([\w-]{32})$/.exec(value);
    if (m?.[1] === undefined || m[2] === undefined || !same(m[2], sign(m[1]))) return 'bad';
    const age = now() - parseInt(m[1], 36);
    return age >= 0 && age <= ttl ? 'ok' : 'stale';
  }

  function remember(key: string): boolean {
    const t = now();
    if (seen.has(key)) return false;
    if (seen.size >= REPLAY_MAX) {
      for (const [k, at] of seen) if (t - at > ttl || seen.size >= REPLAY_MAX) seen.delete(k);
    }
    seen.set(key, t);
    return true;
  }

  function digest(method: string, uri: string, params: Map<string, string>): AuthCheck {
    const get = (k: string) => params.get(k) ?? '';
    const algorithm = get('algorithm');
    if (algorithm !== '' && algorithm.toUpperCase() !== 'MD5') return { ok: false, reason: 'malformed' };
    if (get('realm') !== realm || get('response') === '' || get('nonce') === '') return { ok: false, reason: 'malformed' };
    // The digest covers the uri the client names; it must be the one it asked for.
    if (get('uri') !== uri) return { ok: false, reason: 'malformed' };
    const ha2 = md5(`${method}:${get('uri')}`);
    const qop = get('qop');
    let expected: string;
    if (qop === '') expected = md5(`${ha1}:${get('nonce')}:${ha2}`);
    else if (qop === 'auth' && /^[0-9a-fA-F]{8}$/.test(get('nc')) && get('cnonce') !== '') {
      expected = md5(`${ha1}:${get('nonce')}:${get('nc')}:${get('cnonce')}:auth:${ha2}`);
    } else return { ok: false, reason: 'malformed' };
    const userOk = same(get('username'), user);
    const responseOk = same(get('response').toLowerCase(), expected);
    if (!userOk || !responseOk) return { ok: false, reason: 'wrong' };
    const state = nonceState(get('nonce'));
    if (state === 'bad') return { ok: false, reason: 'wrong' };
    if (state === 'stale') return { ok: false, reason: 'stale' };
    if (qop === 'auth' && !remember(`${get('nonce')}|${get('nc').toLowerCase()}|${get('cnonce')}`)) return { ok: false, reason: 'replay' };
    return { ok: true };
  }

  return {
    check(method, uri, header) {
      if (header === undefined || header.trim() === '') return { ok: false, reason: 'missing' };
      const m = /^\s*(Basic|Digest)\s+(.*)$/is.exec(header.slice(0, 4096));
      if (m?.[1] === undefined || m[2] === undefined) return { ok: false, reason: 'malformed' };
      if (m[1].toLowerCase() === 'basic') {
        const decoded = Buffer.from(m[2].trim(), 'base64').toString('utf8');
        return timingSafeEqual(sha256(decoded), basicExpected) ? { ok: true } : { ok: false, reason: 'wrong' };
      }
      const params = parseParams(m[2]);
      return params === null ? { ok: false, reason: 'malformed' } : digest(method, uri, params);
    },
    challenges(stale = false) {
      return [
        `Digest realm="${realm}", qop="auth", algorithm=MD5, nonce="${nonce()}", opaque="${opaque}"${stale ? ', stale=true' : ''}`,
        `Basic realm="${realm}", charset="UTF-8"`,
      ];
    },
  };
}

/** `k=v, k2="quoted, \"x\""` → map (keys lower-case); null when it does not parse. */
export function parseParams(s: string): Map<string, string> | null {
  const out = new Map<string, string>();
  const re = /\s*([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,"]*))\s*(,|$)/y;
  let at = 0;
  while (at < s.length) {
    re.lastIndex = at;
    const m = re.exec(s);
    if (m === null || m[1] === undefined) return s.slice(at).trim() === '' ? out : null;
    out.set(m[1].toLowerCase(), m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? ''));
    at = re.lastIndex;
    if (m[4] === '') break;
  }
  return out;
}

// --- Internal helpers ---

function md5(s: string): string {
  return createHash('md5').update(s).digest('hex');
}

function sha256(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

/** Constant-time equality of two strings of any length (hashing first evens the lengths). */
function same(a: string, b: string): boolean {
  return timingSafeEqual(sha256(a), sha256(b));
}
