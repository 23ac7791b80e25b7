import assert from 'node:assert/strict';
import { sample } from '../support/samples.ts';
import { describe, test } from 'node:test';
import { validateXML } from 'xmllint-wasm';
import type { Phone } from '../../src/domain/types.ts';
import { ProvisionError } from '../../src/vendors/shared/provision-error.ts';
import type { Screen } from '../../src/screens/model.ts';
import { cisco } from '../../src/vendors/cisco/index.ts';
import { testVendor } from './conformance.ts';
import { getRequest } from './helpers.ts';

testVendor({
  vendor: cisco,
  fixtures: [],
  skip: [{ reason: 'Cisco phones push no call events (phones.md §3.4): there is nothing to parse', tests: ['fixtures', 'hostile-fields', 'event-urls'] }],
});

const XSD = sample('cisco/CiscoIpPhoneServices.xsd');

async function assertValid(screen: Screen): Promise<string> {
  const { body } = cisco.renderScreen(screen);
  const result = await validateXML({ xml: [{ fileName: 'screen.xml', contents: body }], schema: [{ fileName: 'CiscoIpPhoneServices.xsd', contents: XSD }] });
  assert.equal(result.valid, true, result.errors.map((e) => e.message).join('\n'));
  return body;
}

const hostile = ['<&"\'>', 'ctl\u0001\u001b', ']]>', 'A'.repeat(10_240), 'שלום 👩‍👩‍👧‍👦 🇩🇪', '\u202Eevil', '\uD800lone'];

test('a 200-item hostile list validates against the Cisco XSD (≤ 100 items, Name ≤ 64, Title ≤ 32)', async () => {
  const body = await assertValid({
    kind: 'list',
    title: `${'Τίτλος 👩‍👩‍👧‍👦 '.repeat(20)}`,
    items: Array.from({ length: 200 }, (_, i) => ({ label: `${hostile[i % hostile.length]} ${'😀'.repeat(70)}`, url: `http://srv/m/${i}?t=tok&x=1`, dial: '0612' })),
    softkeys: Array.from({ length: 12 }, (_, i) => ({ label: `Key ${i} with a long label`, action: { type: 'open' as const, url: `http://srv/k/${i}` } })),
  });
  assert.equal(body.match(/<MenuItem>/g)?.length, 100);
  assert.equal(body.match(/<SoftKeyItem>/g)?.length, 8);
});

test('a text screen longer than 4000 characters validates against the Cisco XSD', async () => {
  const body = await assertValid({
    kind: 'text',
    title: 'Missed call from a caller with a very long name',
    lines: Array.from({ length: 100 }, (_, i) => `${hostile[i % hostile.length]} line ${i} ${'x'.repeat(80)}`),
    softkeys: [{ label: 'Call', action: { type: 'dial', number: '+49 (30) 1234' } }],
  });
  assert.ok(body.includes('<URL>Dial:+49301234</URL>'));
});

test('softkeys map to SoftKey:Select/Back/Exit and Dial:, with Name, URL, Position in XSD order', async () => {
  const body = await assertValid({
    kind: 'list',
    title: 'Team missed',
    items: [{ label: 'Anna 0612', url: 'http://srv/m/1?t=tok', dial: '0612' }],
    softkeys: [
      { label: 'Open', action: { type: 'select' } },
      { label: 'Call', action: { type: 'dial-selected' } },
      { label: 'Back', action: { type: 'back' } },
      { label: 'Exit', action: { type: 'exit' } },
      { label: 'Voicemail', action: { type: 'dial', number: '*97' } },
      { label: 'Next', action: { type: 'open', url: 'http://srv/m?t=tok&page=2' } },
    ],
  });
  assert.ok(
    body.includes(
      '<SoftKeyItem><Name>Open</Name><URL>SoftKey:Select</URL><Position>1</Position></SoftKeyItem>' +
        '<SoftKeyItem><Name>Back</Name><URL>SoftKey:Back</URL><Position>2</Position></SoftKeyItem>' +
        '<SoftKeyItem><Name>Exit</Name><URL>SoftKey:Exit</URL><Position>3</Position></SoftKeyItem>' +
        '<SoftKeyItem><Name>Voicemail</Name><URL>Dial:*97</URL><Position>4</Position></SoftKeyItem>' +
        '<SoftKeyItem><Name>Next</Name><URL>http://srv/m?t=tok&amp;page=2</URL><Position>5</Position></SoftKeyItem>',
    ),
  );
});

test('"dial the highlighted item" has no CiscoIPPhoneMenu form and is left out', async () => {
  const body = await assertValid({
    kind: 'list',
    title: 'Team missed',
    items: [{ label: 'Anna', url: 'http://srv/m/1', dial: '0612' }],
    softkeys: [{ label: 'Call', action: { type: 'dial-selected' } }],
  });
  assert.ok(!body.includes('SoftKeyItem'));
  assert.ok(!body.includes('0612'));
});

test('an empty list validates against the Cisco XSD', async () => {
  await assertValid({ kind: 'list', title: 'Nothing missed', items: [], softkeys: [{ label: 'Exit', action: { type: 'exit' } }] });
});

test('every request is refused: Cisco phones send no events', () => {
  const result = cisco.parseEvent(getRequest('/e?t=tok&e=missed&remote=0612'));
  assert.equal(result.ok, false);
  assert.equal(cisco.eventUrls, undefined);
});

test('the XSD check has teeth: a 33-character Title and softkey children out of order are invalid', async () => {
  const check = async (xml: string) =>
    (await validateXML({ xml: [{ fileName: 'bad.xml', contents: xml }], schema: [{ fileName: 'CiscoIpPhoneServices.xsd', contents: XSD }] })).valid;
  assert.equal(await check(`<CiscoIPPhoneMenu><Title>${'x'.repeat(33)}</Title></CiscoIPPhoneMenu>`), false);
  assert.equal(await check('<CiscoIPPhoneMenu><SoftKeyItem><URL>SoftKey:Exit</URL><Name>Exit</Name><Position>1</Position></SoftKeyItem></CiscoIPPhoneMenu>'), false);
  assert.equal(await check(`<CiscoIPPhoneMenu><Title>${'x'.repeat(32)}</Title></CiscoIPPhoneMenu>`), true);
});

describe('Cisco MPP missed-list PSK (phones.md §8)', () => {
  const phone: Phone = {
    mac: '00562baabb05', vendor: 'cisco', model: 'CP-8841-3PCC', label: 'Desk', extension: '11', lines: [{ extension: '11' }], teamIds: [],
    token: 'tok', userName: 'Anna', lastSeen: null, firmware: null, clockSkewMs: null, createdAt: '2026-11-26T09:00:00.000Z',
  };
  const render = (vars: Record<string, string>) => cisco.provisioning!.render({ name: `${phone.mac}.xml`, role: 'settings', kind: 'phone', mac: phone.mac }, {
    phone, urls: { events: {}, event: '', screen: 'http://srv/phone/cisco/missed?t=tok' }, provisionUrl: 'http://srv/provision', credentials: null,
    sipServer: null, ntpServers: [], zone: { name: 'UTC', standardOffsetMinutes: 0, dst: null }, template: { settings: [], vars }, push: null,
  }).body;

  test('PSK_1 opens the list and sits in Missed_Call_Key_List; template vars move or drop it', () => {
    const body = render({});
    assert.match(body, /<PSK_1>fnc=xml;url=http:\/\/srv\/phone\/cisco\/missed\?t=tok;nme=Missed<\/PSK_1>/);
    assert.match(body, /<Missed_Call_Key_List>lcr\|1;psk1\|2;back\|3;miss\|4<\/Missed_Call_Key_List>/);
    assert.match(body, /<Programmable_Softkey_Enable>Yes<\/Programmable_Softkey_Enable>/);
    const moved = render({ missedPsk: '3', missedCallKeyList: 'psk3|1;miss|4' });
    assert.match(moved, /<PSK_3>fnc=xml;/);
    assert.match(moved, /<Missed_Call_Key_List>psk3\|1;miss\|4<\/Missed_Call_Key_List>/);
    assert.doesNotMatch(render({ missedPsk: 'off' }), /PSK_|Missed_Call_Key_List/);
  });

  test('a key list that leaves our PSK out or could break the profile is refused', () => {
    for (const list of ['lcr|1;miss|4', 'psk1|2;<x>', 'psk1|2;back|3\nmiss']) assert.throws(() => render({ missedCallKeyList: list }), ProvisionError, list);
  });
});
