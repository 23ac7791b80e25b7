/** The request shapes `bench:scale` sends (the same URLs phones and the dashboard use) and one autocannon run. */
import autocannon from 'autocannon';
import { BENCH_TOKEN } from './seed.ts';
import { SCALE_ADMIN } from './scale-server.ts';

export interface Shape { path: () => string; headers?: Record<string, string> }
export interface Load { rps: number; p99: number; errors: number; non2xx: number; requests: number }

let caller = 0;
const auth = { authorization: `Bearer ${SCALE_ADMIN}` };

/** A Yealink action URL for a missed call of a caller never seen before (ingest: every `200` is durable). */
export const phoneEvent: Shape = {
  path: () => { caller += 1; return `/phone/yealink/event?t=${BENCH_TOKEN}&e=missed&local=11&remote=sip:+4931${String(1_000_000 + caller)}@pbx&name=&cid=s${caller}`; },
};

export const listScreen: Shape = { path: () => `/phone/yealink/missed?t=${BENCH_TOKEN}` };

/** API pages the dashboard asks for: the open list, and the first page of one day of the seeded window. */
export function apiPages(from: string, to: string): Shape {
  const span = Date.parse(to) - Date.parse(from);
  let n = 0;
  return {
    headers: auth,
    path: () => {
      n += 1;
      if (n % 2 === 0) return '/api/missed-calls?status=open&limit=50';
      const day = new Date(Date.parse(from) + ((n * 7919) % 30) * (span / 30)).toISOString().slice(0, 10);
      const next = new Date(Date.parse(day) + 86_400_000).toISOString().slice(0, 10);
      return `/api/missed-calls?from=${day}&to=${next}&limit=50`;
    },
  };
}

export const bare: Shape = { path: () => '/bare' };

export async function load(port: number, shape: Shape, connections: number, seconds: number): Promise<Load> {
  const r = await autocannon({
    url: `http://127.0.0.1:${port}`, connections, duration: seconds, timeout: 60,
    requests: [{ method: 'GET', ...(shape.headers === undefined ? {} : { headers: shape.headers }), setupRequest: (req) => ({ ...req, path: shape.path() }) }],
  });
  return { rps: r.requests.average, p99: r.latency.p99, errors: r.errors, non2xx: r.non2xx, requests: r.requests.total };
}

/** One GET read to its end: how long it took and how many bytes came. */
export async function timed(port: number, path: string): Promise<{ ms: number; status: number; bytes: number }> {
  const began = performance.now();
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { headers: auth });
  let bytes = 0;
  if (res.body !== null) for await (const chunk of res.body) bytes += (chunk as Uint8Array).byteLength;
  return { ms: performance.now() - began, status: res.status, bytes };
}
