/**
 * Test support for the front routes (src/http/phone/*-front.ts): the same request as a phone sends
 * it, what a phone sees of the answer, and a count of the requests that reached Express.
 */
import assert from 'node:assert/strict';
import type { Express } from 'express';
import type { AddressInfo } from 'node:net';
import { RawHttpClient, type RawResponse } from './raw-http.ts';

export interface PhoneLine {
  /** A GET as a Yealink phone sends it, exact bytes, over one kept-alive connection. */
  get(target: string, headers?: string): Promise<RawResponse>;
  close(): Promise<void>;
}

/** Serves `app` on a loopback port (front routes and all, as in production) and connects to it. */
export async function phoneLine(app: Express): Promise<PhoneLine> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const client = new RawHttpClient((server.address() as AddressInfo).port);
  return {
    get: (target, headers = '') => phoneGet(client, target, headers),
    async close() {
      client.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function phoneGet(client: RawHttpClient, target: string, headers: string): Promise<RawResponse> {
  const r = await client.send(Buffer.from(`GET ${target} HTTP/1.1\r\nHost: ringback:8080\r\nUser-Agent: Yealink SIP-T46U 108.86.0.20\r\n${headers}\r\n`, 'latin1'));
  assert.ok(r.ok, `${target}: ${r.ok ? '' : r.reason}`);
  return r.response;
}

/** Status, headers (without the clock's `date`) and body: what a phone sees of an answer. */
export function seenByPhone(r: RawResponse): { status: number; headers: Record<string, string>; body: string } {
  const { date: _date, ...headers } = r.headers;
  return { status: r.status, headers, body: r.body.toString('utf8') };
}

/** Counts the requests that reach an app's Express stack, which a front route keeps from it. */
export function countExpress(app: Express): () => number {
  // Express 5's app.handle hands every request it gets to app.router; a front route answers before it.
  const router = (app as unknown as { router: { handle: (...args: unknown[]) => void } }).router;
  const handle = router.handle.bind(router);
  let n = 0;
  router.handle = (...args) => { n += 1; handle(...args); };
  return () => n;
}
