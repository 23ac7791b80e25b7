import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import request from 'supertest';
import { VENDOR_NAMES } from '../../src/domain/types.ts';
import { isProvisionError } from '../../src/vendors/shared/provision-error.ts';
import { attributesFile, elementsFile, itemsFile, nestedFile, snomFile } from '../../src/vendors/shared/formats/xml-settings.ts';
import { auth, createPhone, createTeam } from '../support/office.ts';
import { rng, seedFrom, trapText } from '../support/random.ts';
import { strictXmlErrors } from '../support/strict-xml.ts';
import { BASE, startProvisioningApp, type ProvisioningTestApp } from './harness.ts';

const ROUNDS = 25;
/** What the API refuses (controls, line breaks, odd code points); stripped from most generated values so most edits land. */
const REFUSED = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

let t: ProvisioningTestApp;
const macs = new Map<string, string>();

before(async () => {
  t = await startProvisioningApp();
  const team = await createTeam(t.app, { name: 'Reception', extensions: ['31'] });
  for (const [i, vendor] of VENDOR_NAMES.entries()) {
    const mac = `0000000000b${i}`;
    await createPhone(t.app, { mac, vendor, extension: '31', teamIds: [team] });
    macs.set(vendor, mac);
  }
});
after(async () => t.close());

test('every vendor\'s every provisioning file stays well-formed for a strict parser whatever label, user name, SIP password or server an admin enters', async () => {
  const seed = seedFrom(20261203);
  const r = rng(seed);
  const docs: { name: string; body: string }[] = [];
  let accepted = 0;
  const text = (max: number) => (r.next() < 0.8 ? trapText(r, max).replace(REFUSED, '') : trapText(r, max));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [vendor, mac] of macs) {
      const body = {
        label: text(8), userName: text(6),
        lines: [{ extension: '31', sipUser: text(4), sipPassword: `p${text(6)}p`, sipServer: r.next() < 0.5 ? 'pbx.example.com' : text(3) }],
      };
      const res = await request(t.app).patch(`/api/phones/${mac}`).set(auth).send(body);
      // Controls and line breaks are refused by the API (a secret silently changed is worse); the rest must render.
      assert.ok(res.status === 200 || res.status === 400, `${vendor} ${res.status} ${res.text}`);
      if (res.status !== 200) continue;
      accepted++;
      for (const f of t.provisioning.preview(t.store.phone(mac)!, BASE).files) {
        if (f.error !== null) assert.match(f.error, /sip|server|host|port|user/i, `${vendor} ${f.name}: ${f.error}`);
        if (f.body !== null && f.contentType !== null && /xml/.test(f.contentType)) docs.push({ name: `${vendor} ${f.name} round ${round}`, body: f.body });
      }
    }
  }
  assert.ok(accepted >= ROUNDS * 2, `${accepted} accepted edits`);
  assert.ok(docs.length >= accepted, `${docs.length} XML files`);
  const errors = await strictXmlErrors(docs.map((d) => d.body));
  assert.deepEqual([...errors].slice(0, 5).map(([i, e]) => `${docs[i]!.name}: ${e}`), [], `seed ${seed}`);
});

test('each XML file format either refuses a generated value with a clear error or writes a well-formed file', async () => {
  const seed = seedFrom(20261204);
  const r = rng(seed);
  const formats = [
    (v: string) => attributesFile('polycomConfig', [['reg.1.label', v]], { a: v }),
    (v: string) => elementsFile('flat-profile', [['Station_Name', v]]),
    (v: string) => itemsFile([['account.1.name', v]]),
    (v: string) => nestedFile('sysConf', [['sip.line[1].DisplayName', v]]),
    (v: string) => snomFile([['user_realname[1]', v], ['fkey[1]', v], ['fkey[1].label', v]]),
  ];
  const docs: string[] = [];
  let refused = 0;
  for (let i = 0; i < 1000; i++) {
    const value = trapText(r, 10);
    try {
      docs.push(formats[i % formats.length]!(value));
    } catch (e) {
      assert.ok(isProvisionError(e), `#${i}: ${String(e)}`);
      refused++;
    }
  }
  assert.ok(refused > 0 && docs.length > 300, `${refused} refused, ${docs.length} written`);
  const errors = await strictXmlErrors(docs);
  assert.deepEqual([...errors].slice(0, 5).map(([i, e]) => `#${i}: ${e}\n${docs[i]}`), [], `seed ${seed}`);
});
