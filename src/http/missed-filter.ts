/** @module The missed-call list's filters (`team`, `status`, `caller`, `from`, `to`), shared by the list and its exports. */
import type { Request } from 'express';
import { normaliseNumber } from '../domain/numbers.ts';
import type { MissedCall, MissedStatus } from '../domain/types.ts';
import type { MissedQuery, Store } from '../store/types.ts';
import { teamScope } from './api-access.ts';
import { instant, oneOf, single } from './api-query.ts';

export const MISSED_STATUSES: readonly MissedStatus[] = ['pending', 'assigned', 'returned', 'ignored', 'closed'];

export interface MissedFilter {
  /** Echo of what was asked, for the audit trail (the caller text is not kept: it may be a number). */
  asked: { team: string | null; status: string | null; caller: boolean; from: string | null; to: string | null };
  /** Matching entries, newest first, within the principal's teams. Lazy. */
  entries(): Generator<MissedCall>;
}

export function missedFilter(req: Request, store: Store, country: string): MissedFilter {
  const q = req.query as Record<string, unknown>;
  const team = single(q, 'team');
  const status = oneOf(q, 'status', MISSED_STATUSES);
  const callerText = single(q, 'caller', 64);
  const from = instant(q, 'from');
  const to = instant(q, 'to');
  const scope = teamScope(req, team);
  const callerKey = callerText === undefined ? undefined : normaliseNumber(callerText, country).key;
  const query: MissedQuery = {
    ...(team === undefined ? {} : { team }), ...(status === undefined ? {} : { status }),
    ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }),
  };
  const teams = scope === null ? null : new Set(scope);
  return {
    asked: { team: team ?? null, status: status ?? null, caller: callerText !== undefined, from: from ?? null, to: to ?? null },
    *entries() {
      for (const m of store.missedCalls(query)) {
        if (teams !== null && !teams.has(m.team)) continue;
        // An empty key (text that is no number) must not match every anonymous caller.
        if (callerText !== undefined && (callerKey === '' || m.caller.key !== callerKey) && !m.caller.raw.includes(callerText) &&
          !m.callerName.toLowerCase().includes(callerText.toLowerCase())) continue;
        yield m;
      }
    },
  };
}
