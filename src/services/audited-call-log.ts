/**
 * @module The call log with phone softkey actions put into the audit trail. API actions are audited
 * by their route (which knows the principal); automatic changes (a callback dialled from a team
 * phone, a later answered call) stay in each entry's own history.
 */
import type { Store } from '../store/types.ts';
import type { Audit } from './audit.ts';
import type { CallLog } from './call-log.ts';

export function auditedCallLog(callLog: CallLog, deps: { audit: Audit; store: Store }): CallLog {
  return {
    ...callLog,
    async act(id, request) {
      const before = deps.store.missedCall(id) ?? await deps.store.history.missedCall(id);
      const result = await callLog.act(id, request);
      if (request.via === 'phone' && result?.ok === true && result.changed) {
        await deps.audit.record({
          actor: { kind: 'phone', id: null, name: request.actor, role: null }, ip: null, action: `missed-call.${request.action}`,
          outcome: 'ok', target: { type: 'missed-call', id }, team: result.call.team, subject: null,
          details: { from: before?.status ?? null, to: result.call.status, outcome: request.outcome ?? null, via: 'phone' },
        });
      }
      return result;
    },
  };
}
