import assert from 'node:assert/strict';
import { test } from 'node:test';
import { grandstream } from '../../src/vendors/grandstream/index.ts';
import { testVendor } from './conformance.ts';
import { queryFixtures } from './helpers.ts';

const fixtures = queryFixtures(new URL('../fixtures/grandstream/requests.txt', import.meta.url).pathname);
testVendor({ vendor: grandstream, fixtures: fixtures.ok, failing: fixtures.failing });

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
    'http://srv/phone/grandstream/event?t=TOKEN&e=ringing&local=$active_user&remote=$remote&name=$display_remote&mac=$mac&fw=$program_version&model=$product',
  );
  assert.ok(urls['Missed Call']?.includes('&e=missed&'));
  for (const p of ['P8304', 'P8305', 'P8306', 'P8311']) assert.ok(urls[p], p);
});

test('screens are plain text: title, then numbered items', () => {
  const out = grandstream.renderScreen({
    kind: 'list',
    title: 'Team missed',
    items: [
      { label: 'Anna 0612', url: 'http://srv/m/1' },
      { label: 'Bob 0613', url: 'http://srv/m/2' },
    ],
    softkeys: [{ label: 'Back', action: { type: 'back' } }],
  });
  assert.deepEqual(out, { contentType: 'text/plain; charset=utf-8', body: 'Team missed\n1. Anna 0612\n2. Bob 0613\n' });
});
