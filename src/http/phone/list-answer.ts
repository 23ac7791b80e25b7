/** @module The team's missed-call list as a phone gets it, rendered once and reused while nothing it shows changed. */
import { missedListScreen } from '../../screens/missed.ts';
import type { Rendered } from '../../vendors/types.ts';
import type { PhoneContext } from './context.ts';
import { openScreen, type PhoneScreenDeps } from './screen-state.ts';

/** The rendered list for a phone identified by `ctx`, reached at `base`. */
export type ListAnswer = (ctx: PhoneContext, base: string) => Promise<Rendered>;

/**
 * Phones poll the list (idle refresh, every key press): one rendered list per phone, reused while
 * nothing in the store changed and the minute shown ("2 min ago") is the same. One entry per phone
 * (by MAC), so the cache is as large as the inventory.
 */
export function listAnswer(deps: PhoneScreenDeps): ListAnswer {
  const lists = new Map<string, { key: string; out: Rendered }>();
  return async (ctx, base) => {
    const { state, calls } = await openScreen(deps, ctx, base);
    const page = pageOf(ctx.query['p']);
    const key = `${deps.store.revision()}|${page}|${Math.floor(Date.parse(state.now) / 60_000)}|${ctx.vendor.name}|${state.urls.list(0)}`;
    const hit = lists.get(ctx.phone.mac);
    const out = hit?.key === key ? hit.out : ctx.vendor.renderScreen(missedListScreen(calls(), page, state));
    lists.set(ctx.phone.mac, { key, out });
    return out;
  };
}

function pageOf(p: string | undefined): number {
  const n = Number(p);
  return Number.isInteger(n) && n >= 0 && n < 10_000 ? n : 0;
}
