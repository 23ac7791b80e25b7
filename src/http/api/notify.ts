/**
 * @module `/api/teams/:id/notify` (a team's escalation and notification settings) and
 * `/api/notify/outbox` (what is waiting, sent or failed). Webhook URLs are shown masked.
 */
import { Router } from 'express';
import { shown } from '../../notify/outbox.ts';
import type { Notifier } from '../../notify/notifier.ts';
import { settingsView } from '../../notify/settings.ts';
import type { OutboxItem, OutboxMessage } from '../../notify/types.ts';
import type { Store } from '../../store/types.ts';
import { limit, oneOf } from './query.ts';
import { HttpError, unwrap } from '../errors.ts';

export interface NotifyRouteDeps {
  store: Store;
  notifier: Notifier;
  now: () => Date;
}

const MESSAGE_STATUSES = ['pending', 'sent', 'failed'] as const;

export function notifyRoutes(deps: NotifyRouteDeps): Router {
  const { store, notifier } = deps;
  const router = Router();

  router.get('/teams/:id/notify', (req, res) => {
    if (store.team(req.params.id) === undefined) throw new HttpError(404, 'not_found', 'no such team');
    const s = notifier.settings(req.params.id);
    if (s !== undefined) {
      res.json({ configured: true, ...settingsView(s) });
      return;
    }
    const d = notifier.defaults;
    res.json({
      configured: false, teamId: req.params.id, targetMinutes: d.targetMinutes, stepMinutes: d.stepMinutes, channels: [], members: [],
      lead: null, manager: null, windowMinutes: d.windowMinutes,
      quietHours: d.quietHours === null ? null : `${d.quietHours.from}-${d.quietHours.to}`, updatedAt: null,
    });
  });

  router.put('/teams/:id/notify', async (req, res) => {
    res.json({ configured: true, ...settingsView(unwrap(await notifier.saveSettings(req.params.id, req.body, deps.now()))) });
  });

  router.delete('/teams/:id/notify', async (req, res) => {
    if (!(await notifier.deleteSettings(req.params.id))) throw new HttpError(404, 'not_found', 'this team has no notification settings');
    res.status(204).end();
  });

  router.get('/notify/outbox', (req, res) => {
    const q = req.query as Record<string, unknown>;
    const status = oneOf(q, 'status', MESSAGE_STATUSES);
    const max = limit(q, 100, 1000);
    const messages = store.list('outboxMessages').filter((m) => status === undefined || m.status === status)
      .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0)).slice(0, max);
    const queued = store.list('outboxItems').filter((i) => i.status === 'queued').slice(0, max);
    res.json({ queued: queued.map(itemView), messages: messages.map(messageView) });
  });

  return router;
}

// --- Internal helpers ---

function targetView(t: OutboxMessage['target']) {
  return { channel: t.channel, name: t.name, address: shown(t) };
}

function itemView(i: OutboxItem) {
  return { id: i.id, event: i.event.key, kind: i.event.kind, target: targetView(i.target), createdAt: i.createdAt, urgent: i.urgent };
}

function messageView(m: OutboxMessage) {
  return {
    id: m.id, target: targetView(m.target), status: m.status, attempts: m.attempts, createdAt: m.createdAt,
    nextAttemptAt: m.status === 'pending' ? m.nextAttemptAt : null, sentAt: m.sentAt, lastError: m.lastError,
    // A send in flight (or left by an instance that died mid-send): when it was claimed.
    sendingSince: m.sendingSince ?? null,
    summary: m.payload.summary, items: m.payload.items.map((i) => ({ key: i.key, kind: i.kind })),
  };
}
