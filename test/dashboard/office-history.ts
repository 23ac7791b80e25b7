/**
 * Test support: a week of an office's calls, delivered as a PBX would (the signed webhook), so the
 * dashboard has a list to show and the reports have something to chart. Deterministic: the same
 * calls every run, spread over the last seven days at office hours.
 */
import assert from 'node:assert/strict';
import { signWebhook } from '../../src/pbx/webhook.ts';

export interface HistoryCall {
  id: string;
  caller: string;
  callerName: string;
  startedAt: string;
  ringSeconds: number;
  rang: string[];
  answeredBy: string | null;
}

const NAMES = [
  'Jonas Weber', 'Mia Hoffmann', 'Lukas Becker', 'Emma Wagner', 'Paul Schulz', 'Lea Koch', 'Felix Richter', 'Hannah Klein',
  'Ben Wolf', 'Sophie Neumann', 'Leon Schwarz', 'Marie Zimmermann', 'Elias Braun', 'Lina Krüger', 'Noah Hofmann', 'Clara Hartmann',
  'Finn Lange', 'Ida Schmitt', 'Anton Werner', 'Ella Krause', 'Özge Yılmaz', 'Jan Kowalski', '', 'Praxis Dr. Meier',
];

/** `count` calls between `days` ago and an hour ago; about one in four missed, a few hung up at once. */
export function officeWeek(now: Date, count = 48, days = 7): HistoryCall[] {
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const calls: HistoryCall[] = [];
  for (let i = 0; i < count; i++) {
    const day = Math.floor(next() * days);
    const hour = 7 + Math.floor(next() * 11) + (next() < 0.3 ? 1 : 0);
    const start = new Date(now.getTime() - day * 86_400_000);
    start.setUTCHours(hour - 1, Math.floor(next() * 60), Math.floor(next() * 60), 0);
    if (start.getTime() > now.getTime() - 3_600_000) start.setTime(start.getTime() - 86_400_000);
    const team = next() < 0.65 ? ['11', '12'] : ['21', '22'];
    const kind = next();
    const missed = kind < 0.25;
    // Callers who hang up at once: under any minimum ring time, so "abandoned short" in reports.
    const short = kind >= 0.25 && kind < 0.32;
    const who = Math.floor(next() * NAMES.length);
    calls.push({
      id: `hist-${i}`,
      caller: `+49301111${String(100 + who).padStart(3, '0')}`,
      callerName: NAMES[who] ?? '',
      startedAt: start.toISOString(),
      ringSeconds: short ? 0 : missed ? 15 + Math.floor(next() * 30) : 3 + Math.floor(next() * 15),
      rang: team,
      answeredBy: missed || short ? null : (team[Math.floor(next() * 2)] ?? null),
    });
  }
  return calls;
}

/** The last few hours' misses nobody has called back yet: a VIP, an unknown number, a caller who tried three times. */
export function stillWaiting(now: Date): HistoryCall[] {
  const ago = (minutes: number) => new Date(now.getTime() - minutes * 60_000).toISOString();
  const miss = (id: string, caller: string, callerName: string, minutes: number, rang = ['11', '12']): HistoryCall =>
    ({ id, caller, callerName, startedAt: ago(minutes), ringSeconds: 25, rang, answeredBy: null });
  return [
    miss('wait-1', '+4930777888', 'Katrin Vogel', 230), miss('wait-2', '+4930777888', 'Katrin Vogel', 170), miss('wait-3', '+4930777888', 'Katrin Vogel', 140),
    miss('wait-4', '+4930555667', 'Autohaus Berger', 95),
    miss('wait-5', '+4917612345678', '', 50),
    miss('wait-6', '+49301111100', 'Weber', 25),
    miss('wait-7', '+4940123987', 'Nordlicht Versand', 40, ['21', '22']),
  ];
}

/** Posts a call record to `POST /pbx/webhook`, signed as the README says. */
export async function deliver(base: string, secret: string, call: HistoryCall): Promise<void> {
  const body = JSON.stringify({
    id: call.id, caller: call.caller, callerName: call.callerName, called: '', startedAt: call.startedAt,
    endedAt: new Date(Date.parse(call.startedAt) + call.ringSeconds * 1000).toISOString(), rang: call.rang, answeredBy: call.answeredBy,
  });
  const ts = String(Math.floor(Date.now() / 1000));
  const r = await fetch(`${base}/pbx/webhook`, {
    method: 'POST', body,
    headers: { 'Content-Type': 'application/json', 'X-Ringback-Timestamp': ts, 'X-Ringback-Signature': signWebhook(secret, ts, body) },
  });
  assert.equal(r.status, 200, `webhook ${call.id}: ${r.status} ${await r.text()}`);
}
