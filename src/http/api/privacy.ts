/**
 * @module `/api/privacy`: data-protection requests for one caller number (admins only, by the
 * access table). The number travels in the body, not the URL, so it stays out of proxy and access
 * logs; the audit trail records a keyed hash of it, never the number.
 */
import { Router } from 'express';
import { z } from 'zod';
import type { Audit } from '../../services/audit.ts';
import type { Privacy } from '../../services/privacy.ts';
import { principalOf } from './auth/principal.ts';
import { audited } from './auth/audit-trail.ts';
import { attemptView, missedView } from './views.ts';
import { HttpError, unwrap } from '../errors.ts';

export interface PrivacyRouteDeps {
  privacy: Privacy;
  audit: Audit;
  now: () => Date;
}

const accessBody = z.object({ number: z.string().trim().min(1).max(64) }).strict();
const eraseBody = z.object({
  number: z.string().trim().min(1).max(64),
  /** Erasure cannot be undone: the request must say so. */
  confirm: z.literal(true),
  /** The request's reference (ticket number), kept in the audit trail. */
  reference: z.string().trim().max(100).regex(/^[^\u0000-\u001f\u007f]*$/).optional(),
}).strict();

export function privacyRoutes(deps: PrivacyRouteDeps): Router {
  const router = Router();

  router.post('/privacy/subject-access', async (req, res) => {
    const body = accessBody.safeParse(req.body);
    if (!body.success) throw new HttpError(400, 'invalid', 'send {"number": "…"}');
    const found = await deps.privacy.find(body.data.number);
    const r = unwrap(found);
    const subject = await deps.audit.subjectOf(r.key);
    await audited(req, deps.audit, {
      action: 'privacy.subject-access', subject,
      details: { missedCalls: r.missedCalls.length, calls: r.calls.length, contact: r.contact !== null, mentions: r.mentionedIn.length },
    });
    const now = deps.now().toISOString();
    res.set('Cache-Control', 'no-store').json({
      number: r.key,
      contact: r.contact,
      missedCalls: r.missedCalls.map((m) => missedView(m, now)),
      calls: r.calls.map(attemptView),
      mentionedIn: r.mentionedIn,
      // Earlier requests about the same number (found by its hash).
      requests: [...deps.audit.entries({ subject })].map((e) => ({ id: e.id, at: e.at, action: e.action, actor: e.actor.name })),
    });
  });

  router.post('/privacy/erase', async (req, res) => {
    const body = eraseBody.safeParse(req.body);
    if (!body.success) throw new HttpError(400, 'invalid', 'send {"number": "…", "confirm": true, "reference"?: "…"}');
    const key = deps.privacy.keyOf(body.data.number);
    const subject = await deps.audit.subjectOf(unwrap(key));
    const result = await deps.privacy.erase(body.data.number, principalOf(req).name);
    const c = unwrap(result);
    await audited(req, deps.audit, {
      action: 'privacy.erase', subject,
      details: { calls: c.calls, missedCalls: c.missedCalls, contacts: c.contacts, mentions: c.mentions, reference: body.data.reference ?? null },
    });
    res.json({ erased: c });
  });

  return router;
}
