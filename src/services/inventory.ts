/** @module Teams and phones: validation, tokens, and what an admin puts into a phone. */
import { randomBytes, randomUUID } from 'node:crypto';
import { describeIssues } from '../domain/issues.ts';
import { normaliseNumber } from '../domain/numbers.ts';
import type { Phone, PhonePush, Team } from '../domain/types.ts';
import type { Store } from '../store/types.ts';
import { phoneEndpoints } from '../screens/phone-urls.ts';
import { vendors } from '../vendors/index.ts';
import {
  phoneInput, phonePatch, teamInput, teamPatch, type PhoneInput, type PushInput,
} from './inventory-input.ts';
import { failure, invalid, notFound, type Result } from '../domain/result.ts';
import { catchUpWithOthers, lookUpWithOthers } from '../cluster/follow.ts';
import { retryOnConflict } from '../cluster/retry.ts';

export interface InventoryOptions {
  store: Store;
  country: string;
  defaultTimeZone: string;
  now: () => Date;
}

/** The URLs an admin enters into a phone (or that provisioning writes into its config). */
export interface PhoneUrls {
  events: Record<string, string>;
  screen: string;
}

export function newToken(): string {
  return randomBytes(18).toString('base64url');
}

export function phoneUrls(base: string, phone: Phone): PhoneUrls {
  const at = phoneEndpoints(base, phone.vendor, phone.token);
  return { events: vendors[phone.vendor].eventUrls?.(at.event) ?? {}, screen: at.list(0) };
}

export function createInventory(opts: InventoryOptions) {
  const { store } = opts;
  const numberKey = (n: string) => normaliseNumber(n, opts.country).key;

  /** Several instances: what is not here may have been committed on another one a moment ago. */
  const found = <T>(look: () => T | undefined): Promise<T | undefined> => lookUpWithOthers(store, look);

  async function unknownTeams(ids: readonly string[]): Promise<string[]> {
    const unknown = (): string[] => ids.filter((id) => store.team(id) === undefined);
    if (unknown().length > 0) await catchUpWithOthers(store);
    return unknown();
  }

  const ops = {
    async createTeam(body: unknown): Promise<Result<Team>> {
      const p = teamInput.safeParse(body);
      if (!p.success) return invalid(describeIssues(p.error));
      const team: Team = {
        id: randomUUID(), name: p.data.name, extensions: unique(p.data.extensions), numbers: unique(p.data.numbers.map(numberKey)),
        timeZone: p.data.timeZone ?? opts.defaultTimeZone, createdAt: opts.now().toISOString(),
        ...(p.data.policy === undefined ? {} : { policy: stripUndefined(p.data.policy) }),
        ...(p.data.businessHours === undefined ? {} : { businessHours: p.data.businessHours }),
      };
      await store.commit([{ t: 'team', v: team }]);
      return { ok: true, value: team };
    },

    async updateTeam(id: string, body: unknown): Promise<Result<Team>> {
      const team = await found(() => store.team(id));
      if (team === undefined) return notFound('team');
      const p = teamPatch.safeParse(body);
      if (!p.success) return invalid(describeIssues(p.error));
      const d = p.data;
      const next: Team = {
        ...team,
        ...(d.name === undefined ? {} : { name: d.name }),
        ...(d.extensions === undefined ? {} : { extensions: unique(d.extensions) }),
        ...(d.numbers === undefined ? {} : { numbers: unique(d.numbers.map(numberKey)) }),
        ...(d.timeZone === undefined ? {} : { timeZone: d.timeZone }),
        ...(d.policy === undefined ? {} : { policy: stripUndefined(d.policy) }),
        ...(d.businessHours === undefined || d.businessHours === null ? {} : { businessHours: d.businessHours }),
      };
      if (d.businessHours === null) delete next.businessHours;
      await store.commit([{ t: 'team', v: next }]);
      return { ok: true, value: next };
    },

    async deleteTeam(id: string): Promise<Result<null>> {
      if (await found(() => store.team(id)) === undefined) return notFound('team');
      const users = store.phones().filter((p) => p.teamIds.includes(id)).map((p) => p.mac);
      if (users.length > 0) return failure('team_in_use', `phones still in this team: ${users.join(', ')}`);
      await store.commit([{ t: 'del-team', id }]);
      return { ok: true, value: null };
    },

    async createPhone(body: unknown): Promise<Result<Phone>> {
      const p = phoneInput.safeParse(body);
      if (!p.success) return invalid(describeIssues(p.error));
      if (store.phone(p.data.mac) !== undefined) return failure('exists', `phone ${p.data.mac} exists`);
      const unknown = await unknownTeams(p.data.teamIds);
      if (unknown.length > 0) return invalid(`teamIds: unknown team ${unknown.join(', ')}`);
      const phone = buildPhone(p.data, newToken(), opts.now().toISOString());
      await store.commit([{ t: 'phone', v: phone }]);
      return { ok: true, value: phone };
    },

    async updatePhone(mac: string, body: unknown): Promise<Result<Phone>> {
      const phone = await found(() => store.phone(mac.toLowerCase()));
      if (phone === undefined) return notFound('phone');
      const p = phonePatch.safeParse(body);
      if (!p.success) return invalid(describeIssues(p.error));
      const unknown = await unknownTeams(p.data.teamIds ?? []);
      if (unknown.length > 0) return invalid(`teamIds: unknown team ${unknown.join(', ')}`);
      const d = p.data;
      // A new extension alone moves the primary line with it (its SIP user and password stay), so the
      // phone's config and its event matching keep agreeing on the extension.
      const lines = d.lines?.map((l) => stripUndefined(l)) ??
        (d.extension === undefined ? phone.lines : phone.lines.map((l, i) => (i === 0 ? { ...l, extension: d.extension ?? l.extension } : l)));
      const next: Phone = {
        ...phone,
        ...(d.vendor === undefined ? {} : { vendor: d.vendor }),
        ...(d.model === undefined ? {} : { model: d.model }),
        ...(d.label === undefined ? {} : { label: d.label }),
        ...(d.userName === undefined ? {} : { userName: d.userName }),
        ...(d.teamIds === undefined ? {} : { teamIds: unique(d.teamIds) }),
        ...(d.push === undefined ? {} : { push: mergePush(phone.push, d.push) }),
        lines,
        extension: d.extension ?? (d.lines === undefined ? phone.extension : lines[0]?.extension ?? phone.extension),
      };
      await store.commit([{ t: 'phone', v: next }]);
      return { ok: true, value: next };
    },

    async deletePhone(mac: string): Promise<Result<null>> {
      const phone = await found(() => store.phone(mac.toLowerCase()));
      if (phone === undefined) return notFound('phone');
      await store.commit([{ t: 'del-phone', mac: phone.mac }]);
      return { ok: true, value: null };
    },

    /** A leaked URL is fixed by a new token: the old one stops working at once. */
    async rotateToken(mac: string): Promise<Result<Phone>> {
      const phone = await found(() => store.phone(mac.toLowerCase()));
      if (phone === undefined) return notFound('phone');
      const next = { ...phone, token: newToken() };
      await store.commit([{ t: 'phone', v: next }]);
      return { ok: true, value: next };
    },
  };
  // Several instances: an edit built on a view that missed another instance's commit to the same
  // team or phone (an edit there, the phone's last contact recorded there) is decided again on it.
  const retried = <A extends unknown[], R>(f: (...args: A) => Promise<R>) => (...args: A): Promise<R> => retryOnConflict(() => f(...args));
  return {
    createTeam: retried(ops.createTeam), updateTeam: retried(ops.updateTeam), deleteTeam: retried(ops.deleteTeam),
    createPhone: retried(ops.createPhone), updatePhone: retried(ops.updatePhone), deletePhone: retried(ops.deletePhone),
    rotateToken: retried(ops.rotateToken),
  };
}

export type Inventory = ReturnType<typeof createInventory>;

// --- Internal helpers ---

function buildPhone(d: PhoneInput, token: string, at: string): Phone {
  const lines = (d.lines ?? [{ extension: d.extension ?? '' }]).map((l) => stripUndefined(l));
  const label = d.label !== '' ? d.label : `${d.vendor} ${d.extension ?? lines[0]?.extension ?? ''}`.trim();
  return {
    mac: d.mac, vendor: d.vendor, model: d.model, label, extension: d.extension ?? lines[0]?.extension ?? '',
    lines, teamIds: unique(d.teamIds), token, userName: d.userName ?? label, lastSeen: null, firmware: null,
    clockSkewMs: null, createdAt: at,
    // Phones that take pushes get their own push secret at once, so provisioning can set it.
    ...(vendors[d.vendor].push === undefined && d.push === undefined ? {} : { push: mergePush({ password: newToken() }, d.push ?? {}) }),
  };
}

/** A push patch over the stored settings: null removes a field, absent keeps it. */
function mergePush(current: PhonePush | undefined, patch: PushInput): PhonePush {
  const next: PhonePush = { ...current };
  if (patch.address === null) delete next.address;
  else if (patch.address !== undefined) next.address = patch.address;
  if (patch.password === null) delete next.password;
  else if (patch.password !== undefined) next.password = patch.password;
  if (patch.enabled !== undefined) next.enabled = patch.enabled;
  return next;
}

function unique<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}

/** zod's optional fields come back as `undefined`; our records omit them (exactOptionalPropertyTypes). */
function stripUndefined<T extends object>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}
