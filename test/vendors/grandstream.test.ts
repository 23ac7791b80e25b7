import assert from 'node:assert/strict';
import { test } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { grandstream } from '../../src/vendors/grandstream/index.ts';
import { testVendor } from './conformance.ts';
import { getRequest, queryFixtures } from './helpers.ts';

const fixtures = queryFixtures(new URL('../fixtures/grandstream/requests.txt', import.meta.url).pathname);
testVendor({ vendor: grandstream, fixtures: fixtures.ok, failing: fixtures.failing });

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (n) => ['DisplayString', 'SoftKey'].includes(n) });

test('a missed call gives the URI, the unquoted name, firmware and model but no call reference', () => {
  const result = grandstream.parseEvent(fixtures.ok[0]!.request);
  assert.ok(result.ok);
  assert.deepEqual(result.events[0], {
    kind: 'missed',
    local: '201',
    remote: 'sip:0612345678@pbx.example.com',
    remoteName: 'Anna Smith',
    called: '',
    callRef: '',
    phoneTime: null,
    firmware: '1.0.11.3',
    model: 'GXP2170',
    reportedMac: '000b82123456',
  });
});

test('an unencoded + in a bare caller number stays a +', () => {
  const result = grandstream.parseEvent(fixtures.ok[1]!.request);
  assert.ok(result.ok);
  assert.equal(result.events[0]?.remote, '+4930123456');
});

test('action URLs use documented P-values where known and Grandstream variable names', () => {
  const urls = grandstream.eventUrls!('http://srv/phone/grandstream/event?t=TOKEN');
  assert.equal(
    urls['P8310'],
    'http://srv/phone/grandstream/event?t=TOKEN&e=ringing&local=$active_user&remote=$remote&name=$display_remote&mac=$mac&fw=$program_version&model=$product&dialog={call-id}',
  );
  assert.ok(urls['Missed Call']?.includes('&e=missed&'));
  for (const p of ['P8304', 'P8305', 'P8306', 'P8311']) assert.ok(urls[p], p);
});

test('a list is a GS_XML_Application: numbered lines, a numbered softkey opening each item, Back quits the app', () => {
  const out = grandstream.renderScreen({
    kind: 'list',
    title: 'Team missed',
    items: [
      { label: 'Anna 0612', url: 'http://srv/m/1?t=tok&p=1', dial: '0612', selection: '1' },
      { label: 'Bob 0613', url: 'http://srv/m/2' },
    ],
    softkeys: [
      { label: 'Open', action: { type: 'select' } },
      { label: 'Call', action: { type: 'dial-selected' } },
      { label: 'Returned', action: { type: 'open-selected', url: 'http://srv/sel' } },
      { label: 'Refresh', action: { type: 'open', url: 'http://srv/m?t=tok' } },
      { label: 'Back', action: { type: 'back' } },
    ],
  });
  assert.equal(out.contentType, 'text/xml; charset=utf-8');
  assert.equal(XMLValidator.validate(out.body), true);
  const app = parser.parse(out.body).GS_XML_Application;
  const lines = app.Display.Screen.DisplayString as { X: number; Y: number; DisplayStr: string }[];
  assert.deepEqual(lines.map((l) => l.DisplayStr), ['Team missed', '1. Anna 0612', '2. Bob 0613']);
  assert.deepEqual(lines.map((l) => l.Y), [0, 15, 30]);
  const keys = (app.SoftKeys.SoftKey as { Label: string | number; Action: { UseURL?: { URL: string }; QuitApp?: string } }[])
    .map((k) => [String(k.Label), k.Action.UseURL?.URL ?? (k.Action.QuitApp !== undefined ? 'quit' : '?')]);
  // Select, highlighted-item dial and selection keys have no equivalent in the format: left out.
  assert.deepEqual(keys, [['1', 'http://srv/m/1?t=tok&p=1'], ['2', 'http://srv/m/2'], ['Refresh', 'http://srv/m?t=tok'], ['Back', 'quit']]);
  assert.equal(app.Events.Event.State, 'Onhook');
  assert.ok('QuitApp' in app.Events.Event.Action);
});

test('a text screen wraps long lines to the display and keeps at most 12 lines', () => {
  const out = grandstream.renderScreen({ kind: 'text', title: 'Anna', lines: ['Called 3 times: 09:01, 09:07, 09:15 and once more at 09:30', ...Array(20).fill('x')], softkeys: [] });
  const lines = (parser.parse(out.body).GS_XML_Application.Display.Screen.DisplayString as { DisplayStr: string }[]).map((l) => String(l.DisplayStr));
  assert.equal(lines.length, 12);
  assert.ok(lines.every((l) => [...l].length <= 40));
  assert.deepEqual(lines.slice(1, 3), ['Called 3 times: 09:01, 09:07, 09:15 and', 'once more at 09:30']);
});

test('{call-id} (the SIP dialog id) is read as dialogId; left unfilled it is not given', () => {
  const withId = grandstream.parseEvent(getRequest('/e?e=ringing&remote=sip:0612@pbx&dialog=3c2a9f1e-77@10.0.0.1'));
  assert.ok(withId.ok);
  assert.equal(withId.events[0]?.dialogId, '3c2a9f1e-77@10.0.0.1');
  for (const q of ['dialog={call-id}', 'dialog=', 'dialog=a%20b', '']) {
    const r = grandstream.parseEvent(getRequest(`/e?e=ringing&remote=sip:0612@pbx&${q}`));
    assert.ok(r.ok);
    assert.equal(r.events[0]?.dialogId, undefined, q);
  }
});
