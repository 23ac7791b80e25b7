import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ProvisionError } from '../../src/vendors/shared/provision-error.ts';
import { keyValueFile } from '../../src/vendors/shared/formats/key-value.ts';
import { attributesFile, nestedFile } from '../../src/vendors/shared/formats/xml-settings.ts';
import { createHttpAuth, parseParams } from '../../src/provisioning/http-auth.ts';
import { createLoginLimiter } from '../../src/provisioning/login-limiter.ts';
import { TemplateError, loadTemplates } from '../../src/provisioning/templates.ts';
import { posixTz, zoneInfo } from '../../src/vendors/shared/time-zone.ts';
import { macInUserAgent } from '../../src/vendors/shared/user-agent.ts';
import { vendors } from '../../src/vendors/index.ts';
import { USER_AGENTS } from '../vendors/user-agents.ts';

describe('time zones as phones take them', () => {
  test('Berlin: +1, DST from the last Sunday of March 02:00 to the last Sunday of October 03:00', () => {
    const z = zoneInfo('Europe/Berlin');
    assert.equal(z.standardOffsetMinutes, 60);
    assert.deepEqual(z.dst, { offsetMinutes: 120, start: { month: 3, week: 5, weekday: 0, hour: 2, minute: 0 }, end: { month: 10, week: 5, weekday: 0, hour: 3, minute: 0 } });
    assert.equal(posixTz(z), '<+01>-1<+02>-2,M3.5.0/2,M10.5.0/3');
  });

  test('New York uses the second Sunday of March and the first of November; Kolkata has no DST and a half-hour offset', () => {
    assert.equal(posixTz(zoneInfo('America/New_York')), '<-05>5<-04>4,M3.2.0/2,M11.1.0/2');
    assert.deepEqual([zoneInfo('Asia/Kolkata').standardOffsetMinutes, zoneInfo('Asia/Kolkata').dst], [330, null]);
  });
});

describe('file formats refuse what could change their structure', () => {
  test('a key = value file refuses line breaks, controls and edge spaces in values, and odd keys', () => {
    for (const value of ['a\nb', 'a\rb', 'a\u2028b', 'a\u0085b', 'a\u0000b', ' a', 'a ']) {
      assert.throws(() => keyValueFile('#!version:1.0.0.1', [['account.1.label', value]]), ProvisionError, JSON.stringify(value));
    }
    assert.throws(() => keyValueFile('#', [['a = b\nc', 'x']]), ProvisionError);
    assert.equal(keyValueFile('#!version:1.0.0.1', [['k', 'a = b # "c" <d>']]), '#!version:1.0.0.1\nk = a = b # "c" <d>\n');
  });

  test('XML files escape markup and refuse control characters instead of dropping them', () => {
    assert.match(attributesFile('polycomConfig', [['reg.1.label', '"<&>']]), /reg\.1\.label="&quot;&lt;&amp;&gt;"/);
    assert.throws(() => attributesFile('polycomConfig', [['reg.1.label', 'a\nb']]), ProvisionError);
    assert.throws(() => attributesFile('polycomConfig', [['bad name', 'x']]), ProvisionError);
    assert.match(nestedFile('sysConf', [['sip.line[1].PhoneNumber', '11'], ['sip.line[2].PhoneNumber', '12'], ['sip.line[1].DisplayName', 'A']]),
      /<sip>\s*<line index="1">\s*<PhoneNumber>11<\/PhoneNumber>\s*<DisplayName>A<\/DisplayName>\s*<\/line>\s*<line index="2">/);
  });
});

describe('templates', () => {
  test('a template with an unknown placeholder, a key the format cannot carry, or bad JSON stops loading, naming the file', async () => {
    const root = await mkdtemp(join(tmpdir(), 'ringback-tpl-'));
    const provisioning = Object.fromEntries(Object.values(vendors).map((v) => [v.name, v.provisioning]));
    try {
      await mkdir(join(root, 'yealink'));
      for (const [content, error] of [
        [{ settings: { 'a.b': '{{token}}' } }, /common\.json: a\.b: unknown placeholder \{\{token\}\}/],
        [{ settings: { 'a b': 'x' } }, /"a b" is not a setting name/],
        [{ settings: { 'a.b': 'x' }, extra: 1 }, /common\.json/],
        ['{not json', /not valid JSON/],
      ] as const) {
        await writeFile(join(root, 'yealink', 'common.json'), typeof content === 'string' ? content : JSON.stringify(content));
        assert.throws(() => loadTemplates([root], provisioning), (e: unknown) => e instanceof TemplateError && error.test(e.message));
      }
      await writeFile(join(root, 'yealink', 'common.json'), JSON.stringify({ settings: { a: '1', b: '2' } }));
      await writeFile(join(root, 'yealink', 'T46U.json'), JSON.stringify({ settings: { a: null, c: '3' }, vars: { missedKey: 4 } }));
      const t = loadTemplates([root], provisioning).resolve('yealink', 'T46U');
      assert.deepEqual([t.settings, t.vars], [[['b', '2'], ['c', '3']], { missedKey: '4' }]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('credentials and identity', () => {
  test('Digest parameters parse with quotes, escapes and commas inside quotes', () => {
    const p = parseParams('username="a\\"b", realm="r, s", nc=00000001, qop=auth');
    assert.deepEqual(Object.fromEntries(p ?? []), { username: 'a"b', realm: 'r, s', nc: '00000001', qop: 'auth' });
    assert.equal(parseParams('username="unterminated'), null);
  });

  test('RFC 2069 Digest (no qop) from old firmware is accepted; a forged nonce is not', async () => {
    const { createHash } = await import('node:crypto');
    const md5 = (s: string) => createHash('md5').update(s).digest('hex');
    const auth = createHttpAuth({ credentials: { user: 'u', password: 'p' }, now: () => 1_000_000 });
    const nonce = /nonce="([^"]+)"/.exec(auth.challenges()[0] ?? '')?.[1] ?? '';
    const response = (n: string) => md5(`${md5('u:ringback:p')}:${n}:${md5('GET:/provision/x.cfg')}`);
    const header = (n: string) => `Digest username="u", realm="ringback", nonce="${n}", uri="/provision/x.cfg", response="${response(n)}"`;
    assert.deepEqual(auth.check('GET', '/provision/x.cfg', header(nonce)), { ok: true });
    assert.deepEqual(auth.check('GET', '/provision/x.cfg', header('abc.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')), { ok: false, reason: 'wrong' });
  });

  test('the login brake forgets an address after the longest pause', () => {
    let now = 0;
    const limiter = createLoginLimiter({ now: () => now, freeFailures: 1, baseDelayMs: 1000, maxDelayMs: 4000 });
    limiter.failure('10.0.0.1');
    assert.equal(limiter.waitMs('10.0.0.1'), 0);
    limiter.failure('10.0.0.1');
    assert.equal(limiter.waitMs('10.0.0.1'), 1000);
    for (let i = 0; i < 10; i++) limiter.failure('10.0.0.1');
    assert.equal(limiter.waitMs('10.0.0.1'), 4000);
    now = 4001;
    assert.equal(limiter.waitMs('10.0.0.1'), 0);
    assert.equal(limiter.waitMs('10.0.0.2'), 0);
  });

  test('the MAC a phone\'s User-Agent names is read for every vendor that sends one, and a firmware number is not taken for one', () => {
    assert.equal(macInUserAgent(USER_AGENTS.yealink[0] ?? ''), '805ec0123456');
    assert.equal(macInUserAgent(USER_AGENTS.fanvil[0] ?? ''), '0c383e123456');
    assert.equal(macInUserAgent(USER_AGENTS.grandstream[0] ?? ''), '000b82123456');
    assert.equal(macInUserAgent(USER_AGENTS.snom[1] ?? ''), '000413abcdef');
    assert.equal(macInUserAgent('Cisco-CP8841-3PCC/11.3.7'), undefined);
    assert.equal(macInUserAgent('Phone 123456789012'), '123456789012');
    assert.equal(macInUserAgent('Phone/1.2.123456789012x'), undefined);
  });

  test('every vendor reads model and firmware from its own User-Agents', () => {
    const seen = Object.fromEntries(Object.entries(USER_AGENTS).map(([name, uas]) => [name, vendors[name as keyof typeof vendors].provisioning?.identify(uas[0] ?? '')]));
    assert.deepEqual(seen, {
      yealink: { model: 'T46U', firmware: '108.86.0.20' },
      poly: { model: 'VVX_410', firmware: '5.9.0.9373' },
      cisco: { model: 'CP8841-3PCC', firmware: '11.3.7' },
      snom: { model: '870', firmware: '8.7.5.35' },
      grandstream: { model: 'GXP2170', firmware: '1.0.11.3' },
      fanvil: { model: 'X4U', firmware: '2.12.2' },
    });
  });
});

describe('configuration', () => {
  test('provisioning credentials come as a pair, and a bad password is named without being repeated', async () => {
    const { loadConfig } = await import('../../src/config.ts');
    const ok = loadConfig({ RINGBACK_PROVISION_USER: 'phones', RINGBACK_PROVISION_PASSWORD: 'Good.password-123', RINGBACK_PROVISION_ALLOW: '10.0.0.0/8' });
    assert.ok(ok.ok);
    assert.deepEqual([ok.config.provision.credentials, ok.config.provision.allow], [{ user: 'phones', password: 'Good.password-123' }, ['10.0.0.0/8']]);
    const off = loadConfig({});
    assert.ok(off.ok && off.config.provision.credentials === null);
    const half = loadConfig({ RINGBACK_PROVISION_USER: 'phones' });
    assert.ok(!half.ok && half.errors.some((e) => /RINGBACK_PROVISION_USER: set RINGBACK_PROVISION_PASSWORD too/.test(e)));
    const bad = loadConfig({ RINGBACK_PROVISION_USER: 'phones', RINGBACK_PROVISION_PASSWORD: 'has space in it 123' });
    assert.ok(!bad.ok && bad.errors.some((e) => e.startsWith('RINGBACK_PROVISION_PASSWORD:')));
    assert.ok(!JSON.stringify(bad).includes('has space in it'));
  });
});
