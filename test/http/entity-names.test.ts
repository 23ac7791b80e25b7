import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { VENDOR_NAMES } from '../../src/domain/types.ts';
import { vendors } from '../../src/vendors/index.ts';
import { startProvisioningApp, BASE, type ProvisioningTestApp } from '../provisioning/harness.ts';
import { auth, createPhone, createTeam, type DeskPhone } from '../support/office.ts';
import { pathOf } from '../support/phone-sim.ts';
import { strictXmlErrors } from '../support/strict-xml.ts';

/** Names a caller controls (SIP From / CNAM) that look like XML entities or character references. */
const NAMES = ['&#0;', '&nbsp;', '&#x1F;', 'AT&amp;T &lt;b&gt;', '&#55296; &#xFFFE; &lol;'];

let t: ProvisioningTestApp;
const phones = new Map<string, DeskPhone>();
let ids: string[] = [];

before(async () => {
  t = await startProvisioningApp();
  const team = await createTeam(t.app, { name: 'Reception &#0;', extensions: VENDOR_NAMES.map((_, i) => `2${i}`) });
  for (const [i, vendor] of VENDOR_NAMES.entries()) {
    phones.set(vendor, await createPhone(t.app, {
      mac: `0000000000a${i}`, vendor, extension: `2${i}`, teamIds: [team], label: `Desk &#0; &nbsp; ${i}`, userName: 'Anna &#x1F;',
    }));
  }
  const yealink = phones.get('yealink')!;
  for (const [i, name] of NAMES.entries()) {
    // Exactly what a Yealink sends for `$display_remote` = `&#0;`: `name=%26%230%3B`.
    const url = `${pathOf(yealink.events['action_url.missed_call']!.split('?')[0]!)}?t=${yealink.token}&e=missed&local=20&remote=sip:%2B4930555000${i}@pbx&name=${encodeURIComponent(name)}&cid=${i}&mac=${yealink.mac}`;
    await request(t.app).get(url).expect(200);
    t.clock.advance(60);
  }
  const r = await request(t.app).get('/api/missed-calls?limit=50').set(auth).expect(200);
  ids = (r.body as { items: { id: string; caller: { name: string } }[] }).items.map((m) => m.id);
  assert.equal(ids.length, NAMES.length);
});
after(async () => t.close());

describe('a caller name that looks like an XML entity', () => {
  test('is kept as the caller sent it', async () => {
    const r = await request(t.app).get('/api/missed-calls?limit=50').set(auth).expect(200);
    const names = (r.body as { items: { caller: { name: string } }[] }).items.map((m) => m.caller.name).sort();
    assert.deepEqual(names, [...NAMES].sort());
  });

  test('leaves the list, detail and outcome screens of every vendor well-formed for a strict parser', async () => {
    const docs: { path: string; body: string }[] = [];
    for (const vendor of VENDOR_NAMES) {
      const list = pathOf(phones.get(vendor)!.screen);
      const paths = [list, ...ids.flatMap((id) => [list.replace('/missed?', `/missed/${id}?`), list.replace('/missed?', `/missed/${id}/outcome?`)])];
      for (const path of paths) {
        const r = await request(t.app).get(path).expect(200);
        if (/xml|html/.test(String(r.headers['content-type']))) docs.push({ path: `${vendor} ${path}`, body: r.text });
      }
    }
    assert.ok(docs.length >= 4 * (1 + 2 * NAMES.length), `${docs.length} XML screens`);
    const errors = await strictXmlErrors(docs.map((d) => d.body));
    assert.deepEqual([...errors].map(([i, e]) => `${docs[i]!.path}: ${e}`), []);
    const yealinkList = docs.find((d) => d.path.startsWith('yealink'))!.body;
    assert.ok(yealinkList.includes('&amp;#0;') && yealinkList.includes('&amp;nbsp;'), 'the name is shown as text, not as a reference');
  });

  test('in a phone label or user name leaves every provisioning file well-formed', async () => {
    const docs: { name: string; body: string }[] = [];
    for (const vendor of VENDOR_NAMES) {
      const phone = t.store.phone(phones.get(vendor)!.mac)!;
      const preview = t.provisioning.preview(phone, BASE);
      for (const f of preview.files) {
        assert.equal(f.error, null, `${vendor} ${f.name}: ${f.error}`);
        if (f.contentType !== null && /xml/.test(f.contentType) && f.body !== null) docs.push({ name: `${vendor} ${f.name}`, body: f.body });
      }
      assert.ok(vendors[vendor].provisioning !== undefined);
    }
    assert.ok(docs.some((d) => d.body.includes('&amp;#0;')), 'a label reaches some XML file');
    const errors = await strictXmlErrors(docs.map((d) => d.body));
    assert.deepEqual([...errors].map(([i, e]) => `${docs[i]!.name}: ${e}`), []);
  });
});
