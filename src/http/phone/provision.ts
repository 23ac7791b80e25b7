/**
 * @module `GET /provision/<file>` (and Poly's `PUT` of its own files): config files by each
 * vendor's own names. Order of checks: network allow-list, the failed-login brake, HTTP Basic or
 * Digest credentials, then the file: odd names and unknown phones are 404 with an empty body, a
 * request whose User-Agent names another phone's MAC is 403 and logged. Phones get empty bodies
 * on every refusal: nothing to learn from them.
 */
import express, { Router, type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import type { Logger } from 'pino';
import { isProvisionError, UrlTooLongError } from '../../vendors/shared/provision-error.ts';
import { createHttpAuth, type Credentials, type HttpAuth } from '../../provisioning/http-auth.ts';
import { createLoginLimiter, type LoginLimiter } from '../../provisioning/login-limiter.ts';
import { UPLOAD_MAX_BYTES, type Located, type Provisioning } from '../../provisioning/service.ts';
import { clientIp } from '../client-ip.ts';
import { HttpError, isOurFault, setRetryAfter, statusOf, toHttpError } from '../errors.ts';
import { publicBase } from '../public-base.ts';
import { isStoreUnavailable } from '../../store/unavailable.ts';

export interface ProvisionRouteDeps {
  provisioning: Provisioning;
  /** null = provisioning is off: every request is 404. */
  credentials: Credentials | null;
  allowed: (ip: string) => boolean;
  log: Logger;
  publicUrl: string | null;
  now: () => Date;
  /** Injected by tests; by default built on `now`. */
  auth?: HttpAuth;
  limiter?: LoginLimiter;
}

const found = new WeakMap<Request, Located>();

export function provisionRoutes(deps: ProvisionRouteDeps): Router {
  const router = Router();
  const { credentials, log } = deps;
  if (credentials === null) {
    router.use((_req, res) => { res.status(404).end(); });
    return router;
  }
  const clock = () => deps.now().getTime();
  const auth = deps.auth ?? createHttpAuth({ credentials, now: clock });
  const limiter = deps.limiter ?? createLoginLimiter({ now: clock });

  const access: RequestHandler = function provisionAccess(req, res, next) {
    const ip = clientIp(req);
    if (!deps.allowed(ip)) return void res.status(403).end();
    const wait = limiter.waitMs(ip);
    if (wait > 0) return void res.status(429).set('Retry-After', String(Math.ceil(wait / 1000))).end();
    const check = auth.check(req.method, req.originalUrl, req.get('authorization'));
    if (!check.ok) {
      // A first request without credentials is how every phone starts: only wrong ones count.
      if (check.reason !== 'missing' && check.reason !== 'stale') {
        limiter.failure(ip);
        log.info({ ip, reason: check.reason, path: req.path.slice(0, 100) }, 'provisioning login refused');
      }
      return void res.status(401).set('WWW-Authenticate', auth.challenges(check.reason === 'stale')).end();
    }
    limiter.success(ip);
    next();
  };

  const locate: RequestHandler = function provisionLocate(req, res, next) {
    const located = deps.provisioning.locate(String(req.params['file'] ?? ''), req.get('user-agent') ?? '');
    if (!located.ok) {
      if (located.code === 'forbidden') log.warn({ ip: clientIp(req), file: String(req.params['file']).slice(0, 64), reason: located.message }, 'provisioning request for another phone refused');
      return void res.status(statusOf(located.code)).end();
    }
    found.set(req, located.value);
    next();
  };

  router.use(access);

  router.get('/:file', locate, async function provisionFile(req, res) {
    const located = found.get(req) as Located;
    const { ref, owner } = located;
    if (ref.role === 'upload') {
      // Poly reads its own overrides back at boot [POLY-FAQ-FILES].
      const upload = owner === null ? undefined : deps.provisioning.upload(owner.mac, ref.name);
      if (upload === undefined) return void res.status(404).end();
      return void send(res, 'text/plain; charset=utf-8', upload.body);
    }
    const base = publicBase(req, deps.publicUrl);
    let rendered: { body: string; contentType: string };
    try {
      rendered = deps.provisioning.render(located, base);
    } catch (e) {
      if (!isProvisionError(e)) throw e;
      // URLs are built on the request's Host when no RINGBACK_PUBLIC_URL is set: a Host too long for
      // the phone's URL fields is the request's fault (400), not the server's.
      if (e instanceof UrlTooLongError && deps.publicUrl === null) {
        log.warn({ file: ref.name, problem: e.message }, 'provisioning request names a Host too long for the phone\'s URLs');
        return void res.status(400).end();
      }
      // The message names a key, never its value.
      log.error({ file: ref.name, problem: e.message }, 'provisioning file cannot be rendered');
      return void res.status(500).end();
    }
    // Recorded before the answer: the store shows only durable changes, so an admin page read after
    // the fetch shows it. Group commit shares the fsync across a boot storm. A full disk does not
    // stop a phone's boot (the store reports that itself).
    await deps.provisioning.recordFetch(located, rendered.body, base, clientIp(req), req.get('user-agent') ?? '')
      .catch((err: unknown) => { if (!isStoreUnavailable(err)) log.error({ err, file: ref.name }, 'provisioning fetch not recorded'); });
    send(res, rendered.contentType, rendered.body);
  });

  const raw = express.raw({ type: () => true, limit: UPLOAD_MAX_BYTES });
  router.put('/:file', locate, raw, async function provisionUpload(req, res) {
    const { ref, owner } = found.get(req) as Located;
    if (ref.role !== 'upload' || owner === null) return void res.status(405).set('Allow', 'GET').end();
    const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const stored = await deps.provisioning.storeUpload(owner, ref, bytes);
    if (stored === null) return void res.status(404).end();
    if ('tooLarge' in stored) return void res.status(413).end();
    res.status(stored.created ? 201 : 204).end();
  });

  router.all('/:file', (_req, res) => { res.status(405).set('Allow', 'GET, PUT').end(); });
  router.use((_req, res) => { res.status(404).end(); });
  router.use(provisionErrorHandler(log));
  return router;
}

// --- Internal helpers ---

function send(res: Response, contentType: string, body: string): void {
  res.status(200).type(contentType).set('Cache-Control', 'no-store').send(body);
}

/** Phones get a status and an empty body, never JSON or a stack trace. */
function provisionErrorHandler(log: Logger): ErrorRequestHandler {
  return function provisionErrorHandler(err: unknown, req, res, _next) {
    const e = err instanceof HttpError ? err : toHttpError(err);
    if (isOurFault(e)) log.error({ err, path: req.path.slice(0, 100) }, 'provisioning request failed');
    if (res.headersSent) return;
    setRetryAfter(res, e);
    res.status(e.status).end();
  };
}
