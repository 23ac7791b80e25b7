import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { openStore } from '../../src/store/embedded/open-store.ts';
import { ADMIN } from '../support/app.ts';
import { auth, createTeam } from '../support/office.ts';
import { startProvisioningApp, type ProvisioningTestApp } from './harness.ts';

interface Report {
  rows: { line: number; mac: string; result: string; reason?: string }[];
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

const HEADER = 'mac,vendor,model,label,user_name,extension,sip_user,sip_password,sip_server,teams';

describe('importing phones from CSV', () => {
  let t: ProvisioningTestApp;
  before(async () => {
    t = await startProvisioningApp();
    await createTeam(t.app, { name: 'Reception', extensions: ['11', '12', '13'], timeZone: 'Europe/Berlin' });
  });
  after(async () => t.close());

  const post = async (csv: string) => (await request(t.app).post('/api/phones/import').set(auth).set('Content-Type', 'text/csv').send(csv).expect(200)).body as Report;

  test('reports per row what was created, updated, left unchanged or rejected and why', async () => {
    const csv = [
      HEADER,
      '80:5e:c0:aa:bb:01,yealink,T46U,Desk 11,Anna,11,u11,csv-secret-11,pbx.example.com,Reception',
      '0004f2aabb02,poly,VVX410,"Sales, front",Ben,12,u12,csv-secret-12,pbx.example.com,Reception',
      '0004f2aabb02,,,,,13,u13,csv-secret-13,pbx.example.com,',
      'not-a-mac,yealink,,,,14,,,,',
      '805ec0aabb05,,,,,15,,,,',
      '805ec0aabb06,yealink,,x,,16,,,,Nobody',
      `805ec0aabb07,yealink,,${'L'.repeat(10 * 1024)},,17,,,,`,
      '805ec0aabb08,yealink,,"Desk\naccount.1.password = x",,18,,,,',
      '805ec0aabb09,acme,,,,19,,,,',
    ].join('\n');
    const report = await post(csv);
    const byLine = Object.fromEntries(report.rows.map((r) => [r.line, `${r.result}${r.reason === undefined ? '' : `: ${r.reason}`}`]));
    assert.equal(byLine[2], 'created');
    assert.equal(byLine[3], 'created');
    assert.equal(byLine[4], 'created', 'a second row of a MAC adds its line');
    assert.match(byLine[5] ?? '', /^rejected: mac: /);
    assert.match(byLine[6] ?? '', /^rejected: vendor: required for a new phone/);
    assert.match(byLine[7] ?? '', /^rejected: teams: no team "Nobody"/);
    assert.match(byLine[8] ?? '', /^rejected: label: /);
    assert.match(byLine[10] ?? '', /^rejected: label: no control characters/, 'a quoted cell with a newline spans lines 9-10');
    assert.match(byLine[11] ?? '', /^rejected: vendor: /);
    assert.deepEqual([report.created, report.rejected], [3, 6]);
    const poly = await request(t.app).get('/api/phones/0004f2aabb02').set(auth).expect(200);
    assert.deepEqual((poly.body as { lines: { extension: string; hasSipPassword: boolean }[] }).lines.map((l) => [l.extension, l.hasSipPassword]), [['12', true], ['13', true]]);
    const text = JSON.stringify(report) + t.logs.join('');
    assert.ok(!text.includes('csv-secret'), 'passwords are neither echoed nor logged');
  });

  test('a second import of the same rows changes nothing; an empty password cell keeps the stored one', async () => {
    const report = await post(`${HEADER}\n80:5e:c0:aa:bb:01,yealink,T46U,Desk 11,Anna,11,u11,csv-secret-11,pbx.example.com,Reception\n`);
    assert.deepEqual(report.rows.map((r) => r.result), ['unchanged']);
    const renamed = await post(`${HEADER}\n805ec0aabb01,,,Front desk,,11,u11,,pbx.example.com,\n`);
    assert.deepEqual(renamed.rows.map((r) => r.result), ['updated']);
    assert.equal(t.store.phone('805ec0aabb01')?.lines[0]?.sipPassword, 'csv-secret-11');
    assert.equal(t.store.phone('805ec0aabb01')?.label, 'Front desk');
  });

  test('semicolon-separated files from spreadsheets are read too; a file without a mac column is refused as a whole', async () => {
    const report = await post('mac;vendor;extension;teams\n805ec0aabb31;yealink;11;Reception|Reception\n');
    assert.deepEqual(report.rows.map((r) => r.result), ['created']);
    const bad = await request(t.app).post('/api/phones/import').set(auth).set('Content-Type', 'text/csv').send('vendor,extension\nyealink,11\n').expect(400);
    assert.match((bad.body as { error: { message: string } }).error.message, /needs a "mac" column/);
    const broken = await request(t.app).post('/api/phones/import').set(auth).set('Content-Type', 'text/csv').send(`${HEADER}\n805ec0aabb32,yealink,,"unclosed,,11,,pw-in-a-broken-row,,\n`).expect(400);
    assert.ok(!JSON.stringify(broken.body).includes('pw-in-a-broken-row'));
  });
});

describe('the CLI', () => {
  test('`npm run cli -- phones import <file.csv>` imports into a stopped server\'s data and prints the report', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ringback-cli-'));
    try {
      const file = join(dir, 'phones.csv');
      await writeFile(file, `${HEADER}\n805ec0aabb41,yealink,T46U,Desk 41,,41,,cli-secret,pbx.example.com,\nbad,yealink,,,,42,,,,\n`);
      const data = join(dir, 'data');
      const { code, stdout } = await run(['src/cli.ts', 'phones', 'import', file, '--data', data]);
      assert.equal(code, 1, 'a rejected row makes the exit status 1');
      assert.match(stdout, /line 2 +805ec0aabb41 +created/);
      assert.match(stdout, /line 3 +bad +rejected: mac: a MAC address is 12 hex digits/);
      assert.match(stdout, /1 created, 0 updated, 0 unchanged, 1 rejected/);
      assert.ok(!stdout.includes('cli-secret'));
      const store = await openStore({ dir: data });
      assert.equal(store.phone('805ec0aabb41')?.lines[0]?.sipPassword, 'cli-secret');
      await store.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

function run(args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], { env: { ...process.env, RINGBACK_ADMIN_TOKEN: ADMIN }, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.on('exit', (code) => resolve({ code, stdout }));
  });
}
