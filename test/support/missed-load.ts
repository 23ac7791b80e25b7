/** Test support: missed calls fired at a real server process by concurrent phones, and read back. */
import assert from 'node:assert/strict';
import { ADMIN } from './app.ts';
import { fillActionUrl } from './phone-sim.ts';

const headers = { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' };

export async function api<T>(base: string, path: string, body?: object): Promise<T> {
  const r = await fetch(`${base}${path}`, { method: body === undefined ? 'GET' : 'POST', headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  if (!r.ok) assert.fail(`${path}: ${r.status} ${await r.text()}`);
  return (await r.json()) as T;
}

export const MAC = '805ec0000011';

/** A team with one Yealink phone: its missed-call action URL template and its list screen (paths). */
export async function deskPhone(base: string): Promise<{ template: string; screen: string }> {
  const team = await api<{ id: string }>(base, '/api/teams', { name: 'Reception', extensions: ['11'] });
  const phone = await api<{ urls: { events: Record<string, string>; screen: string } }>(base, '/api/phones',
    { mac: MAC, vendor: 'yealink', extension: '11', teamIds: [team.id] });
  const path = (url: string) => url.replace(/^https?:\/\/[^/]+/, '');
  return { template: path(phone.urls.events['action_url.missed_call']!), screen: path(phone.urls.screen) };
}

/** A team with one Yealink phone; returns the phone's missed-call action URL template. */
export async function missedCallUrl(base: string): Promise<string> {
  return (await deskPhone(base)).template;
}

/** The action URL of one missed call from `caller`, against `base`. */
export function missedCall(base: string, template: string, caller: string): string {
  return base + fillActionUrl(template, { remote: `sip:${caller}@pbx`, active_user: '11', mac: MAC, call_id: caller, display_remote: '' });
}

export interface LoadResult {
  acked: string[];
  /** status → count of answers that were not 200 */
  refused: Map<number, number>;
  /** Callers whose event was answered but not with 200: never acknowledged. */
  refusedCallers: string[];
  /** 503 answers that had no Retry-After header */
  without503RetryAfter: number;
}

/**
 * `concurrency` phones fire missed calls from callers `prefix` + 0, 1, 2… until `count` were sent or
 * `stop()` says so. A caller counts as acknowledged only when its 200 arrived.
 */
export async function fireMissedCalls(base: string, template: string, o: {
  prefix: string; count: number; concurrency: number; stop?: (r: LoadResult) => boolean; onAnswer?: (r: LoadResult) => void;
}): Promise<LoadResult> {
  const result: LoadResult = { acked: [], refused: new Map(), refusedCallers: [], without503RetryAfter: 0 };
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < o.count && o.stop?.(result) !== true) {
      const caller = `${o.prefix}${String(1_000_000 + next++)}`;
      try {
        const r = await fetch(missedCall(base, template, caller));
        await r.arrayBuffer();
        if (r.status === 200) {
          result.acked.push(caller);
        } else {
          result.refused.set(r.status, (result.refused.get(r.status) ?? 0) + 1);
          result.refusedCallers.push(caller);
          if (r.status === 503 && !/^\d+$/.test(r.headers.get('retry-after') ?? '')) result.without503RetryAfter += 1;
        }
      } catch {
        // In flight when the server died: never acknowledged, so it may be lost.
      }
      o.onAnswer?.(result);
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, worker));
  return result;
}

/** Every caller number in the missed-call list, through the API's pages. */
export async function listedCallers(base: string): Promise<Set<string>> {
  const found = new Set<string>();
  let cursor: string | null = null;
  do {
    const page: { items: { caller: { number: string } }[]; nextCursor: string | null } =
      await api(base, `/api/missed-calls?limit=500${cursor === null ? '' : `&cursor=${cursor}`}`);
    for (const m of page.items) found.add(m.caller.number);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return found;
}
