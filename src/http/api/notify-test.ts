/**
 * @module `POST /api/teams/:id/notify/test` (admins): a test message straight to each of the team's
 * recipients, answered with what each receiver said — not queued, not retried, so a wrong URL or a
 * closed SMTP port shows at once where it is set up.
 */
import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { shown, targetsOf } from '../../notify/outbox.ts';
import type { TeamNotifySettings } from '../../notify/settings.ts';
import type { NotificationPayload, Sender, Target } from '../../notify/types.ts';
import type { Audit } from '../../services/audit.ts';
import type { Store } from '../../store/types.ts';
import { audited } from './auth/audit-trail.ts';
import { HttpError } from '../errors.ts';

export interface NotifyTestDeps {
  store: Store;
  settings: (teamId: string) => TeamNotifySettings | undefined;
  senders: { email: Sender | null; webhook: Sender | null };
  audit: Audit;
  now: () => Date;
}

export function notifyTestRoutes(deps: NotifyTestDeps): Router {
  const router = Router();
  router.post('/teams/:id/notify/test', async (req, res) => {
    const team = deps.store.team(req.params.id);
    if (team === undefined) throw new HttpError(404, 'not_found', 'no such team');
    const s = deps.settings(team.id);
    const targets = unique(s === undefined ? [] : [...s.channels, ...s.members, ...(s.lead ? [s.lead] : []), ...(s.manager ? [s.manager] : [])].flatMap(targetsOf));
    if (targets.length === 0) throw new HttpError(409, 'no_recipients', 'this team has no recipients yet: add a channel or a person with an email or a webhook, save, then test');
    const at = deps.now().toISOString();
    const results = await Promise.all(targets.map(async (target) => {
      const sender = deps.senders[target.channel];
      const id = randomUUID();
      const r = sender === null
        ? { ok: false as const, error: `${target.channel} is not set up` }
        : await sender.send({ id, target, payload: payload(id, at, target, team.id, team.name) });
      return {
        name: target.name, channel: target.channel, to: shown(target), ok: r.ok,
        answer: r.ok ? r.answer ?? (target.channel === 'email' ? 'accepted by the SMTP server' : 'accepted') : r.error,
      };
    }));
    await audited(req, deps.audit, {
      action: 'notify.test', target: { type: 'team', id: team.id }, team: team.id,
      details: { recipients: results.length, delivered: results.filter((r) => r.ok).length },
    });
    res.json({ results });
  });
  return router;
}

// --- Internal helpers ---

function unique(targets: Target[]): Target[] {
  const seen = new Set<string>();
  return targets.filter((t) => {
    const key = `${t.channel}:${t.address.toLowerCase()}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function payload(id: string, at: string, target: Target, teamId: string, teamName: string): NotificationPayload {
  const title = `Test message from Ringback for ${teamName}`;
  const text = `This is a test sent from the Ringback dashboard to ${target.name}. Nothing needs to be done.`;
  return {
    id, type: 'ringback.notification', createdAt: at, recipient: { name: target.name }, summary: title, text: `${title}\n${text}`,
    items: [{ key: `test:${id}`, kind: 'test', at, priority: 'normal', title, text, team: { id: teamId, name: teamName }, calls: [] }],
  };
}
