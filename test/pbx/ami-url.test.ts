import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeAmiConnection, parseAmiUrl } from '../../src/pbx/asterisk/ami-url.ts';
import { backoffDelay } from '../../src/pbx/asterisk/backoff.ts';

test('parses ami://user:secret@host:port into connection options', () => {
  assert.deepEqual(parseAmiUrl('ami://ringback:s3cret@pbx.example.net:5039'),
    { host: 'pbx.example.net', port: 5039, username: 'ringback', secret: 's3cret' });
});

test('defaults to port 5038 and percent-decodes user and secret', () => {
  assert.deepEqual(parseAmiUrl('ami://ring%20back:p%40ss%3Aw%2Frd@10.0.0.1'),
    { host: '10.0.0.1', port: 5038, username: 'ring back', secret: 'p@ss:w/rd' });
});

test('accepts an IPv6 host in brackets', () => {
  assert.equal(parseAmiUrl('ami://u:s@[::1]:5038').host, '::1');
});

test('rejects malformed URLs with a message that never repeats the secret', () => {
  for (const bad of [
    'http://u:topsecret@pbx:5038', 'ami://u@pbx:5038', 'ami://:topsecret@pbx', 'ami://u:topsecret@pbx:70000',
    'ami://u:topsecret@pbx:5038/path', 'ami://u:topsecret@pbx?x=1', 'ami://u:top%0d%0asecret@pbx', 'not a url topsecret',
    'ami://u:top%E0secret@pbx',
  ]) {
    assert.throws(() => parseAmiUrl(bad), (err: Error) => {
      assert.doesNotMatch(err.message, /topsecret|top%/);
      return true;
    }, bad);
  }
});

test('describes a connection for logs without its secret', () => {
  const c = parseAmiUrl('ami://ringback:s3cret@pbx:5038');
  assert.equal(describeAmiConnection(c), 'ami://ringback@pbx:5038');
});

test('backs off exponentially up to the cap', () => {
  const o = { initialMs: 100, maxMs: 1000, factor: 2 };
  assert.deepEqual([0, 1, 2, 3, 4, 50, 5000].map((a) => backoffDelay(a, o)), [100, 200, 400, 800, 1000, 1000, 1000]);
});
