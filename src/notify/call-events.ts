/**
 * @module What a team's open missed calls call for at `now`, pure: announcements of settled misses,
 * escalation steps (recorded in each call's history) and the morning digest — each with who is told
 * and under which delivery rules.
 */
import { dueDigests } from '../domain/digest.ts';
import { dueEscalation, recordEscalation, type EscalationDue } from '../domain/escalation.ts';
import type { MissedCall, Team } from '../domain/types.ts';
import { memberNamed, type TeamNotifySettings } from './settings.ts';
import type { DeliveryRules, NotifyEvent, Recipient } from './types.ts';
import type { IsVip } from './vip.ts';

/** An event with its recipients. */
export interface Routed {
  event: NotifyEvent;
  recipients: Recipient[];
  rules: DeliveryRules;
}

export interface TeamScan {
  /** Calls whose history gained an escalation step. */
  calls: MissedCall[];
  routed: Routed[];
}

/** A settled miss older than this is not announced any more (a restart after days must not flood anyone). */
export const ANNOUNCE_MAX_AGE_MS = 24 * 3_600_000;

/**
 * - A settled, unclaimed miss in business hours is announced to the team's channels (claimed ones
 *   already have an owner). A miss after hours waits for the morning digest — unless the caller is a
 *   VIP, whose misses go out at once, urgent, day or night.
 * - A call past its target climbs the ladder one step at a time.
 */
export function scanTeam(team: Team, settings: TeamNotifySettings, open: readonly MissedCall[], now: string, isVip: IsVip): TeamScan {
  const scan: TeamScan = { calls: [], routed: [] };
  const rules = (urgent: boolean): DeliveryRules => ({
    urgent, quiet: settings.quietHours, timeZone: team.timeZone, windowMinutes: settings.windowMinutes,
  });
  const oldest = new Date(Date.parse(now) - ANNOUNCE_MAX_AGE_MS).toISOString();
  for (const call of open) {
    if (call.settlesAt > now) continue;
    const vip = call.caller.key !== '' && isVip(call.caller.key);
    if (call.status === 'pending' && (!call.afterHours || vip) && call.settlesAt >= oldest) {
      scan.routed.push({
        event: { kind: 'missed', key: `missed:${call.id}`, at: call.settlesAt, teamId: team.id, callId: call.id },
        recipients: settings.channels, rules: rules(vip),
      });
    }
    const due = dueEscalation(call, team, settings, now);
    if (due === null) continue;
    const recipients = ladderRecipients(settings, due);
    scan.calls.push(recordEscalation(call, due, now, escalationNote(due, recipients, settings)));
    scan.routed.push({
      event: {
        kind: 'escalation', key: `escalation:${call.id}:${due.step}`, at: now, teamId: team.id, callId: call.id, step: due.step,
        targetMinutes: settings.targetMinutes, businessMinutes: due.businessMinutes, claimer: due.claimer,
      },
      recipients, rules: rules(vip),
    });
  }
  for (const digest of dueDigests(team, open, now)) {
    scan.routed.push({
      event: { kind: 'morning-digest', key: `morning:${team.id}:${digest.opening}`, at: digest.opening, teamId: team.id, opening: digest.opening },
      recipients: settings.channels, rules: rules(false),
    });
  }
  return scan;
}

// --- Internal helpers ---

/** Step one reminds the claimer (or, unclaimed or unreachable, the team's channels); then the lead; then the manager. */
function ladderRecipients(s: TeamNotifySettings, due: EscalationDue): Recipient[] {
  switch (due.step) {
    case 'claimer': {
      const member = due.claimer === null ? undefined : memberNamed(s, due.claimer);
      return member === undefined ? s.channels : [member];
    }
    case 'lead':
      return s.lead === null ? [] : [s.lead];
    case 'manager':
      return s.manager === null ? [] : [s.manager];
  }
}

function escalationNote(due: EscalationDue, recipients: readonly Recipient[], s: TeamNotifySettings): string {
  const waited = `${due.businessMinutes} business minutes without a callback (target ${s.targetMinutes})`;
  if (recipients.length === 0) return `${waited}; no ${due.step} to notify is configured`;
  return `${waited}; notified ${recipients.map((r) => r.name).join(', ')}`;
}
