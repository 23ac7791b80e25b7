import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startFakeAmi, type FakeAmi } from '../pbx/ami-server.ts';
import { api, listedCallers } from '../support/missed-load.ts';
import { fillActionUrl } from '../support/phone-sim.ts';
import { postgresMissing, startPostgres, type Postgres } from '../support/postgres.ts';
import { until } from '../support/until.ts';
import { startNtpResponder } from '../time/ntp-responder.ts';
import { failover, startCluster, type Cluster, type Instance } from './instances.ts';

const missing = await postgresMissing();

interface PhoneUrls { events: Record<string, string>; screen: string }
const path = (url: string): string => url.replace(/^https?:\/\/[^/]+/, '');

/** A team of two Yealink phones ringing together (a ring group), created on `base`; waits until every instance knows them. */
async function ringGroup(c: Cluster, name: string, exts: [string, string], macs: [string, string]): Promise<{ team: string; phones: PhoneUrls[] }> {
  const base = c.bases()[0]!;
  const team = await api<{ id: string }>(base, '/api/teams', { name, extensions: exts });
  const phones: PhoneUrls[] = [];
  for (const [i, mac] of macs.entries()) {
    const p = await api<{ urls: PhoneUrls }>(base, '/api/phones', { mac, vendor: 'yealink', extension: exts[i], teamIds: [team.id] });
    phones.push(p.urls);
  }
  for (const b of c.bases()) {
    await until(async () => (await api<{ items: { mac: string }[] }>(b, '/api/phones')).items.filter((p) => macs.includes(p.mac)).length === 2,
      `both phones known on ${b}`);
  }
  return { team: team.id, phones };
}

function event(urls: PhoneUrls, setting: string, ext: string, mac: string, caller: string, callId: string, name: string): string {
  return path(fillActionUrl(urls.events[setting]!, {
    remote: `sip:${caller}@pbx`, active_user: ext, mac, call_id: callId, display_remote: name, local: ext,
  }));
}

interface Missed { id: string; team: string; caller: { number: string } }
async function missedOf(base: string, team: string): Promise<Missed[]> {
  const r = await api<{ items: Missed[] }>(base, `/api/missed-calls?limit=500`);
  return r.items.filter((m) => m.team === team);
}

describe('two Ringback instances on one PostgreSQL database', { skip: missing ?? false }, () => {
  let pg: Postgres;
  let ami: FakeAmi;
  before(async () => {
    pg = await startPostgres();
    ami = await startFakeAmi({ username: 'ringback', secret: 'amisecret' });
  });
  after(async () => {
    await ami?.close();
    await pg?.stop();
  });

  test('a ring group whose phones report to different instances gives ONE entry per call, on every screen of both', async () => {
    // Rings here last milliseconds: a hang-up under the minimum ring time would not be a missed call.
    const c = await startCluster(await pg.createDatabase('ring_group'), { RINGBACK_MIN_RING_SECONDS: '0' });
    try {
      await c.start('a');
      await c.start('b');
      const [a, b] = c.bases() as [string, string];
      const macs: [string, string] = ['805ec0000021', '805ec0000022'];
      const { team, phones } = await ringGroup(c, 'Front desk', ['21', '22'], macs);
      const callers = Array.from({ length: 12 }, (_, i) => `0049301234${String(50 + i)}`);
      // Every call: both phones ring and miss it at once, phone 1's events to one instance and
      // phone 2's to the other (alternating per call), all calls in parallel.
      await Promise.all(callers.map(async (caller, i) => {
        const [first, second] = i % 2 === 0 ? [a, b] : [b, a];
        const name = `Caller ${i}`;
        for (const setting of ['action_url.incoming_call', 'action_url.missed_call']) {
          const answers = await Promise.all([
            fetch(first + event(phones[0]!, setting, '21', macs[0], caller, `c${i}`, name)),
            fetch(second + event(phones[1]!, setting, '22', macs[1], caller, `d${i}`, name)),
          ]);
          for (const r of answers) assert.equal(r.status, 200, `${setting} of ${caller}: ${await r.text()}`);
        }
      }));
      for (const base of [a, b]) {
        const entries = await missedOf(base, team);
        assert.equal(entries.length, callers.length, `${base}: one entry per call (${entries.map((e) => e.caller.number).join(' ')})`);
        assert.equal(new Set(entries.map((e) => e.caller.number)).size, callers.length);
        for (const urls of phones) {
          const screen = await (await fetch(base + path(urls.screen))).text();
          for (let i = 0; i < 5; i++) assert.ok(screen.includes(`Caller ${i}`) || screen.includes(callers[i]!.slice(4)), `${base} screen lists caller ${i}`);
        }
      }
    } finally {
      await c.close();
    }
  });

  test('kill -9 of one instance under load: no acknowledged event is lost, the other keeps answering and takes over its AMI source within 15 s', async () => {
    const amiUrl = `ami://ringback:amisecret@127.0.0.1:${ami.port}`;
    const c = await startCluster(await pg.createDatabase('kill_nine'), { RINGBACK_AMI_URL: amiUrl });
    try {
      await c.start('a');
      await c.start('b');
      const first = await ami.nextSession();
      await first.action('Login');
      const owners = async (): Promise<Instance[]> => {
        const out: Instance[] = [];
        for (const i of c.instances.filter((x) => x.up)) {
          const sources = await api<{ here: boolean }[] | { items: { here: boolean }[] }>(i.server.base, '/api/pbx-sources');
          const list = Array.isArray(sources) ? sources : sources.items;
          if (list.some((s) => s.here)) out.push(i);
        }
        return out;
      };
      const owning = await owners();
      assert.equal(owning.length, 1, 'exactly one instance follows the AMI source');
      assert.equal(ami.connections, 1);
      const victim = owning[0]!;

      const macs: [string, string] = ['805ec0000031', '805ec0000032'];
      const { phones } = await ringGroup(c, 'Sales', ['31', '32'], macs);
      const acked: string[] = [];
      const failed: string[] = [];
      let next = 0;
      let killedAt = 0;
      const phone = async (w: number): Promise<void> => {
        while (next < 300) {
          const n = next++;
          const caller = `0049401${String(100_000 + n)}`;
          const a = await failover(() => c.bases(), n + w, event(phones[n % 2]!, 'action_url.missed_call', n % 2 === 0 ? '31' : '32', macs[n % 2]!, caller, `k${n}`, ''));
          if (a.status === 200) acked.push(caller);
          else failed.push(`${caller}: ${a.status} ${a.text.slice(0, 80)}`);
          if (acked.length === 100 && killedAt === 0) {
            killedAt = Date.now();
            void c.kill(victim, 'SIGKILL');
          }
        }
      };
      const took = ami.nextSession().then(async (s) => { await s.action('Login'); return Date.now(); });
      await Promise.all(Array.from({ length: 10 }, (_, w) => phone(w)));
      assert.ok(killedAt > 0 && !victim.up);
      assert.deepEqual(failed, [], 'every phone request was answered by the survivor');
      const survivor = c.instances.find((i) => i.up)!;
      const listed = await listedCallers(survivor.server.base);
      const lost = acked.filter((x) => !listed.has(`+49401${x.slice(7)}`));
      assert.deepEqual(lost, [], 'no acknowledged missed call is lost');

      const takenAt = await took;
      assert.ok(takenAt - killedAt <= 15_000, `AMI taken over in ${takenAt - killedAt} ms`);
      assert.deepEqual((await owners()).map((i) => i.name), [survivor.name], 'the survivor follows the AMI source');
    } finally {
      await c.close();
    }
  });

  test('GET /api/jobs on each instance names the one instance that runs the jobs and the one that follows the AMI source', async () => {
    const c = await startCluster(await pg.createDatabase('lease_holders'), { RINGBACK_AMI_URL: `ami://ringback:amisecret@127.0.0.1:${ami.port}` });
    try {
      await c.start('a');
      await c.start('b');
      interface Jobs { items: { name: string }[]; instance: string; leases: { name: string; holder: string | null; here: boolean }[] }
      const views = async (): Promise<Jobs[]> => Promise.all(c.bases().map((b) => api<Jobs>(b, '/api/jobs')));
      await until(async () => (await views()).every((v) => v.leases.every((l) => l.holder !== null)), 'both leases held', 15_000);
      const [a, b] = await views() as [Jobs, Jobs];
      assert.notEqual(a.instance, b.instance, 'each instance has a name of its own');
      assert.ok(a.items.some((j) => j.name === 'notify'), 'the jobs are listed as before');
      for (const name of ['jobs', 'ami:env']) {
        const [la, lb] = [a, b].map((v) => v.leases.find((l) => l.name === name)!);
        assert.equal(la!.holder, lb!.holder, `${name}: both instances name the same holder`);
        assert.ok([a.instance, b.instance].includes(la!.holder!), `${name}: held by one of them`);
        assert.equal(la!.here, la!.holder === a.instance);
        assert.equal(lb!.here, lb!.holder === b.instance);
      }
    } finally {
      await c.close();
    }
  });

  test('each instance checks its own clock: a drift shows in /api/time and /readyz of both, not only where the jobs run', async () => {
    // An NTP server 5 s ahead: to it, every instance's clock is 5 s behind.
    const ntp = await startNtpResponder({ offsetMs: 5_000 });
    const c = await startCluster(await pg.createDatabase('clocks'), { RINGBACK_NTP_SERVERS: ntp.server });
    try {
      await c.start('a');
      await c.start('b');
      for (const base of c.bases()) {
        await until(async () => (await api<{ status: string }>(base, '/api/time')).status === 'drifting', `the drift seen on ${base}`, 15_000);
        const ready = await (await fetch(`${base}/readyz`)).json() as { clock: string };
        assert.equal(ready.clock, 'drifting');
      }
    } finally {
      await c.close();
      await ntp.close();
    }
  });

  test('a rolling restart of both instances fails no phone request', async () => {
    const c = await startCluster(await pg.createDatabase('rolling'));
    try {
      await c.start('a');
      await c.start('b');
      const macs: [string, string] = ['805ec0000041', '805ec0000042'];
      const { phones } = await ringGroup(c, 'Support', ['41', '42'], macs);
      const acked: string[] = [];
      const failed: string[] = [];
      let n = 0;
      let rolling = true;
      const phone = async (w: number): Promise<void> => {
        while (rolling || n < 40) {
          const k = n++;
          const caller = `0049891${String(100_000 + k)}`;
          const a = await failover(() => c.bases(), k + w, event(phones[k % 2]!, 'action_url.missed_call', k % 2 === 0 ? '41' : '42', macs[k % 2]!, caller, `r${k}`, ''));
          if (a.status === 200) acked.push(caller);
          else failed.push(`${caller}: ${a.status} ${a.text.slice(0, 80)}`);
        }
      };
      const load = Promise.all(Array.from({ length: 6 }, (_, w) => phone(w)));
      for (const name of ['a', 'b']) {
        const old = c.instances.find((i) => i.name === name && i.up)!;
        await c.kill(old, 'SIGTERM');
        await c.start(`${name}2`);
      }
      rolling = false;
      await load;
      assert.deepEqual(failed, [], 'no phone request failed while the instances restarted one after the other');
      assert.ok(acked.length >= 40);
      for (const base of c.bases()) {
        const listed = await listedCallers(base);
        assert.deepEqual(acked.filter((x) => !listed.has(`+49891${x.slice(7)}`)), [], `${base} lists every acknowledged call`);
      }
    } finally {
      await c.close();
    }
  });
});
