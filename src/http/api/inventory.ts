/** @module `/api/teams` and `/api/phones`: the inventory. */
import { Router, type Request, type Response } from 'express';
import { lookUpWithOthers } from '../../cluster/follow.ts';
import type { Store } from '../../store/types.ts';
import { phoneUrls, type Inventory } from '../../services/inventory.ts';
import type { Phone } from '../../domain/types.ts';
import { phoneView, teamView } from './views.ts';
import { requireTeam, seesTeam } from './auth/access.ts';
import { principalOf } from './auth/principal.ts';
import { teamsOfPhone } from '../../domain/destination.ts';
import { HttpError, unwrap } from '../errors.ts';
import { publicBase } from '../public-base.ts';

export interface InventoryRouteDeps {
  store: Store;
  inventory: Inventory;
  publicUrl: string | null;
  /** Told when an admin changed a phone (the push service re-checks its screen). */
  onPhoneChange?: (mac: string) => void;
}

export function inventoryRoutes(deps: InventoryRouteDeps): Router {
  const { store, inventory } = deps;
  const router = Router();

  // Managers and agents see their own teams and those teams' phones only.
  router.get('/teams', (req, res) => { res.json({ items: store.teams().filter((t) => seesTeam(principalOf(req), t.id)).map(teamView) }); });
  router.post('/teams', async (req, res) => { res.status(201).json(teamView(unwrap(await inventory.createTeam(req.body)))); });
  router.get('/teams/:id', async (req, res) => {
    const team = await lookUpWithOthers(store, () => store.team(req.params.id));
    if (team === undefined) throw new HttpError(404, 'not_found', 'no such team');
    requireTeam(req, team.id);
    res.json(teamView(team));
  });
  router.patch('/teams/:id', async (req, res) => { res.json(teamView(unwrap(await inventory.updateTeam(req.params.id, req.body)))); });
  router.delete('/teams/:id', async (req, res) => { unwrap(await inventory.deleteTeam(req.params.id)); res.status(204).end(); });

  const seesPhone = (req: Request, phone: Phone) => principalOf(req).role === 'admin' ||
    teamsOfPhone(phone, store.teams()).some((t) => seesTeam(principalOf(req), t.id));
  router.get('/phones', (req, res) => { res.json({ items: store.phones().filter((p) => seesPhone(req, p)).map((p) => phoneView(p, store.get('pushStates', p.mac))) }); });
  /** The only answers that carry a phone's token: creation and rotation. */
  const withUrls = (req: Request, phone: Phone) => ({ ...phoneView(phone, store.get('pushStates', phone.mac)), token: phone.token, urls: phoneUrls(publicBase(req, deps.publicUrl), phone) });
  router.post('/phones', async (req, res) => {
    const phone = unwrap(await inventory.createPhone(req.body));
    deps.onPhoneChange?.(phone.mac);
    res.status(201).json(withUrls(req, phone));
  });
  router.get('/phones/:mac', async (req, res) => {
    const mac = req.params.mac.toLowerCase().replace(/[:\-.]/g, '');
    const phone = await lookUpWithOthers(store, () => store.phone(mac));
    if (phone === undefined) throw new HttpError(404, 'not_found', 'no such phone');
    if (!seesPhone(req, phone)) throw new HttpError(403, 'forbidden', 'this phone belongs to a team you are not in');
    res.json(phoneView(phone, store.get('pushStates', phone.mac)));
  });
  router.patch('/phones/:mac', async (req, res) => {
    const phone = unwrap(await inventory.updatePhone(req.params.mac, req.body));
    deps.onPhoneChange?.(phone.mac);
    res.json(phoneView(phone, store.get('pushStates', phone.mac)));
  });
  router.delete('/phones/:mac', async (req, res) => { unwrap(await inventory.deletePhone(req.params.mac)); res.status(204).end(); });
  router.post('/phones/:mac/token', async (req, res: Response) => { res.json(withUrls(req, unwrap(await inventory.rotateToken(req.params.mac)))); });

  return router;
}

