/** @module `POST /pbx/webhook`: a signed JSON record of one finished call, from any PBX. */
import express, { Router } from 'express';
import { createReplayCache, MAX_WEBHOOK_BODY_BYTES, verifyAndParseWebhook } from '../../pbx/webhook.ts';
import type { CallLog } from '../../services/call-log.ts';
import { HttpError, unwrap } from '../errors.ts';

export interface WebhookDeps {
  callLog: CallLog;
  /** null = the webhook is off (404, as if the route did not exist); a function is asked per request (settings change live). */
  secret: string | null | (() => string | null);
  now: () => Date;
}

export function pbxWebhookRoutes(deps: WebhookDeps): Router {
  const router = Router();
  const replay = createReplayCache();
  // The signature covers the exact bytes: read the body unparsed, whatever its Content-Type.
  const raw = express.text({ type: () => true, limit: MAX_WEBHOOK_BODY_BYTES });
  router.post('/pbx/webhook', raw, async (req, res) => {
    const secret = typeof deps.secret === 'function' ? deps.secret() : deps.secret;
    if (secret === null) throw new HttpError(404, 'not_found', 'no such route');
    const result = verifyAndParseWebhook({
      rawBody: typeof req.body === 'string' ? req.body : '', headers: req.headers, secret,
      now: deps.now().getTime(), replay,
    });
    const call = unwrap(result);
    await deps.callLog.ingestPbxCall(call);
    res.status(200).json({ ok: true, id: call.pbxCallId });
  });
  return router;
}
