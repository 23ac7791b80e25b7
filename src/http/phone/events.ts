/** @module `GET|POST /phone/:vendor/event`: action URLs and Poly notifications, answered with an empty 200. */
import express, { Router } from 'express';
import type { ParsedEvent, Phone, PhoneEvent } from '../../domain/types.ts';
import type { CallLog } from '../../services/call-log.ts';
import { clientIp } from '../client-ip.ts';
import { HttpError } from '../errors.ts';
import { resolvePhoneRequest, type PhoneContext, type PhoneContextDeps, type PhoneRequest } from './context.ts';

/** Bodies are small XML documents; anything bigger is not a phone. */
const BODY_LIMIT = '64kb';
const RAW_CAP = 2048;

export interface PhoneEventDeps extends PhoneContextDeps {
  callLog: CallLog;
  now: () => Date;
}

/** One event request as the checks read it, from Express or from the front route (event-front.ts). */
export interface EventRequest extends PhoneRequest {
  method: string;
  body: string;
  headers: { 'user-agent': string | undefined; 'content-type': string | undefined };
}

/** What an accepted request hands to the call log. */
export interface AcceptedEvents {
  phone: Phone;
  events: PhoneEvent[];
  ip: string;
}

/**
 * Parses the events of a request from an identified phone (context.ts). Throws the HttpError of a
 * refused request (4xx) before anything is recorded, so a refused request changes nothing.
 */
export function acceptEvents(req: EventRequest, { vendor, phone, query, ip }: PhoneContext, deps: PhoneEventDeps): AcceptedEvents {
  const parsed = vendor.parseEvent({ method: req.method, query, body: req.body, headers: req.headers });
  if (!parsed.ok) throw new HttpError(400, 'bad_event', parsed.reason);
  // A token copied onto another device: refused like a wrong token, and nothing is recorded.
  if (parsed.events.some((e) => e.reportedMac !== undefined && e.reportedMac !== phone.mac)) {
    throw new HttpError(403, 'forbidden', 'forbidden');
  }
  const receivedAt = deps.now().toISOString();
  const raw = (req.body !== '' ? req.body : auditQuery(query)).slice(0, RAW_CAP);
  const events: PhoneEvent[] = parsed.events.map((e) => received(e, { receivedAt, vendor: vendor.name, mac: phone.mac, raw }));
  return { phone, events, ip };
}

/*
 * The two helpers below are what object rest (`{ t, ...fields }`) and spread gave, key for key, as
 * loops: rest with an excluded key is a slow runtime path in V8 (about 6 µs an event, profiled on
 * the ingest load), and every phone event goes through both.
 */

/** `JSON.stringify` of the query without the token: the audit copy never holds it. */
function auditQuery(query: Record<string, string>): string {
  let out = '';
  for (const key in query) {
    if (key === 't') continue;
    out += `${out === '' ? '' : ','}${JSON.stringify(key)}:${JSON.stringify(query[key])}`;
  }
  return `{${out}}`;
}

/** The parsed event without the MAC it reported (checked above), with what the server adds. */
function received(e: ParsedEvent, added: Pick<PhoneEvent, 'receivedAt' | 'vendor' | 'mac' | 'raw'>): PhoneEvent {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(e) as (keyof ParsedEvent)[]) if (key !== 'reportedMac') out[key] = e[key];
  out['receivedAt'] = added.receivedAt;
  out['vendor'] = added.vendor;
  out['mac'] = added.mac;
  out['raw'] = added.raw;
  return out as unknown as PhoneEvent;
}

export function phoneEventRoutes(deps: PhoneEventDeps): Router {
  const router = Router();
  const body = express.text({ type: () => true, limit: BODY_LIMIT });
  const handler: express.RequestHandler = async function phoneEvent(req, res) {
    const request: EventRequest = {
      vendor: String(req.params['vendor'] ?? ''), url: req.originalUrl, ip: clientIp(req), method: req.method,
      body: typeof req.body === 'string' ? req.body : '',
      headers: { 'user-agent': req.get('user-agent'), 'content-type': req.get('content-type') },
    };
    const accepted = acceptEvents(request, await resolvePhoneRequest(request, deps), deps);
    await deps.callLog.ingest(accepted.phone, accepted.events, accepted.ip);
    res.status(200).end();
  };
  router.get('/:vendor/event', handler);
  router.post('/:vendor/event', body, handler);
  return router;
}
