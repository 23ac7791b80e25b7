/**
 * @module The list's front route: `GET /phone/<vendor>/missed?…` answered before the Express stack.
 * Phones poll their list (idle refresh, each key press), so after events it is what a server gets
 * most, and the rendered list is usually reused whole (list-answer.ts): Express's routing and
 * response helpers were most of what such a request cost. The answer is Express's, byte for byte
 * (test/http/phone-list-answers.test.ts). A request the checks refuse, a conditional request (Express
 * may answer it 304) or any other spelling of the path goes to Express, which answers as always.
 */
import type { TLSSocket } from 'node:tls';
import type { Logger } from 'pino';
import { clientIp } from '../client-ip.ts';
import { publicBaseOf } from '../public-base.ts';
import { logRequest } from '../request-log.ts';
import { resolveKnownPhone, type PhoneContext, type PhoneContextDeps } from './context.ts';
import { failureAnswer, type FrontRoute } from './front-route.ts';
import type { ListAnswer } from './list-answer.ts';

/** The list URL as we give it to phones: lower-case vendor, no trailing slash. */
const LIST_PATH = /^\/phone\/([a-z]+)\/missed(?=\?|$)/;

export function listFrontRoute(deps: PhoneContextDeps & { list: ListAnswer; publicUrl: string | null; log: Logger }): FrontRoute {
  const failed = failureAnswer(deps.log);
  return function phoneListFront(req, res) {
    if (req.method !== 'GET' || req.headers['if-none-match'] !== undefined || req.headers['if-modified-since'] !== undefined) return false;
    const url = req.url ?? '';
    const vendor = LIST_PATH.exec(url)?.[1];
    if (vendor === undefined) return false;
    const start = process.hrtime.bigint();
    let ctx: PhoneContext;
    try {
      ctx = resolveKnownPhone({ vendor, url, ip: clientIp(req) }, deps);
    } catch {
      return false;
    }
    const path = `/phone/${vendor}/missed`;
    const protocol = (req.socket as Partial<TLSSocket>).encrypted === true ? 'https' : 'http';
    deps.list(ctx, publicBaseOf(protocol, req.headers.host, deps.publicUrl)).then((out) => {
      // What Express's res.type(…).set('Cache-Control', …).send(string) writes, in its order.
      res.statusCode = 200;
      res.setHeader('Content-Type', withCharset(out.contentType));
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('Content-Length', Buffer.byteLength(out.body));
      res.end(out.body);
      logRequest(deps.log, 'GET', path, 200, start);
    }, (err: unknown) => {
      res.once('finish', () => logRequest(deps.log, 'GET', path, res.statusCode, start));
      failed(req, res, err);
    });
    return true;
  };
}

/** Express's send(string) gives a Content-Type without a charset `; charset=utf-8`. */
function withCharset(type: string): string {
  return /;\s*charset=/i.test(type) ? type : `${type}; charset=utf-8`;
}
