/** @module The base URL phones and admins reach us at. */
import type { Request } from 'express';

const HOST = /^[a-z0-9.\-]+(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/i;

/** A DNS name has at most 253 characters; with `:port`, 259. */
const HOST_MAX = 259;

/** The configured public URL, else the one this request used (a hostile Host header falls back to localhost). */
export function publicBase(req: Request, configured: string | null): string {
  return publicBaseOf(req.protocol, req.get('host'), configured);
}

/** As publicBase, from the request's protocol and Host header (a front route has no Express request). */
export function publicBaseOf(protocol: string, hostHeader: string | undefined, configured: string | null): string {
  if (configured !== null) return configured;
  const host = hostHeader ?? '';
  return `${protocol}://${host.length <= HOST_MAX && HOST.test(host) ? host : 'localhost'}`;
}
