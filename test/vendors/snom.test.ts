import assert from 'node:assert/strict';
import { test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { snom } from '../../src/vendors/snom/index.ts';
import { testVendor } from './conformance.ts';
import { getRequest, queryFixtures } from './helpers.ts';

const fixtures = queryFixtures(new URL('../fixtures/snom/requests.txt', import.meta.url).pathname);
testVendor({ vendor: snom, fixtures: fixtures.ok, failing: fixtures.failing });

const [plainMissed, elsewhere, cause200, unfilledReason] = fixtures.ok;
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (n) => ['MenuItem', 'SoftKeyItem'].includes(n) });

test('a CANCEL reason saying "Call completed elsewhere" marks the missed call completedElsewhere', () => {
  const result = snom.parseEvent(elsewhere!.request);
  assert.ok(result.ok);
  assert.equal(result.events[0]?.completedElsewhere, true);
  assert.equal(result.events[0]?.remote, 'sip:+4930123456@pbx.example.com;user=phone');
  assert.equal(result.events[0]?.remoteName, 'Bob');
});

test('SIP cause=200 alone, in any case, also means completed elsewhere', () => {
  const result = snom.parseEvent(cause200!.request);
  assert.ok(result.ok);
  assert.equal(result.events[0]?.completedElsewhere, true);
  const text = snom.parseEvent(getRequest('/e?e=missed&reason=CALL%20COMPLETED%20ELSEWHERE'));
  assert.ok(text.ok);
  assert.equal(text.events[0]?.completedElsewhere, true);
});

test('a missed call without a completed-elsewhere reason carries no completedElsewhere', () => {
  for (const fixture of [plainMissed!, unfilledReason!]) {
    const result = snom.parseEvent(fixture.request);
    assert.ok(result.ok);
    assert.equal('completedElsewhere' in result.events[0]!, false);
  }
  const other = snom.parseEvent(getRequest('/e?e=missed&reason=SIP;cause=487;text=%22Request%20Terminated%22'));
  assert.ok(other.ok);
  assert.equal('completedElsewhere' in other.events[0]!, false);
});

test('Snom\'s $call-id becomes the call reference', () => {
  const result = snom.parseEvent(plainMissed!.request);
  assert.ok(result.ok);
  assert.equal(result.events[0]?.callRef, '3c26700b5ee9-j4zl9v7lgqlq');
  assert.equal(result.events[0]?.local, '201');
  assert.equal(result.events[0]?.remoteName, 'Anna Smith');
});

test('the missed-call URL sends $call-id and $cancel_reason', () => {
  const urls = snom.eventUrls!('http://srv/phone/snom/event?t=TOKEN');
  assert.equal(
    urls['action_missed_url'],
    'http://srv/phone/snom/event?t=TOKEN&e=missed&local=$active_user&remote=$remote&name=$display_remote&cid=$call-id&reason=$cancel_reason',
  );
  assert.deepEqual(Object.keys(urls).sort(), [
    'action_connected_url', 'action_disconnected_url', 'action_incoming_url', 'action_log_off_url',
    'action_log_on_url', 'action_missed_url', 'action_outgoing_url', 'action_setup_url',
  ]);
});

test('a list renders as SnomIPPhoneMenu with named MenuItems and F1–F4 SoftKeyItems', () => {
  const out = snom.renderScreen({
    kind: 'list',
    title: 'Team missed',
    items: [{ label: 'Anna "A&B"', url: 'http://srv/m/1?t=tok&x=1', dial: '0612' }],
    softkeys: [
      { label: 'Open', action: { type: 'select' } },
      { label: 'Call', action: { type: 'dial-selected' } },
      { label: 'Back', action: { type: 'back' } },
      { label: 'Next', action: { type: 'open', url: 'http://srv/m?t=tok&page=2' } },
      { label: 'Dial', action: { type: 'dial', number: '+49 30 123' } },
    ],
  });
  const menu = parser.parse(out.body).SnomIPPhoneMenu;
  assert.equal(menu.Title, 'Team missed');
  assert.deepEqual(menu.MenuItem, [{ '@name': 'Anna "A&B"', URL: 'http://srv/m/1?t=tok&x=1' }]);
  assert.deepEqual(menu.SoftKeyItem, [
    { Name: 'F1', Label: 'Back', URL: 'snom://mb_exit' },
    { Name: 'F2', Label: 'Next', URL: 'http://srv/m?t=tok&page=2' },
    { Name: 'F3', Label: 'Dial', URL: 'snom://mb_nop#numberdial=+4930123' },
  ]);
});

test('text lines are separated by <br/> inside <Text>', () => {
  const out = snom.renderScreen({ kind: 'text', title: 'Missed call', lines: ['Anna', '0612 <x>'], softkeys: [] });
  assert.ok(out.body.includes('<SnomIPPhoneText><Title>Missed call</Title><Text>Anna<br/>0612 &lt;x&gt;</Text></SnomIPPhoneText>'));
});
