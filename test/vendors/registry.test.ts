import assert from 'node:assert/strict';
import { test } from 'node:test';
import { vendorByName, vendorForUserAgent, vendors } from '../../src/vendors/index.ts';
import { USER_AGENTS } from './user-agents.ts';

test('vendorByName finds every vendor in any case, Polycom as Poly, and nothing else', () => {
  for (const [name, adapter] of Object.entries(vendors)) {
    assert.equal(vendorByName(name), adapter);
    assert.equal(vendorByName(name.toUpperCase()), adapter);
    assert.equal(adapter.name, name);
  }
  assert.equal(vendorByName('polycom'), vendors.poly);
  assert.equal(vendorByName(' PolyCom '), vendors.poly);
  for (const name of ['', 'constructor', '__proto__', 'toString', 'hasOwnProperty', 'avaya', 'yealink2']) {
    assert.equal(vendorByName(name), undefined, name);
  }
});

test('vendorForUserAgent picks the one vendor that sent a User-Agent', () => {
  for (const [name, agents] of Object.entries(USER_AGENTS)) {
    for (const ua of agents) assert.equal(vendorForUserAgent(ua)?.name, name, ua);
  }
  assert.equal(vendorForUserAgent('curl/8.5.0'), undefined);
});

test('every adapter declares limits that fit its documented object', () => {
  assert.equal(vendors.yealink.limits.maxItems, 30);
  assert.equal(vendors.yealink.limits.maxBytes, 10_000);
  assert.equal(vendors.cisco.limits.maxItems, 100);
  assert.equal(vendors.cisco.limits.maxLabelChars, 64);
  assert.equal(vendors.cisco.limits.maxTitleChars, 32);
  assert.ok(vendors.poly.limits.maxSoftkeys <= 8);
});
