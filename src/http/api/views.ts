/** @module What the API shows of stored records: secrets never leave, internals stay in. */
import { callingBackNow } from '../../domain/callback-calls.ts';
import { callbackAttempts } from '../../domain/callbacks.ts';
import { isWaiting, rankAt } from '../../domain/callback-schedule.ts';
import type { CallAttempt, MissedCall, Phone, Team } from '../../domain/types.ts';
import type { PushState } from '../../push/types.ts';
import { pushSettingsView } from '../../push/view.ts';

/** A phone as the API shows it; `push` joins its settings (never the secret) and how its pushes go. */
export function phoneView(p: Phone, pushState?: PushState) {
  return {
    mac: p.mac, vendor: p.vendor, model: p.model, label: p.label, userName: p.userName, extension: p.extension,
    lines: p.lines.map((l) => ({
      extension: l.extension, sipUser: l.sipUser ?? null, sipServer: l.sipServer ?? null, hasSipPassword: (l.sipPassword ?? '') !== '',
    })),
    teamIds: p.teamIds, lastSeen: p.lastSeen, firmware: p.firmware, clockSkewMs: p.clockSkewMs, createdAt: p.createdAt,
    push: pushSettingsView(p, pushState),
  };
}

export function teamView(t: Team) {
  return t;
}

/** DESIGN §6 item shape, plus the grouped attempt times, callbacks and the rule that made it missed. */
export function missedView(m: MissedCall, now: string) {
  return {
    id: m.id,
    caller: { number: m.caller.e164 ?? m.caller.key, raw: m.caller.raw, name: m.callerName },
    team: m.team, extension: m.extension, firstAt: m.firstAt, lastAt: m.lastAt,
    attempts: m.attemptIds.length, attemptTimes: m.attemptTimes, ringSeconds: m.ringSeconds, afterHours: m.afterHours,
    status: m.status, assignee: m.assignee, assignedAt: m.assignedAt,
    returned: m.returned === null ? null : { at: m.returned.at, by: m.returned.by, via: m.returned.via, outcome: m.returned.outcome },
    callbacks: m.callbacks, rule: m.rule, settled: m.settlesAt <= now, history: m.history,
    // Added fields: how often someone tried to call back, and who is dialling the caller right now.
    callbackAttempts: callbackAttempts(m), callingBack: callingBackNow(m, now),
    scheduled: m.scheduled ?? null, waiting: isWaiting(m, now), rankAt: rankAt(m),
  };
}

export function attemptView(a: CallAttempt) {
  const { seen: _internal, ...view } = a;
  return view;
}
