/**
 * @module Where a phone reaches us: every `/phone/<vendor>/…` URL (DESIGN §6) is built here, each
 * carrying the phone's token: its action URLs, its missed-call screens and the idle banner page.
 */
import type { CallbackOutcome } from '../domain/types.ts';
import type { PhoneAction, ScreenUrls, SubScreen } from './missed.ts';

export interface PhoneEndpoints extends ScreenUrls {
  /** Action URLs and notifications, `…/event?t=<token>`: vendors append their own `&e=…` parameters. */
  event: string;
  /** The idle banner as a page (what a Cisco push names). */
  waiting: string;
}

/** `base` is the server as the phone reaches it; `token` as stored (the dashboard preview passes a URL-safe placeholder). */
export function phoneEndpoints(base: string, vendor: string, token: string): PhoneEndpoints {
  const at = `${base}/phone/${vendor}`;
  const t = `t=${encodeURIComponent(token)}`;
  const root = `${at}/missed`;
  const one = (id: string) => `${root}/${encodeURIComponent(id)}`;
  return {
    event: `${at}/event?${t}`,
    waiting: `${at}/waiting?${t}`,
    list: (page: number) => (page > 0 ? `${root}?${t}&p=${page}` : `${root}?${t}`),
    detail: (id: string) => `${one(id)}?${t}`,
    outcomes: (id: string) => `${one(id)}/outcome?${t}`,
    outcomesOfSelection: () => `${root}/selected/outcome?${t}`,
    sub: (id: string, screen: SubScreen) => `${one(id)}/${screen}?${t}`,
    action: (id: string, action: PhoneAction, outcome?: CallbackOutcome, at?: string) =>
      `${one(id)}/${action}?${t}${outcome === undefined ? '' : `&outcome=${outcome}`}${at === undefined ? '' : `&at=${encodeURIComponent(at)}`}`,
  };
}
