/** @module `GET|POST /phone/:vendor/event`: action URLs and Poly notifications, answered with an empty 200. */
import express, { Router } from 'express';
import type { PhoneEvent } from '../../domain/types.ts';
import type { CallLog } from '../../services/call-log.ts';
import { HttpError } from '../errors.ts';
import { resolvePhone, type PhoneContextDeps } from './context.ts';

/** Bodies are small XML documents; anything bigger is not a phone. */
const BODY_LIMIT = '64kb';
const RAW_CAP = 2048;

export interface PhoneEventDeps extends PhoneContextDeps {
  callLog: CallLog;
  now: () => Date;
}

export function phoneEventRoutes(deps: PhoneEventDeps): Router {
  const router = Router();
  const body = express.text({ type: () => true, limit: BODY_LIMIT });
  const handler: express.RequestHandler = async function phoneEvent(req, res) {
    const { vendor, phone, query, ip } = await resolvePhone(req, deps);
    const rawBody = typeof req.body === 'string' ? req.body : '';
    const parsed = vendor.parseEvent({
      method: req.method,
      query,
      body: rawBody,
      headers: { 'user-agent': req.get('user-agent'), 'content-type': req.get('content-type') },
    });
    if (!parsed.ok) throw new HttpError(400, 'bad_event', parsed.reason);
    // A token copied onto another device: refused like a wrong token, and nothing is recorded.
    if (parsed.events.some((e) => e.reportedMac !== undefined && e.reportedMac !== phone.mac)) {
      throw new HttpError(403, 'forbidden', 'forbidden');
    }
    const receivedAt = deps.now().toISOString();
    // The audit copy never holds the token.
    const { t: _token, ...fields } = query;
    const raw = (rawBody !== '' ? rawBody : JSON.stringify(fields)).slice(0, RAW_CAP);
    const events: PhoneEvent[] = parsed.events.map(({ reportedMac: _checked, ...e }) => ({ ...e, receivedAt, vendor: vendor.name, mac: phone.mac, raw }));
    await deps.callLog.ingest(phone, events, ip);
    res.status(200).end();
  };
  router.get('/:vendor/event', handler);
  router.post('/:vendor/event', body, handler);
  return router;
}
