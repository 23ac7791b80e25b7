/**
 * @module `/api/contacts`: the directory callers are matched against. Everyone reads it (numbers
 * masked for principals without number access); admins change it, one by one or by CSV import.
 */
import express, { Router, type Request } from 'express';
import type { Contact } from '../../domain/contacts.ts';
import { crmLink } from '../../domain/contacts.ts';
import type { Principal } from '../../services/auth-types.ts';
import type { Audit } from '../../services/audit.ts';
import type { Contacts } from '../../services/contacts.ts';
import { importContacts } from '../../services/contacts-import.ts';
import { principalOf } from './auth/principal.ts';
import { audited } from './auth/audit-trail.ts';
import { limit, single } from './query.ts';
import { maskNumber } from './caller-view.ts';
import { HttpError, unwrap } from '../errors.ts';

export interface ContactRouteDeps {
  contacts: Contacts;
  audit: Audit;
  country: string;
  crmUrl: string | null;
  now: () => Date;
}

export function contactRoutes(deps: ContactRouteDeps): Router {
  const { contacts, audit } = deps;
  const directory = contacts.directory;
  const router = Router();
  const view = (c: Contact, p: Pick<Principal, 'numbers'>) => {
    const masked = p.numbers === 'masked';
    return {
      id: c.id, name: c.name, company: c.company, crmId: c.crmId, vip: c.vip,
      numbers: c.numbers.map((n) => (masked ? maskNumber(n.key) : n.key)),
      crmUrl: masked && /\{(number|digits)\}/.test(deps.crmUrl ?? '') ? null : crmLink(deps.crmUrl, c.numbers[0]?.key ?? '', c),
      createdAt: c.createdAt, updatedAt: c.updatedAt,
    };
  };

  /** `?q=` matches name, company or CRM id (and a number, for principals who see numbers); `?vip=true`. */
  router.get('/contacts', (req, res) => {
    const q = req.query as Record<string, unknown>;
    const p = principalOf(req);
    const text = single(q, 'q', 100)?.toLowerCase();
    const vip = single(q, 'vip', 5);
    if (vip !== undefined && vip !== 'true' && vip !== 'false') throw new HttpError(400, 'invalid', 'vip: true or false');
    const digits = text?.replace(/[^\d]/g, '') ?? '';
    const size = limit(q, 100, 1000);
    const after = single(q, 'cursor', 300);
    const sorted = directory.list().filter((c) => {
      if (vip !== undefined && c.vip !== (vip === 'true')) return false;
      if (text === undefined) return true;
      if (`${c.name}\u0000${c.company}\u0000${c.crmId}`.toLowerCase().includes(text)) return true;
      return p.numbers === 'full' && digits.length >= 3 && c.numbers.some((n) => n.key.includes(digits) || n.raw.replace(/\D/g, '').includes(digits));
    }).sort(byName);
    const start = after === undefined ? 0 : sorted.findIndex((c) => sortKey(c) > Buffer.from(after, 'base64url').toString());
    const page = start < 0 ? [] : sorted.slice(start, start + size);
    const last = page.at(-1);
    const more = start >= 0 && start + size < sorted.length;
    res.json({ items: page.map((c) => view(c, p)), nextCursor: more && last !== undefined ? Buffer.from(sortKey(last)).toString('base64url') : null });
  });

  router.get('/contacts/:id', (req, res) => {
    const c = directory.contact(req.params.id);
    if (c === undefined) throw new HttpError(404, 'not_found', 'no such contact');
    res.json(view(c, principalOf(req)));
  });

  router.post('/contacts/import', express.text({ type: ['text/csv', 'text/plain', 'application/csv'], limit: '10mb' }), async (req: Request, res) => {
    if (typeof req.body !== 'string') throw new HttpError(415, 'unsupported_media_type', 'send the CSV as text/csv');
    const dryRun = single(req.query as Record<string, unknown>, 'dryRun', 5) === 'true';
    const result = await importContacts(req.body, { directory, country: deps.country, now: deps.now, dryRun });
    const r = unwrap(result);
    if (!dryRun) {
      await audited(req, audit, {
        action: 'contacts.import', target: null,
        details: { rows: r.rows.length, created: r.created, updated: r.updated, unchanged: r.unchanged, invalid: r.invalid },
      });
    }
    res.json(r);
  });

  router.post('/contacts', async (req, res) => {
    const c = unwrap(await contacts.create(req.body));
    await audited(req, audit, { action: 'contact.create', target: { type: 'contact', id: c.id }, details: { vip: c.vip } });
    res.status(201).json(view(c, principalOf(req)));
  });
  router.patch('/contacts/:id', async (req, res) => {
    const c = unwrap(await contacts.update(req.params.id, req.body));
    const fields = typeof req.body === 'object' && req.body !== null ? Object.keys(req.body as object).sort().join(',') : '';
    await audited(req, audit, { action: 'contact.update', target: { type: 'contact', id: c.id }, details: { fields } });
    res.json(view(c, principalOf(req)));
  });
  router.delete('/contacts/:id', async (req, res) => {
    const c = unwrap(await contacts.remove(req.params.id));
    await audited(req, audit, { action: 'contact.delete', target: { type: 'contact', id: c.id }, details: {} });
    res.status(204).end();
  });

  return router;
}

// --- Internal helpers ---

function sortKey(c: Contact): string {
  return `${c.name.toLowerCase()}\u0000${c.id}`;
}

function byName(a: Contact, b: Contact): number {
  const ka = sortKey(a), kb = sortKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
