/**
 * @module The front route: phones' action URLs (`GET /phone/<vendor>/event?…`) answered before the
 * Express stack. A desk phone sends one per call state, so they are most of the requests a server
 * gets; Express's per-request work (prototype swaps, the router's layers, the middleware in front
 * of `/phone`) cost more than the event itself (issue 12 item 3). The answers are Express's: the
 * same checks (`acceptEvents`), an empty 200 once the events are durable, the phones' plain-text
 * error answer, the same request log line. Anything the front route does not take whole (another
 * method or spelling of the path, a request the checks refuse) goes to Express as before, which
 * gives the answer it always gave.
 */
import type { Logger } from 'pino';
import { clientIp } from '../client-ip.ts';
import { logRequest } from '../request-log.ts';
import { resolveKnownPhone } from './context.ts';
import { acceptEvents, type AcceptedEvents, type EventRequest, type PhoneEventDeps } from './events.ts';
import { failureAnswer, type FrontRoute } from './front-route.ts';

/** The event URL as we write it into phones: lower-case vendor, no trailing slash. */
const EVENT_PATH = /^\/phone\/([a-z]+)\/event(?=\?|$)/;

export function eventFrontRoute(deps: PhoneEventDeps & { log: Logger }): FrontRoute {
  const failed = failureAnswer(deps.log);
  return function phoneEventFront(req, res) {
    if (req.method !== 'GET') return false;
    const url = req.url ?? '';
    const vendor = EVENT_PATH.exec(url)?.[1];
    if (vendor === undefined) return false;
    const start = process.hrtime.bigint();
    let accepted: AcceptedEvents;
    try {
      const request: EventRequest = {
        vendor, url, ip: clientIp(req), method: 'GET', body: '',
        headers: { 'user-agent': req.headers['user-agent'], 'content-type': req.headers['content-type'] },
      };
      accepted = acceptEvents(request, resolveKnownPhone(request, deps), deps);
    } catch {
      // Refused before anything was recorded (or a token this instance has not heard of): Express
      // runs the same checks, asks other instances about the token, and answers as always.
      return false;
    }
    const path = `/phone/${vendor}/event`;
    deps.callLog.ingest(accepted.phone, accepted.events, accepted.ip).then(() => {
      res.statusCode = 200;
      res.end();
      logRequest(deps.log, 'GET', path, 200, start);
    }, (err: unknown) => {
      res.once('finish', () => logRequest(deps.log, 'GET', path, res.statusCode, start));
      failed(req, res, err);
    });
    return true;
  };
}
