/** @module The report's tables as extra sheets of an .xlsx export. */
import type { ExtraSheet, Row } from '../../services/export.ts';
import type { ReportView } from './reports.ts';

const COUNTS = [
  { key: 'calls', header: 'Calls' }, { key: 'answered', header: 'Answered' },
  { key: 'answeredElsewhere', header: 'Answered elsewhere' }, { key: 'missed', header: 'Missed' },
  { key: 'abandonedShort', header: 'Abandoned (short)' },
];

const RATE = { key: 'missedRate', header: 'Missed rate' };

export function reportSheets(r: ReportView): ExtraSheet[] {
  const t = r.totals;
  const summary: [string, string | number | null][] = [
    ['Period from', r.period.from ?? 'first record'], ['Period to', r.period.to], ['Teams', r.teams === null ? 'all' : r.teams.join(', ')],
    ['Call attempts', t.attempts], ['Calls', t.calls], ['Answered', t.answered], ['Answered elsewhere', t.answeredElsewhere],
    ['Missed', t.missed], ['Abandoned (short)', t.abandonedShort], ['Not counted (policy)', t.notCounted], ['Still ringing', t.pending],
    ['Missed rate', t.missedRate], ['Abandoned rate', t.abandonedShortRate],
    ['After-hours calls', r.afterHours.calls], ['After-hours share of calls', r.afterHours.callsShare],
    ['After-hours share of missed', r.afterHours.missedShare],
    ['Missed-call entries', r.entries.total], ...Object.entries(r.entries.byStatus).map(([s, n]): [string, number] => [`Entries ${s}`, n]),
    ['Entries called back', r.timeToCallback.calledBack], ['Entries not called back', r.timeToCallback.notCalledBack],
    ['Time to callback, median (s)', r.timeToCallback.seconds.median], ['Time to callback, 90th percentile (s)', r.timeToCallback.seconds.p90],
    ['Business time to callback, median (s)', r.timeToCallback.businessSeconds.median],
    ['Business time to callback, 90th percentile (s)', r.timeToCallback.businessSeconds.p90],
    ['Ring before answer, median (s)', r.ringDuration.answeredSeconds.median], ['Ring before miss, median (s)', r.ringDuration.missedSeconds.median],
    ['Repeat callers', r.repeatCallers.repeat], ['Missed callers who called again', r.repeatCallers.calledAgain],
    ['Missed callers reached later', r.repeatCallers.reachedLater],
  ];
  const outcomes = ['reached', 'voicemail', 'no-answer', 'wrong-number', 'dialled'] as const;
  return [
    { name: 'Summary', columns: [{ key: 'metric', header: 'Metric', width: 40 }, { key: 'value', header: 'Value', width: 24 }],
      rows: summary.map(([metric, value]) => ({ metric, value })) },
    { name: 'By hour', columns: [{ key: 'hour', header: 'Hour' }, ...COUNTS, RATE], rows: r.byHour as unknown as Row[] },
    { name: 'By weekday', columns: [{ key: 'name', header: 'Weekday' }, ...COUNTS, RATE], rows: r.byWeekday as unknown as Row[] },
    { name: 'Ring duration', columns: [{ key: 'label', header: 'Rang' }, ...COUNTS],
      rows: [...r.ringDuration.buckets, { label: 'unknown', ...r.ringDuration.unknown }] as unknown as Row[] },
    { name: 'Callbacks by person', columns: [{ key: 'person', header: 'Person', width: 24 }, { key: 'total', header: 'Callbacks' },
      ...outcomes.map((o) => ({ key: o, header: o }))], rows: r.callbacks.byPerson as unknown as Row[] },
    { name: 'Repeat callers', columns: [{ key: 'number', header: 'Number', width: 18 }, { key: 'name', header: 'Name', width: 24 },
      { key: 'contact', header: 'Contact', width: 24 }, { key: 'calls', header: 'Calls' }, { key: 'missed', header: 'Missed' },
      { key: 'answered', header: 'Answered' }, { key: 'lastAt', header: 'Last call (UTC)', width: 24 }],
    rows: r.repeatCallers.top.map((c) => ({ number: c.caller.number, name: c.caller.name, contact: c.caller.contact?.name ?? '',
      calls: c.calls, missed: c.missed, answered: c.answered, lastAt: c.lastAt })) },
    { name: 'Extensions', columns: [{ key: 'extension', header: 'Extension' }, { key: 'rang', header: 'Rang' }, { key: 'answered', header: 'Answered' },
      { key: 'missed', header: 'Missed' }, { key: 'missedShare', header: 'Missed share' }], rows: r.extensions as unknown as Row[] },
  ];
}
