/**
 * @module The HTTP server with limits, so stalled or idle clients cannot pile up: a client gets
 * `headersTimeoutMs` to send its headers and `requestTimeoutMs` for the whole request (408, then
 * closed), an idle keep-alive connection is closed after `keepAliveTimeoutMs`, and connections
 * beyond `maxConnections` are refused at once. Node's defaults (60 s headers, 300 s request, no
 * cap, timeouts checked only every 30 s) let a few hundred slow sockets hold the server.
 */
import { createServer, type RequestListener, type Server } from 'node:http';

export interface ServerLimits {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxConnections: number;
}

/** Phones send a request of well under 1 KB and then wait; nothing we serve needs a slow upload. */
export const DEFAULT_SERVER_LIMITS: ServerLimits = { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5_000, maxConnections: 1024 };

export function createLimitedServer(handler: RequestListener, limits: ServerLimits): Server {
  const server = createServer({
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    // How often Node looks for timed-out requests: a tenth of the shortest timeout, between 50 ms and 1 s.
    connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(limits.headersTimeoutMs / 10))),
  }, handler);
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxConnections = limits.maxConnections;
  return server;
}
