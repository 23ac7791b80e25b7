/**
 * @module Turns a queued event into the item a recipient reads — just before it goes out, from the
 * calls as they stand then. That is how repeat attempts fold into the message, and how a call handled
 * (or answered elsewhere) while its message waited is dropped instead of sent.
 */
import { isOpen } from '../domain/callbacks.ts';
import { digestCalls, groupByCaller } from '../domain/digest.ts';
import type { HealthIncident } from '../domain/incidents.ts';
import { formatLocalTime } from '../domain/schedule.ts';
import type { MissedCall, Team } from '../domain/types.ts';
import type { CallSummary, CallerSummary, NotificationItem, NotifyEvent } from './types.ts';

/** What describing reads: the store's view plus the VIP hook. */
export interface DescribeView {
  team(id: string): Team | undefined;
  missedCall(id: string): MissedCall | undefined;
  openMissed(team: string): MissedCall[];
  isVip(callerKey: string): boolean;
  /** Zone for times in admin notices (phones and faults belong to no single team). */
  timeZone: string;
  /** The directory contact's name for a caller, if any: people know "Dora Schmidt", not a number. */
  contactName?: (callerKey: string) => string | undefined;
  /** The entry on the dashboard, so a message can be acted on in one click; absent = no link. */
  entryUrl?: (callId: string) => string;
}

export type Described = { ok: true; item: NotificationItem } | { ok: false; reason: string };

export function describeEvent(event: NotifyEvent, view: DescribeView, now: string): Described {
  switch (event.kind) {
    case 'missed': {
      const call = view.missedCall(event.callId);
      if (call === undefined) return drop('the call was retracted (answered elsewhere) or deleted');
      if (call.status !== 'pending') return drop(`the call was ${call.status === 'assigned' ? `claimed by ${call.assignee ?? ''}` : call.status} before the message went out`);
      const team = view.team(event.teamId);
      const summary = callSummary(call, view);
      const attempts = call.attemptIds.length > 1 ? `, ${call.attemptIds.length} attempts` : '';
      return ok({
        key: event.key, kind: 'missed', at: event.at, priority: summary.caller.vip ? 'high' : 'normal',
        title: `Missed call${team === undefined ? '' : ` for ${team.name}`} from ${who(summary)}${attempts}`,
        text: callLines(call, summary, team, view).join('\n'),
        team: teamRef(team, event.teamId), calls: [summary], ...linkOf(call, view),
      });
    }
    case 'escalation': {
      const call = view.missedCall(event.callId);
      if (call === undefined || !isOpen(call)) return drop('the call was handled before the message went out');
      const team = view.team(event.teamId);
      const summary = callSummary(call, view);
      // Short enough for a subject line; how long it waited is the first line of the text.
      const waited = `Waiting: ${plural(event.businessMinutes, 'business minute')} (the target is ${plural(event.targetMinutes, 'minute')})`;
      const title = event.step === 'claimer'
        ? event.claimer === null ? `No callback yet: ${who(summary)}` : `Reminder for ${event.claimer}: call back ${who(summary)}`
        : `Escalated to the ${event.step === 'lead' ? 'team lead' : 'manager'}: call back ${who(summary)}`;
      return ok({
        key: event.key, kind: 'escalation', at: event.at, priority: event.step === 'manager' || summary.caller.vip ? 'high' : 'normal',
        title, text: [waited, ...callLines(call, summary, team, view)].join('\n'), team: teamRef(team, event.teamId), calls: [summary],
        ...linkOf(call, view),
        escalation: { step: event.step, targetMinutes: event.targetMinutes, businessMinutes: event.businessMinutes, claimer: event.claimer },
      });
    }
    case 'morning-digest': {
      const team = view.team(event.teamId);
      if (team === undefined) return drop('the team was deleted');
      const calls = digestCalls(team, view.openMissed(team.id), event.opening, now);
      if (calls.length === 0) return drop('every call of the closed hours was handled before the digest went out');
      const callers = groupByCaller(calls).map((g): CallerSummary => ({
        number: g.number, name: g.name, vip: view.isVip(g.callerKey), calls: g.calls.length, attempts: g.attempts,
        firstAt: g.firstAt, lastAt: g.lastAt, callIds: g.calls.map((m) => m.id),
      }));
      const attempts = callers.reduce((n, c) => n + c.attempts, 0);
      return ok({
        key: event.key, kind: 'morning-digest', at: event.at, priority: callers.some((c) => c.vip) ? 'high' : 'normal',
        title: `${team.name}: ${plural(attempts, 'call')} from ${plural(callers.length, 'caller')} while closed`,
        text: callers.map((c) => `${c.vip ? 'VIP ' : ''}${c.name === '' ? c.number || 'withheld number' : `${c.name} (${c.number || 'withheld'})`}: ` +
          `${plural(c.attempts, 'attempt')}, last ${longLocal(c.lastAt, team.timeZone)}`).join('\n') +
          (view.entryUrl === undefined ? '' : `\nOpen the list: ${view.entryUrl('').replace(/\?id=$/, '')}`),
        team: teamRef(team, team.id), calls: calls.map((m) => callSummary(m, view)), callers,
      });
    }
    case 'incident':
      return ok(incidentItem(event, event.incident, view, now));
  }
}

/** The API's and the payload's view of a call. */
export function callSummary(m: MissedCall, view: Pick<DescribeView, 'isVip' | 'contactName'>): CallSummary {
  const contact = m.caller.key === '' ? undefined : view.contactName?.(m.caller.key);
  return {
    id: m.id, caller: { number: m.caller.e164 ?? m.caller.key, name: contact ?? m.callerName, vip: m.caller.key !== '' && view.isVip(m.caller.key) },
    team: m.team, extension: m.extension, firstAt: m.firstAt, lastAt: m.lastAt, attempts: m.attemptIds.length,
    afterHours: m.afterHours, status: m.status, assignee: m.assignee,
  };
}

// --- Internal helpers ---

function ok(item: NotificationItem): Described {
  return { ok: true, item };
}

function drop(reason: string): Described {
  return { ok: false, reason };
}

/** "VIP Dora Schmidt (+4930123456)"; a long name is cut so a title still fits a subject line. */
function who(c: CallSummary): string {
  const number = c.caller.number === '' ? 'a withheld number' : c.caller.number;
  const chars = [...c.caller.name];
  const name = chars.length > NAME_CHARS ? `${chars.slice(0, NAME_CHARS - 1).join('')}…` : c.caller.name;
  return `${c.caller.vip ? 'VIP ' : ''}${name === '' ? number : `${name} (${number})`}`;
}

const NAME_CHARS = 20;

/** The call in lines, times as a date and time in the team's zone (an email may be read the next day). */
function callLines(m: MissedCall, c: CallSummary, team: Team | undefined, view: Pick<DescribeView, 'entryUrl'>): string[] {
  const zone = team?.timeZone ?? 'UTC';
  const times = m.attemptTimes.map((t, i) => (i === 0 ? longLocal(t, zone) : timeOnly(t, zone, m.attemptTimes[0] ?? t)));
  return [
    `Caller: ${c.caller.vip ? 'VIP ' : ''}${c.caller.name === '' ? c.caller.number || 'a withheld number' : `${c.caller.name} (${c.caller.number || 'withheld number'})`}`,
    `Called: ${team?.name ?? m.team}${m.extension === '' ? '' : `, rang ${m.extension}`}${m.afterHours ? ' (after hours)' : ''}`,
    `When: ${times.join(', ')} (${zone})${m.attemptIds.length > 1 ? `, ${plural(m.attemptIds.length, 'attempt')}` : ''}`,
    `Status: ${m.status === 'assigned' ? `claimed by ${m.assignee ?? 'someone'}` : m.status === 'pending' ? 'open, nobody has it yet' : m.status}`,
    `Why: ${m.rule}`,
    ...(view.entryUrl === undefined ? [] : [`Open: ${view.entryUrl(m.id)}`]),
  ];
}

function linkOf(m: MissedCall, view: Pick<DescribeView, 'entryUrl'>): { link?: string } {
  return view.entryUrl === undefined ? {} : { link: view.entryUrl(m.id) };
}

/** "Thu 26 Nov 2026, 10:00" in the zone. */
function longLocal(iso: string, zone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: zone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).format(new Date(iso)).replace(/^(\w+),? /, '$1 ').replace(/ at /, ', ');
}

/** "10:04" when on the same local day as `sameDayAs`, else the long form. */
function timeOnly(iso: string, zone: string, sameDayAs: string): string {
  const day = (x: string) => new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(x));
  if (day(iso) !== day(sameDayAs)) return longLocal(iso, zone);
  return new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
}

function incidentItem(event: NotifyEvent & { kind: 'incident' }, incident: HealthIncident, view: DescribeView, now: string): NotificationItem {
  const d = incident.details;
  const since = formatLocalTime(incident.since, view.timeZone, now);
  const text = (key: string): string => (typeof d[key] === 'string' || typeof d[key] === 'number' ? String(d[key]) : '');
  let title: string;
  const lines: string[] = [];
  switch (incident.kind) {
    case 'phone-offline':
      title = `Phone ${text('label') || incident.subject} (ext. ${text('extension')}) not seen since ${since}`;
      lines.push(`MAC: ${incident.subject}`, `Last seen: ${incident.since} via ${text('via')} from ${text('ip')}`,
        `Missed calls of its team(s) since then: ${text('missedWhileOffline') || '0'}`);
      break;
    case 'extension-missed-share':
      title = `Extension ${incident.subject} missed ${text('missed')} of ${text('calls')} calls in the last hour ` +
        `(usually ${Math.round(Number(d.baselineShare ?? 0) * 100)} %): likely a routing or device fault`;
      lines.push(`Since: ${since}`, `Baseline: ${text('baselineCalls')} calls over the week before`);
      break;
    case 'team-all-missed': {
      const team = view.team(incident.subject);
      title = `${team?.name ?? incident.subject} missed every call for an hour (${text('calls')} of ${text('calls')}): likely a routing or device fault`;
      lines.push(`Since: ${since}`);
      break;
    }
  }
  const teamId = incident.kind === 'team-all-missed' ? incident.subject : null;
  const team = teamId === null ? undefined : view.team(teamId);
  return {
    key: event.key, kind: incident.kind, at: event.at, priority: 'normal', title, text: lines.join('\n'),
    team: teamId === null ? null : teamRef(team, teamId), calls: [],
    incident: { id: incident.id, subject: incident.subject, since: incident.since, details: incident.details },
  };
}

function teamRef(team: Team | undefined, id: string): { id: string; name: string } {
  return { id, name: team?.name ?? id };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
