/**
 * @module The push service: keeps each team phone's idle screen in step with its teams' open
 * missed calls (issue 14). Told of every durable change (`onChange`, after the commit: it only
 * marks phones and sets timers, so an event's acknowledgement never waits for a phone), it pushes
 * at most once per phone per window, a bounded number at a time, each with a deadline; a phone that
 * fails is retried with a doubling back-off and shown as failing (`state`).
 */
import { phoneDestinations } from '../domain/destination.ts';
import { pushView, type PushView } from '../domain/push.ts';
import type { MissedCall, Phone } from '../domain/types.ts';
import type { Change, Store } from '../store/types.ts';
import { vendors } from '../vendors/index.ts';
import type { PushRequest, VendorPush } from '../vendors/types.ts';
import { parseAddress, sendPush, type PushAddress, type PushOutcome } from './http-push.ts';
import type { PushConfig, PushState, Scheduler } from './types.ts';

export interface PushDeps {
  store: Store;
  config: PushConfig;
  scheduler: Scheduler;
  /** Our base URL as this phone reaches us (pages it fetches), or null when unknown. */
  baseFor: (phone: Phone) => string | null;
  /** The line key provisioning gave the missed list on this phone (its LED), or null. */
  missedKey: (phone: Phone) => number | null;
  log: (level: 'info' | 'warn' | 'debug', message: string, fields: Record<string, unknown>) => void;
  /** Told after each push attempt (tests await their emulator instead; the dashboard may listen). */
  onAttempt?: (mac: string, state: PushState) => void;
}

export interface PushService {
  /** The changes of one durable commit: marks the phones whose screen may change. Never throws, never waits. */
  onChange(changes: readonly Change[]): void;
  /** Push every phone's current view (at start: clears banners a restart left behind). */
  refreshAll(): void;
  /** Mark one phone (its inventory entry changed). */
  touchPhone(mac: string): void;
  /** Resolves when nothing is queued or in flight (shutdown, tests). */
  idle(): Promise<void>;
  close(): void;
}

interface Slot {
  timer: unknown;
  wakeAt: number;
  /** Push even if the content is what the phone already has (refresh, retry). */
  force: boolean;
  lastSentAt: number;
  /** The bodies last taken by the phone. */
  lastKey: string | null;
  running: boolean;
  again: boolean;
  /** The entries the phone's last computed view counted (PushView.counted). */
  counted: ReadonlySet<string>;
}

/** Whether a phone can be pushed to at all: its vendor documents a push and it is not switched off. */
export function pushOf(phone: Phone): VendorPush | undefined {
  return phone.push?.enabled === false ? undefined : vendors[phone.vendor].push;
}

/** Where a phone is pushed to: its inventory address, else where it was last seen from (port 80). */
export function pushAddressOf(phone: Phone): PushAddress | null {
  const raw = phone.push?.address ?? phone.lastSeen?.ip;
  return raw === undefined ? null : parseAddress(raw);
}

/** The open missed calls a phone's screens show: its teams', or its own extension's when it has none. */
export function openCallsOf(store: Store, phone: Phone): MissedCall[] {
  return phoneDestinations(phone, store.teams()).served.flatMap((d) => store.openMissed(d));
}

export function createPushService(deps: PushDeps): PushService {
  const { store, config, scheduler } = deps;
  const slots = new Map<string, Slot>();
  const queue = new Set<string>();
  let active = 0;
  let closed = false;
  const idleWaiters: (() => void)[] = [];

  function slotOf(mac: string): Slot {
    let s = slots.get(mac);
    if (s === undefined) {
      const st = store.get('pushStates', mac);
      s = { timer: null, wakeAt: Infinity, force: false, lastSentAt: -Infinity, lastKey: null, running: false, again: false, counted: new Set() };
      if (st?.showing === true) s.force = true;
      slots.set(mac, s);
    }
    return s;
  }

  function schedule(mac: string, at: number, force = false): void {
    if (closed) return;
    const s = slotOf(mac);
    if (force) s.force = true;
    if (s.timer !== null && s.wakeAt <= at) return;
    if (s.timer !== null) scheduler.clear(s.timer);
    s.wakeAt = at;
    s.timer = scheduler.set(at - scheduler.now(), () => {
      s.timer = null;
      s.wakeAt = Infinity;
      queue.add(mac);
      pump();
    });
  }

  function mark(mac: string, force = false): void {
    const s = slotOf(mac);
    schedule(mac, Math.max(scheduler.now(), s.lastSentAt + config.windowMs), force);
  }

  function phonesOfTeams(destinations: ReadonlySet<string>): Phone[] {
    const teams = store.teams();
    return store.phones().filter((p) => pushOf(p) !== undefined &&
      phoneDestinations(p, teams).all.some((d) => destinations.has(d)));
  }

  function countedAnywhere(id: string): boolean {
    for (const s of slots.values()) if (s.counted.has(id)) return true;
    return false;
  }

  function pump(): void {
    while (!closed && active < config.concurrency && queue.size > 0) {
      const mac = queue.values().next().value as string;
      queue.delete(mac);
      active += 1;
      void run(mac).catch((err: unknown) => deps.log('warn', 'push failed unexpectedly', { mac, err: String(err) })).finally(() => {
        active -= 1;
        pump();
        if (active === 0 && queue.size === 0) for (const w of idleWaiters.splice(0)) w();
      });
    }
  }

  async function run(mac: string): Promise<void> {
    const s = slotOf(mac);
    if (s.running) { s.again = true; return; }
    const phone = store.phone(mac);
    const vendorPush = phone === undefined ? undefined : pushOf(phone);
    if (phone === undefined || vendorPush === undefined) { slots.delete(mac); return; }
    const now = scheduler.now();
    if (now < s.lastSentAt + config.windowMs) return schedule(mac, s.lastSentAt + config.windowMs);
    const prev = store.get('pushStates', mac);
    const retryAt = prev?.retryAt == null ? -Infinity : Date.parse(prev.retryAt);
    if (prev !== undefined && prev.state !== 'ok' && now < retryAt) return schedule(mac, retryAt, true);

    const view = pushView(openCallsOf(store, phone), new Date(now).toISOString());
    s.counted = new Set(view.counted);
    if (view.nextSettleAt !== null) schedule(mac, Date.parse(view.nextSettleAt) + 1);
    const showing = prev?.showing ?? false;
    // Nothing to show and nothing shown: a phone that never had our banner needs no clear.
    if (view.count === 0 && !showing && s.lastKey === null && !s.force) return;
    let requests: PushRequest[];
    try {
      requests = vendorPush.render(view, { phone, base: deps.baseFor(phone), missedKey: deps.missedKey(phone) });
    } catch (e) {
      return record(phone, now, view, { ok: false, kind: 'error', message: (e as Error).message }, '');
    }
    const address = pushAddressOf(phone);
    // Same text (a Cisco push only names the page that has it) to the same place with the same
    // secret: the phone already shows it.
    const key = JSON.stringify([view.headline, view.detail, requests.map((r) => r.body), address, phone.push?.password ?? '']);
    if (!s.force && key === s.lastKey) return;
    if (address === null) return record(phone, now, view, { ok: false, kind: 'unreachable', message: 'no address: the phone was never seen and has no push address' }, '');
    s.running = true;
    s.force = false;
    s.lastSentAt = now;
    try {
      const password = phone.push?.password;
      let outcome: PushOutcome = { ok: true, status: 200 };
      const deadline = Date.now() + config.timeoutMs;
      for (const r of requests) {
        if (Buffer.byteLength(r.body) > vendorPush.maxBytes) { outcome = { ok: false, kind: 'error', message: `a ${r.purpose} push is larger than the phone takes` }; break; }
        outcome = await sendPush({
          address, path: r.path, contentType: r.contentType, body: r.body, deadline,
          credentials: password === undefined || password === '' ? null : { user: vendorPush.user, password },
        });
        if (!outcome.ok) break;
      }
      if (outcome.ok) s.lastKey = key;
      // Still "running" until the state is durable: a run that starts meanwhile would read the old one.
      await record(phone, now, view, outcome, `${address.host}:${address.port}`);
      if (outcome.ok && view.count > 0 && config.refreshMs > 0) schedule(mac, now + config.refreshMs, true);
    } finally {
      s.running = false;
    }
    if (s.again) { s.again = false; mark(mac); }
  }

  async function record(phone: Phone, now: number, view: PushView, outcome: PushOutcome, address: string): Promise<void> {
    // A push that outlived close(): the store may be closing, and nothing is retried any more.
    if (closed) return;
    const at = new Date(now).toISOString();
    const prev = store.get('pushStates', phone.mac);
    let next: PushState;
    if (outcome.ok) {
      next = { id: phone.mac, state: 'ok', since: prev?.state === 'ok' ? prev.since : at, lastAttemptAt: at, lastOkAt: at, failures: 0, retryAt: null, error: null, address, showing: view.count > 0 };
    } else {
      const failures = (prev?.state === 'ok' || prev === undefined ? 0 : prev.failures) + 1;
      const delay = Math.min(config.retryMaxMs, config.retryMinMs * 2 ** Math.min(failures - 1, 20));
      next = {
        id: phone.mac, state: outcome.kind, since: prev?.state === outcome.kind ? prev.since : at, lastAttemptAt: at, lastOkAt: prev?.lastOkAt ?? null,
        failures, retryAt: new Date(now + delay).toISOString(), error: outcome.message, address, showing: prev?.showing ?? false,
      };
      deps.log(failures === 1 ? 'warn' : 'debug', 'push to a phone failed', { mac: phone.mac, state: next.state, error: next.error, failures, retryInMs: delay });
      schedule(phone.mac, now + delay, true);
    }
    // Durable only when something an admin would see changed: a run of successes writes nothing.
    const changed = prev === undefined || prev.state !== next.state || prev.failures !== next.failures || prev.showing !== next.showing || prev.address !== next.address;
    // Awaited: reads show only durable state, so the next run (and idle()) must see this one's.
    if (changed) await store.commit([{ t: 'put', c: 'pushStates', id: phone.mac, v: next }]).catch((err: unknown) => deps.log('warn', 'could not keep a push state', { mac: phone.mac, err: String(err) }));
    deps.onAttempt?.(phone.mac, next);
  }

  return {
    onChange(changes) {
      if (!config.enabled || closed) return;
      try {
        const now = scheduler.now();
        const teams = new Set<string>();
        const macs = new Set<string>();
        const settling: MissedCall[] = [];
        let removed = false;
        for (const c of changes) {
          if (c.t === 'missed') {
            // An entry that has not settled and that no phone counts changes no screen now, only
            // when it settles: a timer, not a recount of every open entry at each event.
            if (Date.parse(c.v.settlesAt) <= now || countedAnywhere(c.v.id)) teams.add(c.v.team);
            else if (c.v.status === 'pending' || c.v.status === 'assigned') settling.push(c.v);
          }
          else if (c.t === 'del-missed') removed = true;
          else if (c.t === 'phone') macs.add(c.v.mac);
          else if (c.t === 'team') teams.add(c.v.id);
        }
        for (const p of phonesOfTeams(teams)) macs.add(p.mac);
        for (const m of settling) {
          for (const p of phonesOfTeams(new Set([m.team]))) if (!macs.has(p.mac)) schedule(p.mac, Date.parse(m.settlesAt) + 1);
        }
        // A deleted entry no longer names its team: every phone that shows a banner re-checks.
        if (removed) for (const [mac, s] of slots) if (s.lastKey !== null || store.get('pushStates', mac)?.showing === true) macs.add(mac);
        for (const mac of macs) {
          const phone = store.phone(mac);
          if (phone !== undefined && pushOf(phone) !== undefined) mark(mac);
        }
      } catch (err) {
        deps.log('warn', 'push: could not mark phones', { err: String(err) });
      }
    },
    refreshAll() {
      if (!config.enabled) return;
      for (const p of store.phones()) if (pushOf(p) !== undefined) mark(p.mac);
    },
    touchPhone(mac) {
      const phone = store.phone(mac);
      if (config.enabled && phone !== undefined && pushOf(phone) !== undefined) mark(mac);
    },
    idle() {
      if (active === 0 && queue.size === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    close() {
      closed = true;
      for (const s of slots.values()) if (s.timer !== null) scheduler.clear(s.timer);
      queue.clear();
    },
  };
}
