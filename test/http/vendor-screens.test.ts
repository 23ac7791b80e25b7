import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import request from 'supertest';
import { validateXML } from 'xmllint-wasm';
import { VENDOR_NAMES, type VendorName } from '../../src/domain/types.ts';
import { vendors } from '../../src/vendors/index.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { auth, createPhone, createTeam, fire, type DeskPhone } from '../support/office.ts';
import { pathOf } from '../support/phone-sim.ts';
import { sample } from '../support/samples.ts';

const OPEN_CALLS = 500;
const HOSTILE = ['<b>&amp;</b>', '"quoted\' ]]> name', 'ctl\u0001\u0007x', 'A'.repeat(300), 'שלום 👩‍👩‍👧‍👦', '\u202Eevil', '%00%FF'];
const XSD = sample('cisco/CiscoIpPhoneServices.xsd');

let t: TestApp;
const phones = new Map<VendorName, DeskPhone>();
let someId = '';

before(async () => {
  t = await startTestApp();
  const team = await createTeam(t.app, { name: 'Reception <&> "desk" with a rather long team name', extensions: ['10', '11', '12', '13', '14', '15'] });
  for (const [i, vendor] of VENDOR_NAMES.entries()) {
    phones.set(vendor, await createPhone(t.app, { mac: `00000000001${i}`, vendor, extension: `1${i}`, teamIds: [team], userName: 'Anna <&>' }));
  }
  const yealink = phones.get('yealink')!;
  for (let i = 0; i < OPEN_CALLS; i++) {
    const name = `${HOSTILE[i % HOSTILE.length]} ${i}`;
    await fire(t.app, yealink, 'action_url.missed_call', {
      mac: yealink.mac, active_user: '10', remote: `sip:+49301${String(100000 + i)}@pbx`, display_remote: `"${name}"`, call_id: String(i),
    });
    t.clock.advance(200);
  }
  const r = await request(t.app).get('/api/missed-calls?limit=1').set(auth).expect(200);
  someId = (r.body as { items: { id: string }[] }).items[0]!.id;
});
after(async () => t.close());

async function screens(vendor: VendorName): Promise<{ path: string; type: string; body: string }[]> {
  const p = phones.get(vendor)!;
  const list = pathOf(p.screen);
  const paths = [list, `${list}&p=1`, `${list}&p=9999`, list.replace('/missed?', `/missed/${someId}?`),
    list.replace('/missed?', `/missed/${someId}/outcome?`), list.replace('/missed?', `/missed/${someId}/mine?`), list.replace('/missed?', '/missed/nope?')];
  const out = [];
  for (const path of paths) {
    const r = await request(t.app).get(path).expect(200);
    out.push({ path, type: String(r.headers['content-type']), body: r.text });
  }
  return out;
}

describe(`every vendor's screens with ${OPEN_CALLS} open missed calls and hostile caller names`, () => {
  for (const vendor of VENDOR_NAMES) {
    test(`${vendor} screens are well-formed and within the vendor's limits`, async () => {
      const limits = vendors[vendor].limits;
      for (const s of await screens(vendor)) {
        assert.ok(Buffer.byteLength(s.body) <= limits.maxBytes, `${s.path}: ${Buffer.byteLength(s.body)} bytes`);
        if (!/xml|html/.test(s.type)) continue;
        assert.equal(XMLValidator.validate(s.body), true, `${s.path} is not well-formed`);
        const doc = new XMLParser({ ignoreAttributes: false, processEntities: false }).parse(s.body) as Record<string, Record<string, unknown>>;
        const root = Object.values(doc).find((v) => typeof v === 'object') ?? {};
        const items = root['MenuItem'];
        const count = Array.isArray(items) ? items.length : items === undefined ? 0 : 1;
        assert.ok(count <= limits.maxItems, `${s.path}: ${count} items`);
      }
    });
  }

  test('every Cisco screen validates against Cisco\'s own schema', async () => {
    for (const s of await screens('cisco')) {
      const result = await validateXML({ xml: [{ fileName: 'screen.xml', contents: s.body }], schema: [{ fileName: 'CiscoIpPhoneServices.xsd', contents: XSD }] });
      assert.equal(result.valid, true, `${s.path}: ${result.errors.map((e) => e.message).join('; ')}`);
    }
  });

  test('the list pages through all open calls, newest first, and shows who claimed one', async () => {
    const p = phones.get('yealink')!;
    await request(t.app).post(`/api/missed-calls/${someId}/actions`).set(auth).send({ action: 'assign', assignee: 'Ben <script>' }).expect(200);
    const first = await request(t.app).get(pathOf(p.screen)).expect(200);
    assert.match(first.text, /\(500\)/);
    assert.match(first.text, /Older calls \(page 2 of 18\)/);
    assert.match(first.text, /- Ben &lt;script&gt;, just now<\/Prompt>/);
  });
});
