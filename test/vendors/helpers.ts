/** Test helpers: requests the way the HTTP layer hands them to a vendor adapter. */
import { readFileSync } from 'node:fs';
import type { EventKind } from '../../src/domain/types.ts';
import type { InboundRequest } from '../../src/vendors/types.ts';

/** A fixture: a request as a phone sends it and the event kinds it must parse to. */
export interface EventFixture {
  name: string;
  request: InboundRequest;
  kinds: EventKind[];
}

/**
 * The `InboundRequest` for a request target (`/path?a=b&…`), decoded as the contract says:
 * percent-decoding, a literal `+` kept as `+`, the first of repeated keys wins.
 */
export function getRequest(target: string, headers: Record<string, string> = {}): InboundRequest {
  const q = target.indexOf('?');
  const query: Record<string, string> = {};
  if (q >= 0) {
    for (const pair of target.slice(q + 1).split('&')) {
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      const key = decode(eq < 0 ? pair : pair.slice(0, eq));
      const value = eq < 0 ? '' : decode(pair.slice(eq + 1));
      if (!Object.hasOwn(query, key)) query[key] = value;
    }
  }
  return { method: 'GET', query, body: '', headers };
}

export function postRequest(body: string, headers: Record<string, string> = { 'content-type': 'text/xml' }): InboundRequest {
  return { method: 'POST', query: {}, body, headers };
}

/**
 * Fixtures from a text file of `<kinds>\t<request target>` lines (`#` comments, blank lines
 * ignored); `<kinds>` is a comma list, or `-` for "parses to nothing", or `!` for "must fail".
 */
export function queryFixtures(path: string): { ok: EventFixture[]; failing: EventFixture[] } {
  const ok: EventFixture[] = [];
  const failing: EventFixture[] = [];
  let comment = '';
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.startsWith('#')) {
      comment = line.slice(1).trim();
      continue;
    }
    if (line.trim() === '') continue;
    const [kinds = '', target = ''] = line.split('\t');
    const name = comment || target;
    if (kinds === '!') failing.push({ name, request: getRequest(target), kinds: [] });
    else ok.push({ name, request: getRequest(target), kinds: kinds === '-' ? [] : (kinds.split(',') as EventKind[]) });
    comment = '';
  }
  return { ok, failing };
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
