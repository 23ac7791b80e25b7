import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fanvil } from '../../src/vendors/fanvil/index.ts';
import { testVendor } from './conformance.ts';
import { queryFixtures } from './helpers.ts';

const fixtures = queryFixtures(new URL('../fixtures/fanvil/requests.txt', import.meta.url).pathname);
testVendor({ vendor: fanvil, fixtures: fixtures.ok, failing: fixtures.failing });

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

test('text screens are plain text lines under the title', () => {
  const out = fanvil.renderScreen({ kind: 'text', title: 'Missed call', lines: ['Anna', '0612'], softkeys: [] });
  assert.deepEqual(out, { contentType: 'text/plain; charset=utf-8', body: 'Missed call\nAnna\n0612\n' });
});
