/** @module The dashboard's session cookie: HttpOnly, SameSite=Strict, Secure wherever the browser can keep it. */
import type { Request, Response } from 'express';

/**
 * `always`: every cookie is Secure (the site is served over HTTPS, maybe behind a proxy).
 * `never`: none is (plain HTTP on a LAN; the cookie is then as exposed as the network).
 * `auto`: Secure when this request came over HTTPS or the public URL is https://.
 */
export type CookieSecurity = 'auto' | 'always' | 'never';

/** With Secure the `__Host-` prefix also pins the cookie to this host and path `/`. */
const SECURE_NAME = '__Host-ringback_session';
const PLAIN_NAME = 'ringback_session';

export interface CookieOptions {
  security: CookieSecurity;
  publicUrl: string | null;
}

export function isSecure(req: Request, opts: CookieOptions): boolean {
  if (opts.security !== 'auto') return opts.security === 'always';
  return req.secure || (opts.publicUrl?.startsWith('https://') ?? false);
}

/** The session cookie's value from the request, whichever of the two names it has. */
export function sessionCookie(req: Request): string | null {
  const header = req.get('cookie');
  if (header === undefined) return null;
  let plain: string | null = null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (name === SECURE_NAME) return value;
    if (name === PLAIN_NAME) plain = value;
  }
  return plain;
}

/** `maxAgeSeconds` rather than an expiry date: the browser's clock is not ours. */
export function setSessionCookie(req: Request, res: Response, value: string, maxAgeSeconds: number, opts: CookieOptions): void {
  const secure = isSecure(req, opts);
  const maxAge = Math.max(0, Math.floor(maxAgeSeconds));
  res.append('Set-Cookie', `${secure ? SECURE_NAME : PLAIN_NAME}=${value}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`);
}

export function clearSessionCookie(req: Request, res: Response, opts: CookieOptions): void {
  const secure = isSecure(req, opts);
  res.append('Set-Cookie', `${secure ? SECURE_NAME : PLAIN_NAME}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`);
}

/** `RINGBACK_COOKIE_SECURE`: auto, always (also true) or never (also false). */
export function parseCookieSecurity(value: string): CookieSecurity {
  const v = value.toLowerCase();
  if (v === 'auto') return 'auto';
  if (v === 'always' || v === 'true') return 'always';
  if (v === 'never' || v === 'false') return 'never';
  throw new Error(`expected auto, always or never, got "${value}"`);
}
