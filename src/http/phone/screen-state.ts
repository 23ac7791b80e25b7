/**
 * @module What every phone screen starts from: the phone's last contact noted, the teams it serves,
 * the screen state (title, zone, limits, its URLs) and its calls. Shared by the Express screen
 * routes and the list's front route, so both build the same screen.
 */
import { phoneDestinations } from '../../domain/destination.ts';
import type { MissedCall } from '../../domain/types.ts';
import type { ScreenState } from '../../screens/missed.ts';
import { phoneEndpoints } from '../../screens/phone-urls.ts';
import type { CallLog } from '../../services/call-log.ts';
import { isStoreUnavailable } from '../../store/unavailable.ts';
import type { PhoneContext, PhoneContextDeps } from './context.ts';

export interface PhoneScreenDeps extends PhoneContextDeps {
  callLog: CallLog;
  now: () => Date;
  publicUrl: string | null;
  /** Zone for phones in no team. */
  defaultTimeZone: string;
  /** The directory contact of a caller (screens show its name). */
  contactOf?: ScreenState['contactOf'];
}

export interface OpenScreen {
  ctx: PhoneContext;
  state: ScreenState;
  /** The phone's teams' open entries, newest first (the screen builder puts them in list order). */
  calls(): MissedCall[];
  /** One entry by id, only if it is one of the phone's teams'. */
  call(id: string | undefined): Promise<MissedCall | undefined>;
}

/** `base`: the URL the phone reached us at (publicBase), for the links on the screen. */
export async function openScreen(deps: PhoneScreenDeps, ctx: PhoneContext, base: string): Promise<OpenScreen> {
  const now = deps.now().toISOString();
  // On a full disk the list is still shown (it is read from memory); only lastSeen is not kept.
  await deps.callLog.touch(ctx.phone, ctx.ip, 'screen', now).catch((err: unknown) => {
    if (!isStoreUnavailable(err)) throw err;
  });
  const { teams, served: destinations } = phoneDestinations(ctx.phone, deps.store.teams());
  const state: ScreenState = {
    title: teams.length === 1 ? teams[0]?.name ?? 'Missed calls' : 'Missed calls',
    now,
    timeZone: teams[0]?.timeZone ?? deps.defaultTimeZone,
    limits: ctx.vendor.limits,
    urls: phoneEndpoints(base, ctx.vendor.name, ctx.phone.token),
    ...(deps.contactOf === undefined ? {} : { contactOf: deps.contactOf }),
    viewer: ctx.phone.userName,
    ...(teams[0]?.businessHours === undefined ? {} : { businessHours: teams[0].businessHours }),
  };
  const calls = (): MissedCall[] => mergeNewestFirst(destinations.map((d) => deps.store.openMissed(d)));
  // A phone sees only its own teams' calls, whatever id it asks for. A closed entry of an older day
  // (a reopen from its detail screen) is history.
  const call = async (id: string | undefined): Promise<MissedCall | undefined> => {
    const m = id === undefined ? undefined : deps.store.missedCall(id) ?? await deps.store.history.missedCall(id);
    return m !== undefined && destinations.includes(m.team) ? m : undefined;
  };
  return { ctx, state, calls, call };
}

function mergeNewestFirst(lists: MissedCall[][]): MissedCall[] {
  if (lists.length === 1) return lists[0] ?? [];
  const byId = new Map<string, MissedCall>();
  for (const list of lists) for (const m of list) byId.set(m.id, m);
  return [...byId.values()].sort((a, b) => (a.lastAt < b.lastAt ? 1 : a.lastAt > b.lastAt ? -1 : 0));
}
