import assert from 'node:assert/strict';
import { test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { yealink } from '../../src/vendors/yealink/index.ts';
import { testVendor } from './conformance.ts';
import { getRequest, queryFixtures } from './helpers.ts';

const fixtures = queryFixtures(new URL('../fixtures/yealink/requests.txt', import.meta.url).pathname);
testVendor({ vendor: yealink, fixtures: fixtures.ok, failing: fixtures.failing });

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (n) => ['MenuItem', 'SoftKey'].includes(n) });
const [missed, plus, anonymous, ringing] = fixtures.ok;

test('a missed call keeps the SIP URI as remote and takes the extension and display name apart', () => {
  const result = yealink.parseEvent(missed!.request);
  assert.ok(result.ok);
  assert.deepEqual(result.events[0], {
    kind: 'missed',
    local: '201',
    remote: 'sip:0612345678@pbx.example.com;user=phone',
    remoteName: 'Anna Smith',
    called: '',
    callRef: 'ASW:33093',
    phoneTime: null,
    firmware: '108.86.0.20',
    model: 'SIP-T46U',
    reportedMac: '805ec0123456',
  });
});

test('an unencoded + in the caller number stays a +', () => {
  const result = yealink.parseEvent(plus!.request);
  assert.ok(result.ok);
  assert.equal(result.events[0]?.remote, 'sip:+4930123456@pbx.example.com');
  assert.equal(result.events[0]?.remoteName, 'Bob');
});

test('a + that an HTTP layer decoded to a space is restored in numbers', () => {
  const result = yealink.parseEvent({ ...getRequest('/e?e=missed'), query: { e: 'missed', remote: ' 4930123456', local: '201' } });
  assert.ok(result.ok);
  assert.equal(result.events[0]?.remote, '+4930123456');
});

test('a form-encoded space in a display name becomes a space, a leading + before digits does not', () => {
  const a = yealink.parseEvent(getRequest('/e?e=ringing&name=Anna+Smith'));
  const b = yealink.parseEvent(getRequest('/e?e=ringing&name=+4930123'));
  assert.ok(a.ok && b.ok);
  assert.equal(a.events[0]?.remoteName, 'Anna Smith');
  assert.equal(b.events[0]?.remoteName, '+4930123');
});

test('empty values give empty fields and no firmware or model', () => {
  const result = yealink.parseEvent(anonymous!.request);
  assert.ok(result.ok);
  const event = result.events[0]!;
  assert.equal(event.remote, '');
  assert.equal(event.remoteName, '');
  assert.equal('firmware' in event, false);
  assert.equal('model' in event, false);
});

test('a name-addr in angle brackets gives the URI as remote', () => {
  const result = yealink.parseEvent(ringing!.request);
  assert.ok(result.ok);
  assert.equal(result.events[0]?.remote, '<sip:0612345678@pbx.example.com>');
});

test('the display name inside a name-addr is used when no name parameter came', () => {
  const result = yealink.parseEvent(getRequest('/e?e=ringing&remote=%22Anna%20S.%22%20%3Csip:0612@pbx%3E'));
  assert.ok(result.ok);
  assert.equal(result.events[0]?.remoteName, 'Anna S.');
});

test('the missed-call action URL carries the event and the documented variables', () => {
  const urls = yealink.eventUrls!('http://srv/phone/yealink/event?t=TOKEN');
  assert.equal(
    urls['action_url.missed_call'],
    'http://srv/phone/yealink/event?t=TOKEN&e=missed&local=$active_user&remote=$remote&name=$display_remote&cid=$call_id&mac=$mac&fw=$firmware&model=$model&dur=$duration&dir=$callDirection',
  );
  for (const key of ['incoming_call', 'call_established', 'answer_new_incoming_call', 'outgoing_call', 'call_terminated', 'reject_incoming_call', 'registered', 'unregistered', 'setup_completed']) {
    assert.ok(urls[`action_url.${key}`], key);
  }
});

test('a base URL without a query gets one', () => {
  const urls = yealink.eventUrls!('http://srv/phone/yealink/event');
  assert.ok(urls['action_url.missed_call']?.startsWith('http://srv/phone/yealink/event?e=missed&'));
});

test('a list renders as a YealinkIPPhoneTextMenu with Prompt, URI, Dial and mapped softkeys', () => {
  const out = yealink.renderScreen({
    kind: 'list',
    title: 'Team missed (2)',
    items: [
      { label: '10:42 0612345678 Jan', url: 'http://srv/m/17?t=tok&p=1', dial: '0612345678' },
      { label: '10:50 anonymous', url: 'http://srv/m/18?t=tok' },
    ],
    softkeys: [
      { label: 'Back', action: { type: 'back' } },
      { label: 'Call', action: { type: 'dial-selected' } },
      { label: 'Next', action: { type: 'open', url: 'http://srv/m?t=tok&page=2' } },
      { label: 'Open', action: { type: 'select' } },
      { label: 'Exit', action: { type: 'exit' } },
    ],
  });
  assert.equal(out.contentType, 'text/xml; charset=utf-8');
  assert.match(out.body, /^<\?xml version="1.0" encoding="UTF-8"\?>/);
  assert.ok(out.body.includes('http://srv/m/17?t=tok&amp;p=1'), 'ampersands in URLs are escaped');
  const menu = parser.parse(out.body).YealinkIPPhoneTextMenu;
  assert.equal(menu['@style'], 'none');
  assert.equal(menu.Title, 'Team missed (2)');
  assert.deepEqual(menu.MenuItem[0], { Prompt: '10:42 0612345678 Jan', URI: 'http://srv/m/17?t=tok&p=1', Dial: 612345678 });
  assert.equal('Dial' in menu.MenuItem[1], false);
  assert.deepEqual(
    menu.SoftKey.map((k: Record<string, unknown>) => [k['@index'], k.Label, k.URI]),
    [
      ['1', 'Back', 'SoftKey:Exit'],
      ['2', 'Call', 'SoftKey:Dial'],
      ['3', 'Next', 'http://srv/m?t=tok&page=2'],
      ['4', 'Open', 'SoftKey:Select'],
      ['5', 'Exit', 'SoftKey:Exit'],
    ],
  );
});

test('Back is never SoftKey:Back, which Yealink does not have: it is Exit', () => {
  const out = yealink.renderScreen({ kind: 'text', title: 'x', lines: ['y'], softkeys: [{ label: 'Back', action: { type: 'back' } }] });
  assert.ok(!out.body.includes('SoftKey:Back'));
  assert.deepEqual(parser.parse(out.body).YealinkIPPhoneTextScreen.SoftKey.map((k: Record<string, unknown>) => k.URI), ['SoftKey:Exit']);
});

test('at most 6 softkeys go out, the most the XML browser takes', () => {
  const softkeys = Array.from({ length: 9 }, (_, i) => ({ label: `K${i}`, action: { type: 'open' as const, url: `http://srv/k/${i}` } }));
  const out = yealink.renderScreen({ kind: 'text', title: 'x', lines: ['y'], softkeys });
  assert.equal(parser.parse(out.body).YealinkIPPhoneTextScreen.SoftKey.length, 6);
});

test('a list with no items is never a TextMenu with 0 items (rejected whole): it becomes a text screen', () => {
  const out = yealink.renderScreen({ kind: 'list', title: 'Team', items: [], softkeys: [{ label: 'Exit', action: { type: 'exit' } }] });
  const doc = parser.parse(out.body);
  assert.equal(doc.YealinkIPPhoneTextMenu, undefined);
  assert.equal(doc.YealinkIPPhoneTextScreen.Title, 'Team');
});

test('a list too big for even one item is a text screen, not an empty menu', () => {
  const out = yealink.renderScreen({ kind: 'list', title: 'Team', items: [{ label: 'a', url: `http://srv/${'x'.repeat(20_000)}` }], softkeys: [] });
  assert.ok(!out.body.includes('YealinkIPPhoneTextMenu'));
  assert.ok(out.body.includes('YealinkIPPhoneTextScreen'));
});

test('each item carries its <Selection> and one open-selected key ends in a parameter the phone appends selection= to', () => {
  const out = yealink.renderScreen({
    kind: 'list', title: 'Team',
    items: [{ label: 'Anna', url: 'http://srv/m/a1?t=tok', selection: 'a1' }, { label: 'Bob', url: 'http://srv/m/b2?t=tok', selection: 'b2&x=<1>' }],
    softkeys: [{ label: 'Returned', action: { type: 'open-selected', url: 'http://srv/m/selected/outcome?t=tok' } }],
  });
  const menu = parser.parse(out.body).YealinkIPPhoneTextMenu;
  assert.deepEqual(menu.MenuItem.map((i: Record<string, unknown>) => i.Selection), ['a1', 'b2x1'], 'only URL-safe characters');
  assert.equal(menu.SoftKey[0].URI, 'http://srv/m/selected/outcome?t=tok&sel=');
});

test('a dial softkey becomes Dial:<number> and an undialable one is dropped', () => {
  const out = yealink.renderScreen({
    kind: 'text',
    title: 'Missed call',
    lines: ['Anna Smith', '0612345678'],
    softkeys: [
      { label: 'Call', action: { type: 'dial', number: '+49 (30) 123-456' } },
      { label: 'Nothing', action: { type: 'dial', number: '()' } },
    ],
  });
  const screen = parser.parse(out.body).YealinkIPPhoneTextScreen;
  assert.equal(screen.Text, 'Anna Smith\n0612345678');
  assert.deepEqual(screen.SoftKey, [{ '@index': '1', Label: 'Call', URI: 'Dial:+4930123456' }]);
});

test('a 200-item list keeps at most 30 items and 10 000 bytes', () => {
  const items = Array.from({ length: 200 }, (_, i) => ({ label: `&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&& ${i}`, url: `http://srv/m/${i}?t=tok&a=1&b=2&c=3`, dial: '0612345678' }));
  const out = yealink.renderScreen({ kind: 'list', title: 'x', items, softkeys: [] });
  const menu = parser.parse(out.body).YealinkIPPhoneTextMenu;
  assert.ok(menu.MenuItem.length <= 30);
  assert.ok(menu.MenuItem.length >= 10, `still shows ${menu.MenuItem.length} items`);
  assert.ok(Buffer.byteLength(out.body) <= 10_000);
});

test('labels are cut to 40 characters with an ellipsis', () => {
  const out = yealink.renderScreen({ kind: 'list', title: 't', items: [{ label: 'x'.repeat(100), url: 'http://srv/a' }], softkeys: [] });
  const menu = parser.parse(out.body).YealinkIPPhoneTextMenu;
  assert.equal(menu.MenuItem[0].Prompt, `${'x'.repeat(39)}…`);
});

test('$callDirection and $duration become hints only when unmistakable; unfilled or odd values are no hint', () => {
  const parse = (q: string) => {
    const r = yealink.parseEvent(getRequest(`/e?e=connected&remote=sip:0612@pbx&${q}`));
    assert.ok(r.ok);
    return r.events[0]?.hints;
  };
  assert.deepEqual(parse('dir=Incoming&dur=0'), { direction: 'incoming', durationSeconds: 0 });
  assert.deepEqual(parse('dir=outgoing&dur=1:02:03'), { direction: 'outgoing', durationSeconds: 3723 });
  assert.deepEqual(parse('dur=75'), { durationSeconds: 75 });
  assert.equal(parse('dir=$callDirection&dur=$duration'), undefined);
  assert.equal(parse('dir=2&dur=-5'), undefined, 'a numeric direction code is not confirmed: no hint');
  assert.equal(parse('dir=incomingx&dur=99:99:99'), undefined);
});
