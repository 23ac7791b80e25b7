import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { XMLValidator } from 'fast-xml-parser';
import type { EventKind } from '../../src/domain/types.ts';
import { poly } from '../../src/vendors/poly/index.ts';
import { vendorByName } from '../../src/vendors/index.ts';
import { testVendor } from './conformance.ts';
import { postRequest, type EventFixture } from './helpers.ts';

const xml = (file: string): string => readFileSync(new URL(`../fixtures/poly/${file}`, import.meta.url), 'utf8');
const fixture = (file: string, kinds: EventKind[]): EventFixture => ({ name: file, request: postRequest(xml(file)), kinds });

testVendor({
  vendor: poly,
  fixtures: [
    fixture('telnotification-IncomingCallEvent.xml', ['ringing']),
    fixture('telnotification-CallStateChangeEvent-Offering.xml', ['ringing']),
    fixture('telnotification-LineRegistrationEvent.xml', ['registered']),
    fixture('LineUnregistrationEvent.xml', ['unregistered']),
    fixture('wrapped-IncomingCallEvent.xml', ['ringing']),
    fixture('wrapped-missed-call.xml', ['ringing', 'ringing', 'ended']),
    fixture('bare-answered-call.xml', ['ringing', 'answered', 'ended']),
    fixture('wrapped-outgoing-call.xml', ['outgoing', 'outgoing', 'outgoing', 'connected', 'ended']),
    fixture('hook-events.xml', ['ended']),
    fixture('offhook-only.xml', []),
  ],
  failing: [fixture('truncated-LineRegistrationEvent.xml', [])],
  skip: [{ reason: 'Poly posts to one telNotification URL and has no per-event $variables', tests: ['event-urls'] }],
});

test('the vendor sample CallStateChangeEvent gives line, caller, called number, reference and UTC time', () => {
  const result = poly.parseEvent(postRequest(xml('telnotification-CallStateChangeEvent-Offering.xml')));
  assert.ok(result.ok);
  assert.deepEqual(result.events[0], {
    kind: 'ringing',
    local: '4547',
    remote: '4520',
    remoteName: 'LizAvayaSIP3',
    called: '4547',
    callRef: '2',
    phoneTime: '2015-07-14T20:37:33.000Z',
    reportedMac: '00907a13b900',
  });
});

test('the vendor sample IncomingCallEvent keeps user@host as remote and reads a -08:00 offset', () => {
  const result = poly.parseEvent(postRequest(xml('telnotification-IncomingCallEvent.xml')));
  assert.ok(result.ok);
  assert.deepEqual(result.events[0], {
    kind: 'ringing',
    local: '20300',
    remote: '20701@172.18.186.94',
    remoteName: '20701',
    called: '20300',
    callRef: '',
    phoneTime: '2008-07-11T21:19:53.000Z',
    reportedMac: '0004f214b89e',
  });
});

test('quoted display names are unquoted and XML entities decoded once', () => {
  const wrapped = poly.parseEvent(postRequest(xml('wrapped-IncomingCallEvent.xml')));
  const missed = poly.parseEvent(postRequest(xml('wrapped-missed-call.xml')));
  assert.ok(wrapped.ok && missed.ok);
  assert.equal(wrapped.events[0]?.remoteName, 'Anna Smith');
  assert.equal(wrapped.events[0]?.remote, 'sip:+4930123456@pbx.example.com');
  assert.equal(wrapped.events[0]?.phoneTime, '2026-11-26T09:15:00.000Z');
  assert.equal(missed.events[1]?.remoteName, 'AT&T Support ☺');
  assert.equal(poly.parseEvent(postRequest('<IncomingCallEvent><CallingPartyName>&amp;lt;b&amp;gt;</CallingPartyName></IncomingCallEvent>')).ok, true);
  const twice = poly.parseEvent(postRequest('<IncomingCallEvent><CallingPartyName>&amp;lt;b&amp;gt;</CallingPartyName></IncomingCallEvent>'));
  assert.ok(twice.ok);
  assert.equal(twice.events[0]?.remoteName, '&lt;b&gt;');
});

test('a missed call is ringing then ended on the same CallReference with no connected', () => {
  const result = poly.parseEvent(postRequest(xml('wrapped-missed-call.xml')));
  assert.ok(result.ok);
  const [, offering, free] = result.events;
  assert.equal(offering?.callRef, '3');
  assert.equal(free?.callRef, '3');
  assert.equal(free?.remote, '0612345678');
  assert.equal(free?.phoneTime, '2026-11-26T15:15:31.000Z');
});

test('Connected is answered on an incoming call and connected on an outgoing one', () => {
  const incoming = poly.parseEvent(postRequest(xml('bare-answered-call.xml')));
  const outgoing = poly.parseEvent(postRequest(xml('wrapped-outgoing-call.xml')));
  assert.ok(incoming.ok && outgoing.ok);
  assert.equal(incoming.events[1]?.kind, 'answered');
  assert.equal(outgoing.events[3]?.kind, 'connected');
  assert.equal(outgoing.events[3]?.remote, '0612345678');
  assert.equal(outgoing.events[3]?.local, '4547');
  assert.equal(outgoing.events[0]?.remote, '0612345678@172.29.101.1');
  assert.equal(outgoing.events[0]?.local, '4547');
});

test('a time stamp without an offset or with an impossible date gives no phone time', () => {
  const body = (ts: string) => `<OnHookEvent><MACAddress>00907a13b900</MACAddress><TimeStamp>${ts}</TimeStamp></OnHookEvent>`;
  const time = (ts: string) => {
    const r = poly.parseEvent(postRequest(body(ts)));
    return r.ok ? r.events[0]?.phoneTime : 'refused';
  };
  assert.equal(time('2026-11-26T09:15:00'), null);
  assert.equal(time('2026-02-30T09:15:00Z'), null);
  assert.equal(time('yesterday'), null);
  assert.equal(time('2026-11-26T09:15:00.5Z'), '2026-11-26T09:15:00.500Z');
  assert.equal(time('2026-11-26T09:15:00+05:30'), '2026-11-26T03:45:00.000Z');
});

test("each event carries the MAC the body states, in lower case, for the server to check against the token", () => {
  const mac = (body: string) => {
    const r = poly.parseEvent(postRequest(body));
    return r.ok ? r.events.map((e) => e.reportedMac ?? null) : 'refused';
  };
  assert.deepEqual(mac(xml('telnotification-IncomingCallEvent.xml')), ['0004f214b89e']);
  const wrapped = mac(xml('wrapped-missed-call.xml'));
  assert.ok(wrapped !== 'refused' && wrapped.length > 0 && wrapped.every((m) => m === '00907a13b900'));
  assert.deepEqual(mac('<LineRegistrationEvent><MACAddress>00:04:F2:14:B8:9E</MACAddress><LineNumber>1</LineNumber></LineRegistrationEvent>'), ['0004f214b89e']);
  assert.deepEqual(mac('<LineRegistrationEvent><MACAddress>not-a-mac</MACAddress><LineNumber>1</LineNumber></LineRegistrationEvent>'), [null]);
});

test('a billion-laughs body and a deeply nested 64 KB body are refused quickly', () => {
  const lol = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('')}]><IncomingCallEvent><CallingPartyName>&lol9;</CallingPartyName></IncomingCallEvent>`;
  const nested = `<IncomingCallEvent>${'<a>'.repeat(20_000)}${'</a>'.repeat(20_000)}</IncomingCallEvent>`.slice(0, 64 * 1024);
  const balanced = `<PolycomIPPhone>${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}</PolycomIPPhone>`;
  for (const body of [lol, nested, balanced, `<!doctype x>${xml('offhook-only.xml')}`, `<!ENTITY x "y">`]) {
    const started = performance.now();
    const result = poly.parseEvent(postRequest(body));
    assert.equal(result.ok, false);
    assert.ok(performance.now() - started < 2000, 'bounded time (an expanded entity or a recursive walk would take far longer)');
  }
});

test('more than 20 events in one body are cut to 20', () => {
  const body = `<PolycomIPPhone>${xml('LineUnregistrationEvent.xml').repeat(40)}</PolycomIPPhone>`;
  const result = poly.parseEvent(postRequest(body));
  assert.ok(result.ok);
  assert.equal(result.events.length, 20);
});

test('an XML declaration and byte-order mark before the event are accepted', () => {
  const result = poly.parseEvent(postRequest(`\uFEFF<?xml version="1.0" encoding="UTF-8"?>\n${xml('LineUnregistrationEvent.xml')}`));
  assert.ok(result.ok);
  assert.equal(result.events[0]?.kind, 'unregistered');
});

test('screens are strict XHTML with item links, lower-case tel: call links and softkey index 1 to 8 only', () => {
  const out = poly.renderScreen({
    kind: 'list',
    title: 'Team missed',
    items: [{ label: 'Anna 0612', url: 'http://srv/m/1?t=tok&x=1', dial: '0612' }],
    softkeys: [
      { label: 'Call', action: { type: 'dial-selected' } },
      { label: 'Open', action: { type: 'select' } },
      ...Array.from({ length: 10 }, (_, i) => ({ label: `K${i}`, action: { type: 'open' as const, url: `http://srv/k/${i}` } })),
    ],
  });
  assert.equal(out.contentType, 'text/html; charset=utf-8');
  assert.equal(XMLValidator.validate(out.body), true);
  assert.ok(out.body.includes('<a href="http://srv/m/1?t=tok&amp;x=1">Anna 0612</a> <a href="tel:0612">Call</a>'));
  assert.ok(!/Tel:\/\//i.test(out.body), 'Tel:// is not confirmed: never sent');
  assert.equal(out.body.match(/<softkey /g)?.length, 8);
  assert.ok(out.body.includes('<softkey index="8" label="K7" action="http://srv/k/7"/>'));
  assert.ok(!out.body.includes('index="9"'));
});

test('Back is left to the phone (it adds one by default): no SoftKey:Back takes one of the eight slots', () => {
  const out = poly.renderScreen({
    kind: 'text', title: 'Call', lines: ['Anna'],
    softkeys: [{ label: 'Call', action: { type: 'dial', number: '0612' } }, { label: 'Back', action: { type: 'back' } }, { label: 'Exit', action: { type: 'exit' } }],
  });
  assert.ok(!out.body.includes('SoftKey:Back'));
  assert.ok(out.body.includes('<softkey index="1" label="Call" action="tel:0612"/>'));
  assert.ok(out.body.includes('<softkey index="2" label="Exit" action="SoftKey:Exit"/>'));
});

test('the registry finds Poly under its old name Polycom in any case', () => {
  assert.equal(vendorByName('Polycom'), poly);
  assert.equal(vendorByName('POLY'), poly);
});

test('character references to control characters, lone surrogates and 10 KB names are cleaned and capped', () => {
  const body = `<IncomingCallEvent><CallingPartyName>&#1;&#x1b;[31m&#xD800;&#0;${'x'.repeat(10_000)}</CallingPartyName><CallingPartyNumber>&#x202E;0612</CallingPartyNumber></IncomingCallEvent>`;
  const result = poly.parseEvent(postRequest(body));
  assert.ok(result.ok);
  const event = result.events[0]!;
  assert.equal(event.remoteName.length, 256);
  assert.ok(event.remoteName.startsWith('[31mxxx'));
  assert.equal(event.remote, '0612');
});

test('an event sent as one form field (Content-Type not confirmed) is read like a raw body', () => {
  const form = `xml=${encodeURIComponent(xml('telnotification-LineRegistrationEvent.xml'))}`;
  const result = poly.parseEvent(postRequest(form, { 'content-type': 'application/x-www-form-urlencoded' }));
  assert.ok(result.ok);
  assert.equal(result.events[0]?.kind, 'registered');
  assert.equal(result.events[0]?.reportedMac, '00907a13b900');
  const hostile = `x=${encodeURIComponent('<!DOCTYPE a [<!ENTITY b "c">]><OnHookEvent/>')}`;
  assert.equal(poly.parseEvent(postRequest(hostile)).ok, false);
});
