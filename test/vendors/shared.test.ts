import assert from 'node:assert/strict';
import { test } from 'node:test';
import { displayNameOf, restorePlus, sipUser, unquote } from '../../src/vendors/shared/sip.ts';
import { charCount, cleanField, cutLabel } from '../../src/vendors/shared/text.ts';
import { dialable } from '../../src/vendors/shared/xml.ts';

test('sipUser takes the user part out of every form phones report', () => {
  const cases: [string, string][] = [
    ['sip:0612@pbx;user=phone', '0612'],
    ['<sip:0612@pbx.example.com:5060;transport=udp>', '0612'],
    ['"Anna Smith" <sips:+4930123@pbx>', '+4930123'],
    ['tel:+4930123;phone-context=example.com', '+4930123'],
    ['20701@172.18.186.94', '20701'],
    ['sip:alice:secret@pbx', 'alice'],
    ['sip:%2A97@pbx', '*97'],
    ['sip:%E0%A4%A@pbx', '%E0%A4%A'],
    ['0612', '0612'],
    ['', ''],
  ];
  for (const [input, user] of cases) assert.equal(sipUser(input), user, input);
});

test('display names are unquoted, including SIP quoted-pairs', () => {
  assert.equal(unquote('"Anna Smith"'), 'Anna Smith');
  assert.equal(unquote('"Say \\"hi\\""'), 'Say "hi"');
  assert.equal(unquote('Bob'), 'Bob');
  assert.equal(displayNameOf('"Anna" <sip:1@x>'), 'Anna');
  assert.equal(displayNameOf('Anna Smith <sip:1@x>'), 'Anna Smith');
  assert.equal(displayNameOf('<sip:1@x>'), '');
});

test('a + decoded to a space in front of digits is restored, other spaces are left alone', () => {
  assert.equal(restorePlus(' 4930123'), '+4930123');
  assert.equal(restorePlus('+4930123'), '+4930123');
  assert.equal(restorePlus(' Anna'), ' Anna');
});

test('cleanField treats unfilled $variables as empty, strips controls and caps the length', () => {
  assert.equal(cleanField('$remote'), '');
  assert.equal(cleanField('$call-id'), '');
  assert.equal(cleanField('$5 off'), '$5 off');
  assert.equal(cleanField(' a\u0000b\u001b\nc '), 'ab c');
  assert.equal(cleanField('x'.repeat(1_000_000)).length, 256);
  assert.equal(cleanField(`${'x'.repeat(255)}😀`).length, 255, 'no half surrogate pair at the cut');
  assert.equal(cleanField(['a']), '');
  assert.equal(cleanField(undefined), '');
});

test('cutLabel counts characters, not UTF-16 units, and ends a cut label with an ellipsis', () => {
  assert.equal(cutLabel('😀'.repeat(10), 10), '😀'.repeat(10));
  assert.equal(cutLabel('😀'.repeat(11), 10), `${'😀'.repeat(9)}…`);
  assert.equal(charCount(cutLabel('a😀'.repeat(100), 64)), 64);
  assert.equal(cutLabel('  many   spaces\there  ', 40), 'many spaces here');
  assert.equal(cutLabel('abc', 0), '');
});

test('dialable keeps digits of a written phone number and the characters of a SIP user name', () => {
  assert.equal(dialable('+49 (30) 123-456'), '+4930123456');
  assert.equal(dialable('0612 345 678'), '0612345678');
  assert.equal(dialable('*97#'), '*97#');
  assert.equal(dialable('alice.smith'), 'alice.smith');
  assert.equal(dialable('0612"><script>'), '0612script');
  assert.equal(dialable(undefined), '');
});
