import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { auth, createPhone, createTeam, fire, type DeskPhone } from '../support/office.ts';
import { bearer, tokenFor } from '../auth/fixtures.ts';

interface Summary {
  teams: string[] | null;
  totals: Record<string, number | null>;
  byHour: { hour: number; calls: number; missed: number }[];
  byWeekday: { weekday: number; calls: number }[];
  entries: { total: number; withRepeats: number; byStatus: Record<string, number> };
  timeToCallback: { calledBack: number; seconds: { median: number | null } };
  callbacks: { byPerson: { person: string; total: number; reached: number }[] };
  repeatCallers: { missedCallers: number; calledAgain: number; top: { caller: { number: string }; calls: number; missed: number }[] };
  extensions: { extension: string; rang: number; answered: number; missed: number; rates: { calls: number; missed: number } }[];
}

/**
 * Real phone events through the real event endpoint: a Yealink ring group (11, 12, 13) in Sales and
 * a Snom desk (31) in Service whose PBX says "completed elsewhere". Known answers, written down:
 *   A  ring group, 12 answers (the misses of 11 and 13 arrive first)      → answered
 *   B  ring group, nobody answers for 25 s                              → missed (one, not three)
 *   C  ring group, the caller hangs up after 3 s                        → abandoned-short
 *   D  B's caller again ten minutes later, missed                       → missed, same entry (2 calls)
 *   E  Snom 31 rings, the PBX cancels it: completed elsewhere           → answered-elsewhere
 *   F  extension 12 calls extension 11                                  → not counted (internal)
 * B's entry is then returned by the API 30 minutes after its first call.
 */
describe('GET /api/reports/summary over real phone events', () => {
  let t: TestApp;
  let sales: string;
  let service: string;
  let group: DeskPhone[];
  let snom: DeskPhone;
  let seq = 0;

  const ring = async (phones: DeskPhone[], remote: string) => {
    seq += 1;
    const ev = (p: DeskPhone) => ({ mac: p.mac, active_user: p.extension, call_id: `r${seq}`, remote: `sip:${remote}@pbx`, display_remote: 'Caller' });
    for (const p of phones) await fire(t.app, p, 'action_url.incoming_call', ev(p));
    return ev;
  };

  before(async () => {
    t = await startTestApp();
    sales = await createTeam(t.app, { name: 'Sales', extensions: ['11', '12', '13'], timeZone: 'Europe/Berlin' });
    service = await createTeam(t.app, { name: 'Service', extensions: ['31'], timeZone: 'Europe/Berlin' });
    group = [];
    for (const ext of ['11', '12', '13']) {
      group.push(await createPhone(t.app, { mac: `805ec00000${ext}`, vendor: 'yealink', extension: ext, teamIds: [sales] }));
    }
    snom = await createPhone(t.app, { mac: '000413000031', vendor: 'snom', extension: '31', teamIds: [service] });
    const [p11, p12, p13] = group as [DeskPhone, DeskPhone, DeskPhone];

    let ev = await ring(group, '+4930100001'); // A
    t.clock.advance(6);
    await fire(t.app, p11, 'action_url.missed_call', ev(p11));
    await fire(t.app, p13, 'action_url.missed_call', ev(p13));
    await fire(t.app, p12, 'action_url.call_established', ev(p12));
    t.clock.advance(300);

    ev = await ring(group, '+4930100002'); // B
    t.clock.advance(25);
    for (const p of group) await fire(t.app, p, 'action_url.missed_call', ev(p));
    t.clock.advance(300);

    ev = await ring(group, '+4930100003'); // C
    t.clock.advance(3);
    for (const p of group) await fire(t.app, p, 'action_url.missed_call', ev(p));
    t.clock.advance(300);

    ev = await ring(group, '+4930100002'); // D
    t.clock.advance(20);
    for (const p of group) await fire(t.app, p, 'action_url.missed_call', ev(p));
    t.clock.advance(120);

    const snomEv = { active_user: '31', remote: 'sip:+4930100005@pbx', display_remote: 'Caller', 'call-id': 'e1', cancel_reason: '' }; // E
    await fire(t.app, snom, 'action_incoming_url', snomEv);
    t.clock.advance(8);
    await fire(t.app, snom, 'action_missed_url', { ...snomEv, cancel_reason: 'SIP;cause=200' });
    t.clock.advance(120);

    ev = await ring([p11], '12'); // F
    t.clock.advance(20);
    await fire(t.app, p11, 'action_url.missed_call', ev(p11));

    const list = await request(t.app).get('/api/missed-calls').set(auth).expect(200);
    const [entry] = (list.body as { items: { id: string; firstAt: string }[] }).items;
    t.clock.ms = Date.parse(entry?.firstAt ?? '') + 30 * 60_000;
    await request(t.app).post(`/api/missed-calls/${entry?.id ?? ''}/actions`).set(auth).send({ action: 'return', outcome: 'reached', actor: 'Anna' }).expect(200);
  });
  after(async () => t.close());

  const summary = async (query = '', headers = auth): Promise<Summary> =>
    (await request(t.app).get(`/api/reports/summary${query}`).set(headers).expect(200)).body as Summary;

  test('totals equal the hand count: ring groups and answers elsewhere do not inflate the missed count', async () => {
    const r = await summary();
    assert.deepEqual(
      { attempts: r.totals['attempts'], calls: r.totals['calls'], answered: r.totals['answered'], answeredElsewhere: r.totals['answeredElsewhere'],
        missed: r.totals['missed'], abandonedShort: r.totals['abandonedShort'], notCounted: r.totals['notCounted'], pending: r.totals['pending'] },
      { attempts: 6, calls: 5, answered: 1, answeredElsewhere: 1, missed: 2, abandonedShort: 1, notCounted: 1, pending: 0 });
    assert.equal(r.totals['missedRate'], 0.4);
    assert.deepEqual([r.entries.total, r.entries.withRepeats, r.entries.byStatus['returned']], [1, 1, 1]);
    assert.deepEqual([r.repeatCallers.missedCallers, r.repeatCallers.calledAgain], [1, 1]);
    assert.equal(r.repeatCallers.top[0]?.caller.number, '+4930100002');
    assert.deepEqual([r.timeToCallback.calledBack, r.timeToCallback.seconds.median], [1, 1800]);
    assert.deepEqual(r.callbacks.byPerson.map((p) => [p.person, p.total, p.reached]), [['Anna', 1, 1]]);
    // 09:00 UTC on Thursday 2026-11-26 is 10:00 in Berlin.
    assert.equal(r.byHour[10]?.calls, 5);
    assert.equal(r.byWeekday[4]?.calls, 5);
    const { rates, ...twelve } = r.extensions.find((e) => e.extension === '12') ?? { rates: undefined };
    assert.deepEqual(twelve, { extension: '12', rang: 4, answered: 1, missed: 2, missedShare: 0.5 });
    assert.deepEqual([rates?.calls, rates?.missed], [4, 2], 'the rates count the same calls');
  });

  test('the totals match the raw call records of /api/calls', async () => {
    const raw = await request(t.app).get('/api/calls?limit=500').set(auth).expect(200);
    const items = (raw.body as { items: { outcome: string; destination: string }[] }).items;
    const count = (o: string) => items.filter((a) => a.outcome === o).length;
    const r = await summary();
    assert.equal(r.totals['attempts'], items.length);
    assert.equal(r.totals['answered'], count('answered'));
    assert.equal(r.totals['answeredElsewhere'], count('answered-elsewhere'));
    assert.equal(r.totals['missed'], count('missed'));
    assert.equal(r.totals['abandonedShort'], count('abandoned-short'));
    assert.equal(r.totals['notCounted'], count('not-counted'));
    const entries = await request(t.app).get('/api/missed-calls').set(auth).expect(200);
    assert.equal(r.entries.total, (entries.body as { items: unknown[] }).items.length);
  });

  test('a team and a period narrow the report; a manager gets its own team only', async () => {
    const s = await summary(`?team=${service}`);
    assert.deepEqual([s.totals['calls'], s.totals['answeredElsewhere'], s.totals['missed']], [1, 1, 0]);
    const later = await summary('?from=2026-11-27&to=2026-11-28');
    assert.equal(later.totals['attempts'], 0);
    assert.equal(later.totals['missedRate'], null);
    const manager = await tokenFor(t.app, { name: 'Sales lead', role: 'manager', teams: [sales] });
    const m = await summary('', bearer(manager));
    assert.deepEqual(m.teams, [sales]);
    assert.deepEqual([m.totals['calls'], m.totals['missed']], [4, 2]);
    assert.equal(m.repeatCallers.top[0]?.caller.number, '+49••••••02', 'numbers are masked for managers');
    await request(t.app).get(`/api/reports/summary?team=${service}`).set(bearer(manager)).expect(403);
    await request(t.app).get('/api/reports/summary?from=2026-11-28&to=2026-11-27').set(auth).expect(400);
  });
});
