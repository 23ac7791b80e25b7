import assert from 'node:assert/strict';
import { test } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { fanvil } from '../../src/vendors/fanvil/index.ts';
import { testVendor } from './conformance.ts';
import { queryFixtures } from './helpers.ts';

const fixtures = queryFixtures(new URL('../fixtures/fanvil/requests.txt', import.meta.url).pathname);
testVendor({ vendor: fanvil, fixtures: fixtures.ok, failing: fixtures.failing });

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, isArray: (n) => n === 'DirectoryEntry' });

test('a new missed call gives the URI, unquoted name and phone-local call id', () => {
  const result = fanvil.parseEvent(fixtures.ok[0]!.request);
  assert.ok(result.ok);
  assert.equal(result.events[0]?.remote, 'sip:0612345678@pbx.example.com');
  assert.equal(result.events[0]?.remoteName, 'Anna Smith');
  assert.equal(result.events[0]?.callRef, '17');
  assert.equal(result.events[0]?.model, 'X4U');
});

test('a $call_id the model leaves unfilled is an empty call reference', () => {
  const result = fanvil.parseEvent(fixtures.ok[1]!.request);
  assert.ok(result.ok);
  assert.equal(result.events[0]?.callRef, '');
  assert.equal(result.events[0]?.remote, 'sip:+4930123456@pbx.example.com');
});

test('action URLs are keyed by Fanvil <cti> settings, NewMissedcallUrl included', () => {
  const urls = fanvil.eventUrls!('http://srv/phone/fanvil/event?t=TOKEN');
  assert.equal(
    urls['NewMissedcallUrl'],
    'http://srv/phone/fanvil/event?t=TOKEN&e=missed&local=$active_user&remote=$remote&name=$display_remote&cid=$call_id&mac=$mac&fw=$firmware&model=$model',
  );
  assert.deepEqual(Object.keys(urls).sort(), [
    'BootCompletedUrl', 'CallActiveUrl', 'CallStopUrl', 'IncomingCallUrl', 'NewMissedcallUrl', 'OutgoingCallUrl', 'RegOffUrl', 'RegOnUrl',
  ]);
});

test('a list is a FanvilIPPhoneDirectory the user calls back from; paging links have no place in it', () => {
  const out = fanvil.renderScreen({
    kind: 'list', title: 'Team (3)',
    items: [
      { label: '<< Newer calls', url: 'http://srv/m?p=0' },
      { label: '* 10:42 Anna & Co', url: 'http://srv/m/1', dial: '+49 30 123-456', selection: '1' },
      { label: '* 10:50 Anonymous', url: 'http://srv/m/2', selection: '2' },
      { label: 'Older calls >> (3/3)', url: 'http://srv/m?p=2' },
    ],
    softkeys: [{ label: 'Call', action: { type: 'dial-selected' } }],
  });
  assert.equal(out.contentType, 'text/xml; charset=utf-8');
  assert.equal(XMLValidator.validate(out.body), true);
  const dir = parser.parse(out.body).FanvilIPPhoneDirectory;
  assert.equal(dir['@clearlight'], 'true');
  assert.deepEqual(dir.DirectoryEntry, [{ Name: '* 10:42 Anna & Co', Telephone: '+4930123456' }, { Name: '* 10:50 Anonymous' }]);
});

test('a text screen (and an empty list) is a directory of name-only entries, never an empty or guessed object', () => {
  const text = parser.parse(fanvil.renderScreen({ kind: 'text', title: 'Missed call', lines: ['Anna', '0612'], softkeys: [] }).body);
  assert.deepEqual(text.FanvilIPPhoneDirectory.DirectoryEntry, [{ Name: 'Missed call' }, { Name: 'Anna' }, { Name: '0612' }]);
  const empty = parser.parse(fanvil.renderScreen({ kind: 'list', title: 'Nothing', items: [], softkeys: [] }).body);
  assert.deepEqual(empty.FanvilIPPhoneDirectory.DirectoryEntry, [{ Name: 'Nothing' }]);
});
