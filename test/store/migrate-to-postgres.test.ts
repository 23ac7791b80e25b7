/** `npm run cli -- migrate-to-postgres`: an embedded site moved onto a real PostgreSQL 15 by the real command line. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pgClient from 'pg';
import request from 'supertest';
import { storeDerivations } from '../../src/compose.ts';
import { lockDir } from '../../src/store/embedded/dir-lock.ts';
import { openStore } from '../../src/store/embedded/open-store.ts';
import { openPostgresStore } from '../../src/store/postgres/open.ts';
import { startTestApp, testEnv } from '../support/app.ts';
import { auth, createPhone, createTeam, type DeskPhone } from '../support/office.ts';
import { pathOf } from '../support/phone-sim.ts';
import { postgresMissing, startPostgres, type Postgres } from '../support/postgres.ts';
import { attempt, missed } from './fixtures.ts';

const missing = await postgresMissing();
const SECRET = 'not-a-real-secret';

interface Run { code: number; stdout: string; stderr: string }

/** The real command line, as an admin runs it (`npm run cli --` is `node --import tsx src/cli.ts`). */
function cli(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { env: { ...process.env, RINGBACK_DATABASE_URL: '' } },
      (err, stdout, stderr) => resolve({ code: err === null ? 0 : Number(err.code ?? 1), stdout, stderr }));
  });
}

/** A row of the printed table: `what  embedded  postgres`. */
function row(stdout: string, what: string): [number, number] | undefined {
  const line = stdout.split('\n').find((l) => l.startsWith(`${what} `));
  const m = line === undefined ? null : /\s(\d+)\s+(\d+)\s*$/.exec(line);
  return m === null ? undefined : [Number(m[1]), Number(m[2])];
}

describe('moving an embedded site onto PostgreSQL (migrate-to-postgres)', { skip: missing ?? false }, () => {
  let pg: Postgres;
  let dir: string;
  let url: string;
  let team: string;
  let phone: DeskPhone;
  let token: string;
  const days = ['2026-11-20', '2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26'];

  before(async () => {
    pg = await startPostgres();
    url = (await pg.createDatabase('moved')).replace('postgres@', `postgres:${SECRET}@`); // trust auth: any password
    dir = await mkdtemp(join(tmpdir(), 'ringback-migrate-'));
    // The site as it runs today: configured through the API on the embedded store.
    const site = await startTestApp({ dir, store: await openStore({ dir }) });
    try {
      team = await createTeam(site.app, { name: 'Reception', extensions: ['11'], timeZone: 'Europe/Berlin' });
      phone = await createPhone(site.app, { mac: '805ec0000011', vendor: 'yealink', extension: '11', userName: 'Anna', teamIds: [team] });
      await request(site.app).post('/api/contacts').set(auth).send({ name: 'Dora Schmidt', numbers: ['+4930123456'] }).expect(201);
      const made = await request(site.app).post('/api/tokens').set(auth).send({ name: 'wallboard', role: 'manager', teams: [team] }).expect(201);
      token = (made.body as { token: string }).token;
      await request(site.app).put('/api/settings').set(auth).send({ values: { smtpFrom: 'Praxis <praxis@example.com>' } }).expect(200);
      // Some days of calls: closed entries, one still open from days ago, attempts; one day below the floor.
      const changes = [];
      for (const [i, day] of ['2026-11-10', ...days].entries()) {
        for (let n = 0; n < 3; n++) {
          const at = `${day}T0${n + 7}:00:00.000Z`;
          changes.push({ t: 'attempt' as const, v: attempt(`a-${day}-${n}`, at, { destination: team, missedCallId: `m-${day}-${n}` }) });
          const status = i === 2 && n === 0 ? 'pending' as const : 'returned' as const;
          changes.push({ t: 'missed' as const, v: missed(`m-${day}-${n}`, at, { team, extension: '11', status, attemptIds: [`a-${day}-${n}`] }) });
        }
      }
      // A busy day: more changes than one transaction of the copy takes.
      for (let n = 0; n < 1500; n++) {
        const at = new Date(Date.parse('2026-11-24T10:00:00.000Z') + n * 1000).toISOString();
        changes.push({ t: 'attempt' as const, v: attempt(`busy-${n}`, at, { destination: team, outcome: 'answered' }) });
      }
      await site.store.commit(changes);
      await site.store.dropDaysBefore('2026-11-15');
    } finally {
      await site.close();
    }
  });

  after(async () => {
    await pg?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  test('refuses while the server holds the data directory, and copies nothing', async () => {
    const lock = await lockDir(dir);
    try {
      const r = await cli(['migrate-to-postgres', '--data', dir, '--database', url]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /in use by another Ringback process.*stop the server/);
    } finally {
      await lock.release();
    }
    const target = await openPostgresStore({ url, follow: false });
    try {
      assert.deepEqual(target.teams(), []);
      assert.deepEqual(await target.history.days(), []);
    } finally {
      await target.close();
    }
  });

  test('copies every team, phone, setting, collection and day of calls, prints matching counts, and the server runs on it', async () => {
    const r = await cli(['migrate-to-postgres', '--data', dir, '--database', url]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.ok(!(r.stdout + r.stderr).includes(SECRET), 'the database password is never printed');
    assert.deepEqual(row(r.stdout, 'teams'), [1, 1]);
    assert.deepEqual(row(r.stdout, 'phones'), [1, 1]);
    assert.deepEqual(row(r.stdout, 'collection contacts'), [1, 1]);
    assert.deepEqual(row(r.stdout, 'collection settings'), [1, 1]);
    assert.deepEqual(row(r.stdout, 'collection apiTokens'), [1, 1]);
    assert.deepEqual(row(r.stdout, 'open entries'), [1, 1]);
    assert.deepEqual(row(r.stdout, '2026-11-24 attempts'), [1503, 1503], 'a day larger than one transaction of the copy');
    assert.deepEqual(row(r.stdout, '2026-11-24 missed calls'), [3, 3]);
    for (const day of days.filter((d) => d !== '2026-11-24')) {
      assert.deepEqual(row(r.stdout, `${day} attempts`), [3, 3], day);
      assert.deepEqual(row(r.stdout, `${day} missed calls`), [3, 3], day);
    }
    assert.equal(row(r.stdout, '2026-11-10 attempts'), undefined, 'the day below the retention floor is gone on both sides');
    assert.match(r.stdout, /every count matches/);
    const db = new pgClient.Client({ connectionString: url });
    await db.connect();
    try {
      const logged = await db.query<{ n: string }>('SELECT count(*) AS n FROM change_log');
      assert.equal(Number(logged.rows[0]?.n), 0, 'the copy does not stay in the log the instances follow');
    } finally {
      await db.end();
    }

    // The server on PostgreSQL, as RINGBACK_DATABASE_URL starts it.
    const appDir = await mkdtemp(join(tmpdir(), 'ringback-migrated-'));
    const store = await openPostgresStore({ url, follow: false, derivations: storeDerivations(testEnv(appDir)) });
    const t = await startTestApp({ dir: appDir, store });
    try {
      const old = await request(t.app).get('/api/missed-calls/m-2026-11-20-1').set(auth).expect(200);
      assert.equal((old.body as { status: string }).status, 'returned');
      const screen = await request(t.app).get(pathOf(phone.screen)).expect(200);
      assert.match(screen.text, /m-2026-11-23-0/, 'the entry left open days ago is on the phone screen');
      assert.ok(!/m-2026-11-23-1/.test(screen.text), 'closed entries are not');
      const contacts = await request(t.app).get('/api/contacts').set(auth).expect(200);
      assert.match(JSON.stringify(contacts.body), /Dora Schmidt/);
      await request(t.app).get(`/api/teams/${team}`).set({ Authorization: `Bearer ${token}` }).expect(200);
      await request(t.app).get('/api/teams').set({ Authorization: 'Bearer not-the-token' }).expect(401);
      const settings = await request(t.app).get('/api/settings').set(auth).expect(200);
      assert.match(JSON.stringify(settings.body), /praxis@example\.com/);
      assert.equal(t.store.meta<string>('store.retentionFloor'), '2026-11-15');
    } finally {
      await t.close();
      await rm(appDir, { recursive: true, force: true });
    }
  });

  test('a second run refuses the database that now holds data', async () => {
    const r = await cli(['migrate-to-postgres', '--data', dir, '--database', url]);
    assert.equal(r.code, 2, r.stdout);
    assert.match(r.stderr, /already holds data .*Nothing was copied/);
    assert.ok(!r.stderr.includes(SECRET));
  });
});

if (missing !== null) test('migrate-to-postgres needs PostgreSQL 15', { skip: missing }, () => undefined);
