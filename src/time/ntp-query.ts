/** @module Asks one NTP server through ntp-time-sync 0.5.0, with the library's known traps defused. */

import { lookup } from 'node:dns/promises';
import { NtpTimeSync } from 'ntp-time-sync';
import type { ServerAnswer } from './types.ts';

export interface ServerAddress {
  host: string;
  port: number;
}

export interface QueryOptions {
  sampleCount: number;
  /** Per request; the library tries three rounds before it gives up on a silent server. */
  replyTimeoutMs: number;
  /** Set at the caller's deadline: the answer then settles at once with the samples taken so far. */
  signal: AbortSignal;
}

/**
 * `host` or `host:port` → address; throws on anything else. IPv6 is refused on purpose: the library
 * splits on `:` and opens a udp4 socket, so an IPv6 server could never work.
 */
export function parseServer(server: string): ServerAddress {
  const match = /^([^:\s[\]]+)(?::(\d{1,5}))?$/.exec(server.trim());
  const port = match?.[2] === undefined ? 123 : Number(match[2]);
  if (!match?.[1] || port < 1 || port > 65_535) {
    throw new Error(`[ringback] [time] NTP server "${server}" is not host[:port] (IPv4 address or name)`);
  }
  return { host: match[1], port };
}

/** One server's answer: the median of up to `sampleCount` offsets. Never rejects. */
export async function queryServer(server: string, address: ServerAddress, opts: QueryOptions): Promise<ServerAnswer> {
  try {
    // Resolve first and hand the library an IP: it stamps the request before its own DNS lookup,
    // so a slow resolver would land in the measured offset.
    const resolved = await untilAborted(lookup(address.host, { family: 4 }), opts.signal);
    if (!resolved) return failed(server, 'no answer before the deadline (name lookup)');
    const ip = resolved.address;
    // A fresh instance per server and check. The library's cache (lastPoll/lastResult) is module-global
    // and shared by all instances; getTime(true) never reads it, so parallel instances don't see each
    // other's results. (Anything else in the process calling getTime() without `true` would.)
    const sync = new NtpTimeSync({ servers: [`${ip}:${address.port}`], sampleCount: 1, replyTimeout: opts.replyTimeoutMs });
    const offsets: number[] = [];
    let failure: unknown = null;
    // One sample per getTime call: with sampleCount 1 the library's retry loop always ends (its infinite
    // loop needs 0 < answers < sampleCount). We take the samples ourselves and stop at the first failure,
    // since a server that went silent mid-check will not come back within it.
    // At the deadline an unfinished getTime is abandoned: it ends by itself within three reply timeouts.
    while (offsets.length < opts.sampleCount && !opts.signal.aborted) {
      try {
        const result = await untilAborted(sync.getTime(true), opts.signal);
        if (result) offsets.push(result.offset);
      } catch (error) {
        failure = error;
        break;
      }
    }
    const offsetMs = median(offsets);
    if (offsetMs === null) return failed(server, failure ?? 'no answer before the deadline');
    return { server, ok: true, offsetMs: Math.round(offsetMs), error: null };
  } catch (error) {
    return failed(server, error);
  }
}

/** Median (mean of the middle two for an even count); null for no values. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

// --- Internal helpers ---

/** `work`'s value, or null as soon as `signal` aborts (rejections of `work` pass through). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T | null> {
  if (signal.aborted) return Promise.resolve(null);
  return new Promise<T | null>((resolve, reject) => {
    const onAbort = (): void => resolve(null);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function failed(server: string, error: unknown): ServerAnswer {
  return { server, ok: false, offsetMs: null, error: error instanceof Error ? error.message : String(error) };
}
