/**
 * @module The missed-call list's filters (`team`, `status`, `caller`, `from`, `to`), shared by the list and its exports.
 * `caller` matches a number in any format, or (for principals who see numbers) part of a number or name.
 */
import type { Request } from 'express';
import { normaliseNumber } from '../../domain/numbers.ts';
import type { MissedCall, MissedStatus } from '../../domain/types.ts';
import type { Cursor, MissedQuery, Store } from '../../store/types.ts';
import { teamScope } from './auth/access.ts';
import { principalOf } from './auth/principal.ts';
import { instant, oneOf, single } from './query.ts';

export const MISSED_STATUSES: readonly MissedStatus[] = ['pending', 'assigned', 'returned', 'ignored', 'closed'];
/** `open` = pending or claimed: the desk's default view ("not yet called back"). */
const STATUS_FILTERS = [...MISSED_STATUSES, 'open'] as const;

export interface MissedFilter {
  /** Echo of what was asked, for the audit trail (the caller text is not kept: it may be a number). */
  asked: { team: string | null; status: string | null; caller: boolean; from: string | null; to: string | null };
  /**
   * Matching entries of every day kept, newest first, within the principal's teams, strictly after
   * `after` if given (a page cursor). Lazy: stop iterating and no more history is read.
   */
  entries(after?: Cursor): AsyncGenerator<MissedCall>;
}

export function missedFilter(req: Request, store: Store, country: string): MissedFilter {
  const q = req.query as Record<string, unknown>;
  const team = single(q, 'team');
  const asked = oneOf(q, 'status', STATUS_FILTERS);
  const status = asked === 'open' ? undefined : asked;
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
  // An empty key (text that is no number) must not match every anonymous caller. A principal who
  // sees numbers masked may only look up a whole number: a substring match would answer "does the
  // number contain 3?" and give the number away digit by digit (and the name often is the number).
  const masked = principalOf(req).numbers === 'masked';
  const callerMatches = (m: MissedCall): boolean => {
    if (callerText === undefined) return true;
    if (callerKey !== '' && m.caller.key === callerKey) return true;
    return !masked && (m.caller.raw.includes(callerText) || m.callerName.toLowerCase().includes(callerText.toLowerCase()));
  };
  return {
    asked: { team: team ?? null, status: asked ?? null, caller: callerText !== undefined, from: from ?? null, to: to ?? null },
    async* entries(after?: Cursor) {
      for await (const m of store.history.missedCalls(after === undefined ? query : { ...query, after })) {
        if (teams !== null && !teams.has(m.team)) continue;
        if (asked === 'open' && m.status !== 'pending' && m.status !== 'assigned') continue;
        if (callerText !== undefined && !callerMatches(m)) continue;
        yield m;
      }
    },
  };
}
