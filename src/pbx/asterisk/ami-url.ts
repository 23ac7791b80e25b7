/** @module `RINGBACK_AMI_URL=ami://user:secret@host:port` → connection options (DESIGN §6). */

export interface AmiConnection {
  host: string;
  port: number;
  username: string;
  /** Never logged, never put in an error message. */
  secret: string;
}

/** Asterisk's manager.conf default `port = 5038`. */
export const DEFAULT_AMI_PORT = 5038;

/**
 * Parse `ami://user:secret@host[:port]`. User and secret are percent-decoded, so a secret with
 * `@`, `:` or `/` is written `%40`, `%3A`, `%2F`. Throws on a malformed URL; the message names what
 * is wrong and never repeats the URL, because the URL carries the secret.
 */
export function parseAmiUrl(input: string): AmiConnection {
  const fail = (what: string): never => {
    throw new Error(`[ringback] [ami] invalid AMI URL: ${what} (expected ami://user:secret@host:port)`);
  };
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return fail('not a URL');
  }
  if (url.protocol !== 'ami:') fail('scheme must be ami://');
  if (url.pathname !== '' && url.pathname !== '/') fail('no path allowed');
  if (url.search !== '' || url.hash !== '') fail('no query or fragment allowed');
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') fail('host missing');
  const username = decode(url.username, fail);
  const secret = decode(url.password, fail);
  if (username === '') fail('user missing');
  if (secret === '') fail('secret missing');
  // Line breaks would end the Login action early and inject headers (see formatAction).
  if (/[\u0000-\u001f\u007f]/.test(username + secret)) fail('control characters in user or secret');
  const port = url.port === '' ? DEFAULT_AMI_PORT : Number(url.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) fail('port out of range');
  return { host, port, username, secret };
}

/** `ami://user@host:port`: how to name the connection in logs and status, without the secret. */
export function describeAmiConnection(c: Pick<AmiConnection, 'host' | 'port' | 'username'>): string {
  const host = c.host.includes(':') ? `[${c.host}]` : c.host;
  return `ami://${encodeURIComponent(c.username)}@${host}:${c.port}`;
}

// --- Internal helpers ---

function decode(s: string, fail: (what: string) => never): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return fail('bad percent-encoding in user or secret');
  }
}
