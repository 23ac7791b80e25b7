/**
 * @module Admin API for provisioning: what a phone will receive (secrets masked), which phones
 * have not fetched their current files (drift), what Poly phones uploaded, the templates, and the
 * CSV import of phones.
 */
import express, { Router, type Request, type RequestHandler } from 'express';
import type { Phone } from '../../domain/types.ts';
import { importPhones } from '../../provisioning/csv-import.ts';
import type { Provisioning } from '../../provisioning/service.ts';
import { TemplateError } from '../../provisioning/templates.ts';
import type { Inventory } from '../../services/inventory.ts';
import type { Store } from '../../store/types.ts';
import { maybePrincipal } from './auth/principal.ts';
import { HttpError, unwrap } from '../errors.ts';
import { publicBase } from '../public-base.ts';

export interface ProvisioningApiDeps {
  store: Store;
  inventory: Inventory;
  /** null when provisioning is off: import still works, the rest answers 404. */
  provisioning: Provisioning | null;
  publicUrl: string | null;
}

/** A CSV of 5,000 phones with long labels stays well below this. */
const CSV_LIMIT = '2mb';

/** Admins only, whatever else the API lets in (managers see calls, not SIP accounts). */
const adminOnly: RequestHandler = function adminOnly(req, _res, next) {
  const p = maybePrincipal(req);
  if (p !== undefined && p.role !== 'admin') return next(new HttpError(403, 'forbidden', 'provisioning is for admins'));
  next();
};

export function provisioningApiRoutes(deps: ProvisioningApiDeps): Router {
  const { store } = deps;
  const router = Router();
  const phoneOf = (req: Request): Phone => {
    const phone = store.phone(String(req.params['mac'] ?? '').toLowerCase().replace(/[:\-.]/g, ''));
    if (phone === undefined) throw new HttpError(404, 'not_found', 'no such phone');
    return phone;
  };
  const prov = (): Provisioning => {
    if (deps.provisioning === null) throw new HttpError(404, 'provisioning_off', 'provisioning is off: set RINGBACK_PROVISION_USER and RINGBACK_PROVISION_PASSWORD');
    return deps.provisioning;
  };

  router.post('/phones/import', adminOnly, express.text({ type: () => true, limit: CSV_LIMIT }), async (req, res) => {
    const text = typeof req.body === 'string' ? req.body : '';
    const result = await importPhones(text, { store, inventory: deps.inventory });
    res.json(unwrap(result));
  });

  router.get('/phones/:mac/config', adminOnly, (req, res) => {
    const phone = phoneOf(req);
    res.json({ mac: phone.mac, vendor: phone.vendor, ...prov().preview(phone, publicBase(req, deps.publicUrl)) });
  });

  router.get('/phones/:mac/uploads', adminOnly, (req, res) => {
    const phone = phoneOf(req);
    res.json({ items: prov().uploads(phone.mac).map(({ body: _body, ...meta }) => meta) });
  });
  router.get('/phones/:mac/uploads/:name', adminOnly, (req, res) => {
    const p = prov();
    const upload = p.upload(phoneOf(req).mac, String(req.params['name']));
    if (upload === undefined) throw new HttpError(404, 'not_found', 'no such upload');
    res.type('text/plain; charset=utf-8').set('Cache-Control', 'no-store').send(p.viewUpload(upload));
  });
  router.delete('/phones/:mac/uploads/:name', adminOnly, async (req, res) => {
    if (!(await prov().deleteUpload(phoneOf(req).mac, String(req.params['name'])))) throw new HttpError(404, 'not_found', 'no such upload');
    res.status(204).end();
  });

  router.get('/provisioning/drift', adminOnly, (req, res) => {
    res.json(prov().drift(publicBase(req, deps.publicUrl)));
  });
  router.get('/provisioning/templates', adminOnly, (_req, res) => {
    res.json({ files: prov().templateFiles() });
  });
  router.post('/provisioning/templates/reload', adminOnly, (_req, res) => {
    try {
      res.json({ files: prov().reloadTemplates() });
    } catch (e) {
      if (e instanceof TemplateError) throw new HttpError(400, 'invalid_template', e.message);
      throw e;
    }
  });

  return router;
}
