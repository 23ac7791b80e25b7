import assert from 'node:assert/strict';
import { test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { VENDOR_NAMES } from '../../src/domain/types.ts';
import type { Screen, ScreenAction, Softkey } from '../../src/screens/model.ts';
import { vendors } from '../../src/vendors/index.ts';
import { serialise, xmlDocument } from '../../src/vendors/shared/xml.ts';
import { rng, seedFrom, trapText, type Random } from '../support/random.ts';
import { strictXmlErrors } from '../support/strict-xml.ts';

const SCREENS_PER_VENDOR = 150;
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function action(r: Random): ScreenAction {
  switch (r.int(6)) {
    case 0: return { type: 'open', url: `http://ringback.test/phone/missed/${encodeURIComponent(trapText(r, 3).replace(NOT_XML_CHAR, ''))}?t=tok&p=${r.int(9)}&x=${trapText(r, 2)}` };
    case 1: return { type: 'dial', number: trapText(r, 4) };
    case 2: return { type: 'select' };
    case 3: return { type: 'dial-selected' };
    case 4: return { type: 'back' };
    default: return { type: 'exit' };
  }
}

function screen(r: Random): Screen {
  const softkeys: Softkey[] = Array.from({ length: r.int(10) }, () => ({ label: trapText(r), action: action(r) }));
  if (r.next() < 0.5) return { kind: 'text', title: trapText(r), lines: Array.from({ length: r.int(8) }, () => trapText(r, 30)), softkeys };
  const items = Array.from({ length: r.int(40) }, () => ({
    label: trapText(r, 20), url: `http://ringback.test/phone/missed/${r.int(1e6)}?t=tok&q=${trapText(r, 2)}`, ...(r.next() < 0.7 ? { dial: trapText(r, 4) } : {}),
  }));
  return { kind: 'list', title: trapText(r), items, softkeys };
}

test('every vendor renders generated screens full of controls, surrogates and entity look-alikes as XML a strict parser accepts', async () => {
  const seed = seedFrom(20261201);
  const r = rng(seed);
  const docs: { label: string; body: string }[] = [];
  for (const name of VENDOR_NAMES) {
    for (let i = 0; i < SCREENS_PER_VENDOR; i++) {
      const out = vendors[name].renderScreen(screen(r));
      if (/xml|html/.test(out.contentType)) docs.push({ label: `${name} #${i}`, body: out.body });
      else assert.doesNotMatch(out.body, NOT_XML_CHAR, `${name} #${i}: plain text without controls`);
    }
  }
  assert.ok(docs.length >= 4 * SCREENS_PER_VENDOR, `${docs.length} XML screens`);
  const errors = await strictXmlErrors(docs.map((d) => d.body));
  assert.deepEqual([...errors].slice(0, 5).map(([i, e]) => `${docs[i]!.label}: ${e}\n${docs[i]!.body.slice(0, 400)}`), [], `seed ${seed}`);
});

test('the XML writer gives back exactly the text and attribute it was given, minus what XML 1.0 cannot carry', async () => {
  const seed = seedFrom(20261202);
  const r = rng(seed);
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', processEntities: true, htmlEntities: true, trimValues: false, parseTagValue: false, parseAttributeValue: false });
  const docs: string[] = [];
  for (let i = 0; i < 500; i++) {
    const text = `x${trapText(r, 20)}x`;
    const attr = `y${trapText(r, 20)}y`;
    const doc = xmlDocument('r', { a: attr });
    doc.ele('t').txt(text);
    const xml = i % 2 === 0 ? serialise(doc) : serialise(doc, { pretty: true, attributePerLine: true });
    docs.push(xml);
    const parsed = parser.parse(xml) as { r: { '@a': string; t: string } };
    const want = (s: string) => s.replace(NOT_XML_CHAR, '');
    assert.equal(parsed.r.t, want(text), `seed ${seed} #${i}: text`);
    assert.equal(parsed.r['@a'], want(attr), `seed ${seed} #${i}: attribute`);
  }
  const errors = await strictXmlErrors(docs);
  assert.deepEqual([...errors].slice(0, 5).map(([i, e]) => `#${i}: ${e}\n${docs[i]}`), [], `seed ${seed}`);
});

test('the XML writer keeps namespace declarations and prefixed names', () => {
  const doc = xmlDocument('html', { xmlns: 'http://www.w3.org/1999/xhtml', 'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance' });
  doc.ele('softkey', { 'xsi:type': 'x' });
  assert.equal(serialise(doc), '<?xml version="1.0" encoding="UTF-8"?><html xmlns="http://www.w3.org/1999/xhtml" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><softkey xsi:type="x"/></html>');
});
