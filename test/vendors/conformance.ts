/**
 * The conformance suite every vendor adapter runs (STYLE.md lesson 6). Not a `*.test.ts` file:
 * each `test/vendors/<name>.test.ts` calls `testVendor(...)` and adds its own tests.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { XMLValidator } from 'fast-xml-parser';
import type { ParsedEvent } from '../../src/domain/types.ts';
import { VENDOR_NAMES } from '../../src/domain/types.ts';
import type { ListScreen, TextScreen } from '../../src/screens/model.ts';
import type { InboundRequest, VendorAdapter } from '../../src/vendors/types.ts';
import { getRequest, postRequest, type EventFixture } from './helpers.ts';
import { FOREIGN_USER_AGENTS, USER_AGENTS } from './user-agents.ts';

export type ConformanceTest = 'fixtures' | 'garbage' | 'hostile-fields' | 'list' | 'text' | 'detect' | 'event-urls';

export interface TestVendorOptions {
  vendor: VendorAdapter;
  fixtures: EventFixture[];
  /** Requests this vendor must refuse with `{ ok: false }` (on top of the shared garbage). */
  failing?: EventFixture[];
  /** Parts of the suite that do not apply, each with its reason (hono's `skip` shape). */
  skip?: { reason: string; tests: ConformanceTest[] }[];
}

/** Longest value a parsed field may carry (the adapters cap every field at 256). */
const FIELD_CAP = 256;
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const TEN_KB = 10_240;

export function testVendor({ vendor, fixtures, failing = [], skip = [] }: TestVendorOptions): void {
  const skipped = (name: ConformanceTest): string | false => skip.find((s) => s.tests.includes(name))?.reason ?? false;

  describe(`${vendor.name} conformance`, () => {
    describe('fixtures', { skip: skipped('fixtures') }, () => {
      for (const fixture of fixtures) {
        test(`parses "${fixture.name}" to ${fixture.kinds.join(', ') || 'no events'}`, () => {
          const result = vendor.parseEvent(fixture.request);
          assert.ok(result.ok, result.ok ? '' : result.reason);
          assert.deepEqual(result.events.map((e) => e.kind), fixture.kinds);
          for (const event of result.events) assertCleanEvent(event);
        });
      }
      for (const fixture of failing) {
        test(`refuses "${fixture.name}"`, () => {
          const result = vendor.parseEvent(fixture.request);
          assert.equal(result.ok, false);
        });
      }
    });

    test('answers garbage and hostile requests with { ok: false } and never throws', { skip: skipped('garbage') }, () => {
      for (const [label, request] of garbageRequests()) {
        let result;
        assert.doesNotThrow(() => (result = vendor.parseEvent(request)), label);
        assert.equal(result!.ok, false, `${label} should be refused`);
        if (!result!.ok) {
          assert.equal(typeof result!.reason, 'string', label);
          assert.ok(result!.reason.length <= 200, `${label}: reason is short`);
          assert.doesNotMatch(result!.reason, CONTROL, `${label}: reason has no control characters`);
        }
      }
    });

    test('caps every parsed field and strips control characters from hostile values', { skip: skipped('hostile-fields') }, () => {
      for (const fixture of fixtures) {
        const result = vendor.parseEvent(poison(fixture.request));
        if (!result.ok) continue; // a poisoned event name may be refused; that is fine
        for (const event of result.events) assertCleanEvent(event);
      }
    });

    test('renders a 200-item list with hostile labels as well-formed output within the limits', { skip: skipped('list') }, () => {
      const screen = hostileList(200);
      const started = performance.now();
      const out = vendor.renderScreen(screen);
      assert.ok(performance.now() - started < 2000, 'renders in under 2 s');
      assertWellFormed(out.contentType, out.body);
      const { limits } = vendor;
      assert.ok(Buffer.byteLength(out.body) <= limits.maxBytes, `${Buffer.byteLength(out.body)} bytes ≤ ${limits.maxBytes}`);
      const shown = new Set(out.body.match(/item-\d{3}/g) ?? []);
      assert.ok(shown.size >= 1, 'at least one item is shown');
      assert.ok(shown.size <= limits.maxItems, `${shown.size} items ≤ ${limits.maxItems}`);
      assert.ok(!out.body.includes('A'.repeat(limits.maxLabelChars + 1)), 'a 10 KB label is cut to maxLabelChars');
      assert.ok(!out.body.includes('T'.repeat(limits.maxTitleChars + 1)), 'the title is cut to maxTitleChars');
      assert.doesNotMatch(out.body, CONTROL);
      assert.ok(!out.body.includes('\u202E'), 'bidi override characters are dropped');
      if (isMarkup(out.contentType)) assert.ok(!out.body.includes(']]>'), 'a "]]>" in a label is escaped');
    });

    test('renders a text screen with hostile lines as well-formed output within the limits', { skip: skipped('text') }, () => {
      const out = vendor.renderScreen(hostileText());
      assertWellFormed(out.contentType, out.body);
      assert.ok(Buffer.byteLength(out.body) <= vendor.limits.maxBytes);
      assert.doesNotMatch(out.body, CONTROL);
      assert.ok(out.body.includes('Call back'), 'the first line is shown');
    });

    test('renders an empty list as well-formed output', { skip: skipped('list') }, () => {
      const out = vendor.renderScreen({ kind: 'list', title: 'Nothing missed', items: [], softkeys: [] });
      assertWellFormed(out.contentType, out.body);
    });

    test('detects its own phones by User-Agent and no one else', { skip: skipped('detect') }, () => {
      for (const ua of USER_AGENTS[vendor.name]) assert.equal(vendor.detect(ua), true, ua);
      for (const other of VENDOR_NAMES.filter((n) => n !== vendor.name)) {
        for (const ua of USER_AGENTS[other]) assert.equal(vendor.detect(ua), false, `${other}: ${ua}`);
      }
      for (const ua of FOREIGN_USER_AGENTS) assert.equal(vendor.detect(ua), false, ua);
    });

    test('builds action URLs that a phone leaving every $variable unfilled still gets parsed', { skip: skipped('event-urls') }, () => {
      assert.ok(vendor.eventUrls, 'has eventUrls');
      const base = 'http://ringback.test/phone/event?t=TOKEN123';
      const urls = vendor.eventUrls(base);
      const entries = Object.entries(urls);
      assert.ok(entries.length >= 5);
      const kinds = new Set<string>();
      for (const [setting, url] of entries) {
        assert.ok(url.startsWith(`${base}&e=`), `${setting}: ${url}`);
        assert.ok(url.length <= 511, `${setting}: ${url.length} chars ≤ 511`);
        const result = vendor.parseEvent(getRequest(url.slice(url.indexOf('?'))));
        assert.ok(result.ok, `${setting} parses`);
        for (const event of result.events) {
          kinds.add(event.kind);
          assert.equal(event.remote, '', 'an unfilled $remote is empty');
          assert.equal(event.callRef, '', 'an unfilled call id is empty');
        }
      }
      assert.ok(kinds.has('ringing') && kinds.has('ended'), 'covers ringing and ended');
    });
  });
}

// --- Internal helpers ---

function assertCleanEvent(event: ParsedEvent): void {
  for (const [key, value] of Object.entries(event)) {
    if (typeof value !== 'string') continue;
    assert.ok(value.length <= FIELD_CAP, `${key} is capped (${value.length})`);
    assert.doesNotMatch(value, CONTROL, `${key} has no control characters`);
    assert.ok(!/^\$[a-z_-]+$/i.test(value), `${key} is not an unfilled $variable (${value})`);
  }
  if (event.phoneTime !== null) assert.match(event.phoneTime, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
}

function isMarkup(contentType: string): boolean {
  return /xml|html/.test(contentType);
}

function assertWellFormed(contentType: string, body: string): void {
  if (isMarkup(contentType)) {
    const verdict = XMLValidator.validate(body);
    assert.equal(verdict, true, JSON.stringify(verdict));
  } else {
    assert.match(contentType, /^text\/plain/);
  }
  assert.match(contentType, /charset=utf-8/i);
}

/** Every query value grown to 10 KB with control characters, the body too. */
function poison(request: InboundRequest): InboundRequest {
  const query: Record<string, string> = {};
  for (const [key, value] of Object.entries(request.query)) {
    query[key] = key === 'e' || key === 't' ? value : `${value}\u0001\u001b[31m\u0000${'x'.repeat(TEN_KB)}`;
  }
  return { ...request, query };
}

function garbageRequests(): [string, InboundRequest][] {
  const laughs =
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' +
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><IncomingCallEvent><CallingPartyName>&lol3;</CallingPartyName></IncomingCallEvent>';
  const weird = (query: unknown): InboundRequest => ({ method: 'GET', query, body: '', headers: {} }) as InboundRequest;
  return [
    ['empty GET', getRequest('/e')],
    ['no event parameter', getRequest('/e?t=tok&remote=0612&mac=001565aabbcc')],
    ['unknown event', getRequest('/e?t=tok&e=explode')],
    ['empty event', getRequest('/e?t=tok&e=')],
    ['unfilled event', getRequest('/e?t=tok&e=$event')],
    ['prototype key as event', getRequest('/e?e=constructor')],
    ['__proto__ as event', getRequest('/e?e=__proto__')],
    ['toString as event', getRequest('/e?e=toString')],
    ['10 KB event name', getRequest(`/e?e=${'m'.repeat(TEN_KB)}`)],
    ['control characters as event', getRequest('/e?e=%00%01missed')],
    ['null query', weird(null)],
    ['array values', weird({ e: ['missed', 'ringing'] })],
    ['numeric values', weird({ e: 42 })],
    ['garbage body', postRequest('\u0000\u0001garbage<<<>>>')],
    ['empty body', postRequest('')],
    ['truncated XML', postRequest('<IncomingCallEvent><PhoneIP>1.2.3.4</PhoneIP><MACAddress>0004f2')],
    ['billion laughs', postRequest(laughs)],
    ['external entity', postRequest('<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><IncomingCallEvent>&xxe;</IncomingCallEvent>')],
    ['unknown XML root', postRequest('<Foo><Bar/></Foo>')],
    ['1 MB body', postRequest(`<IncomingCallEvent>${'<a>'.repeat(350_000)}`)],
    ['JSON body', postRequest('{"e":"missed"}', { 'content-type': 'application/json' })],
  ];
}

const HOSTILE = [
  '<&"\'> AT&T <b>bold</b>',
  'ctl\u0001\u0007\u001b[2Jhere\u0000',
  'cdata ]]> end',
  'A'.repeat(TEN_KB),
  'שלום עולם مرحبا 👩‍👩‍👧‍👦 🇩🇪 emoji',
  '\u202Eevil\u202C reversed',
  'line\nbreak\r\ttab',
  '\uFFFE\uFFFF\uD800 lone',
];

function hostileList(count: number): ListScreen {
  // Every item carries a marker in label and URL, so shown items can be counted in any output.
  const items = Array.from({ length: count }, (_, i) => ({
    label: `item-${String(i).padStart(3, '0')} ${HOSTILE[i % HOSTILE.length]}`,
    url: `http://ringback.test/phone/missed/item-${String(i).padStart(3, '0')}?t=tok&p=1`,
    dial: i % 2 === 0 ? '+49301234567' : '0612 345 678',
  }));
  return {
    kind: 'list',
    title: `${'T'.repeat(TEN_KB)}<&>\u0001`,
    items,
    softkeys: [
      { label: 'Open <&>', action: { type: 'select' } },
      { label: 'Call\u0001', action: { type: 'dial-selected' } },
      { label: 'Next page please, very long label', action: { type: 'open', url: 'http://ringback.test/phone/missed?t=tok&page=2' } },
      { label: 'Back', action: { type: 'back' } },
      { label: 'Exit', action: { type: 'exit' } },
      { label: 'Dial', action: { type: 'dial', number: '+49 30 1234"><x' } },
      { label: 'Extra 1', action: { type: 'open', url: 'http://ringback.test/a?t=tok&x="<>' } },
      { label: 'Extra 2', action: { type: 'exit' } },
      { label: 'Extra 3', action: { type: 'exit' } },
      { label: 'Extra 4', action: { type: 'exit' } },
    ],
  };
}

function hostileText(): TextScreen {
  return {
    kind: 'text',
    title: 'Missed call <&>',
    lines: ['Call back', ...HOSTILE, ...Array.from({ length: 50 }, () => 'Z'.repeat(TEN_KB))],
    softkeys: [
      { label: 'Call', action: { type: 'dial', number: '0612345678' } },
      { label: 'Done', action: { type: 'open', url: 'http://ringback.test/phone/done?t=tok&id=17' } },
      { label: 'Back', action: { type: 'back' } },
    ],
  };
}
