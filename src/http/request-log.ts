/** @module One log line per request: method, route, status, time. Never the query (it holds phone tokens). */
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';

export function requestLog(log: Logger): RequestHandler {
  return function requestLog(req, res, next) {
    const start = process.hrtime.bigint();
    // The path from originalUrl: at 'finish', a mounted router (`/phone`, `/api`) may have left req.url without its mount.
    res.on('finish', () => logRequest(log, req.method, pathOf(req.originalUrl), res.statusCode, start));
    next();
  };
}

/** The path of a request target, without the query (which may hold a token). */
export function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

/** The line of one finished request (also written by the phones' front route, which has no Express). */
export function logRequest(log: Logger, method: string | undefined, path: string, status: number, start: bigint): void {
  const level = status >= 500 ? 'error' : status >= 400 ? 'info' : 'debug';
  if (!log.isLevelEnabled(level)) return;
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  log[level]({ method, path: path.slice(0, 200), status, ms: Math.round(ms * 10) / 10 }, 'http');
}
