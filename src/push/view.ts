/** @module How the API shows a phone's push settings and state: never the secret. */
import type { Phone } from '../domain/types.ts';
import { vendors } from '../vendors/index.ts';
import { pushAddressOf } from './service.ts';
import type { PushState } from './types.ts';

export function pushSettingsView(p: Phone, state: PushState | undefined) {
  const address = pushAddressOf(p);
  return {
    /** Whether the vendor documents a push to the idle screen (Yealink, Poly, Cisco). */
    supported: vendors[p.vendor].push !== undefined,
    enabled: p.push?.enabled !== false,
    /** The address set in the inventory, or null (then: where the phone was last seen from). */
    address: p.push?.address ?? null,
    /** Where pushes go now. */
    target: address === null ? null : `${address.host.includes(':') ? `[${address.host}]` : address.host}:${address.port}`,
    hasPassword: (p.push?.password ?? '') !== '',
    /** `ok`, `unreachable`, `rejected`, `error`, or `never` before the first push. */
    state: state?.state ?? 'never',
    since: state?.since ?? null,
    lastAttemptAt: state?.lastAttemptAt ?? null,
    lastOkAt: state?.lastOkAt ?? null,
    failures: state?.failures ?? 0,
    retryAt: state?.retryAt ?? null,
    error: state?.error ?? null,
    showing: state?.showing ?? false,
  };
}
