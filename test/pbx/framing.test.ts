import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createAmiParser, getField, type AmiFrame, type AmiMessage } from '../../src/pbx/asterisk/framing.ts';
import { formatAction } from '../../src/pbx/asterisk/action.ts';
import { CAPTURES, readCapture, toWire } from './ami-sequences.ts';

function messagesOf(frames: AmiFrame[]): AmiMessage[] {
  return frames.flatMap((f) => (f.type === 'message' ? [{ ...f.message }] : []));
}

function parseChunks(chunks: Buffer[], limits?: Parameters<typeof createAmiParser>[0]): AmiFrame[] {
  const parser = createAmiParser(limits);
  return chunks.flatMap((c) => parser.push(c));
}

const cancelCrlf = Buffer.from(toWire(readCapture('ami-unanswered-cancel.raw'), '\r\n'));
const cancelWhole = messagesOf(parseChunks([cancelCrlf]));

test('parses a CRLF capture into one message per event, fields as sent', () => {
  assert.equal(cancelWhole.length, 15);
  const first = cancelWhole[0];
  assert.equal(first?.['Event'], 'Newchannel');
  assert.equal(first?.['Channel'], 'PJSIP/1986-0000001d');
  assert.equal(first?.['AccountCode'], '');
  assert.equal(first?.['Linkedid'], '1770888559.46');
  assert.equal(cancelWhole.at(-1)?.['Cause-txt'], 'Interworking, unspecified');
});

for (const name of CAPTURES) {
  test(`parses ${name} with LF line ends exactly as with CRLF`, () => {
    const text = readCapture(name);
    const lf = messagesOf(parseChunks([Buffer.from(toWire(text, '\n'))]));
    const crlf = messagesOf(parseChunks([Buffer.from(toWire(text, '\r\n'))]));
    assert.deepEqual(lf, crlf);
    assert.equal(lf.length, (text.match(/^Event: /gm) ?? []).length);
  });

  test(`yields the same messages from ${name} fed one byte at a time, CRLF and LF`, () => {
    for (const eol of ['\r\n', '\n'] as const) {
      const bytes = Buffer.from(toWire(readCapture(name), eol));
      const whole = messagesOf(parseChunks([bytes]));
      const parser = createAmiParser();
      const frames: AmiFrame[] = [];
      for (let i = 0; i < bytes.length; i++) frames.push(...parser.push(bytes.subarray(i, i + 1)));
      assert.deepEqual(messagesOf(frames), whole);
    }
  });
}

test('yields the same messages whichever byte boundary the stream is split at, inside CRLFs included', () => {
  for (let i = 1; i < cancelCrlf.length; i++) {
    const got = messagesOf(parseChunks([cancelCrlf.subarray(0, i), cancelCrlf.subarray(i)]));
    assert.deepEqual(got, cancelWhole, `split at byte ${i}`);
  }
});

test('reports the greeting as a banner frame and not as a message', () => {
  const frames = parseChunks([Buffer.from('Asterisk Call Manager/9.0.0\r\nResponse: Success\r\nActionID: 1\r\n\r\n')]);
  assert.deepEqual(frames[0], { type: 'banner', version: '9.0.0' });
  assert.equal(frames.length, 2);
  assert.equal(frames[1]?.type === 'message' && frames[1].message['Response'], 'Success');
});

test('keeps every ": " after the first one inside the value', () => {
  const [m] = messagesOf(parseChunks([Buffer.from('Response: Error\r\nMessage: Channel: PJSIP/11: not found\r\n\r\n')]));
  assert.equal(m?.['Message'], 'Channel: PJSIP/11: not found');
});

test('decodes a UTF-8 caller name whose bytes are split across two packets', () => {
  const bytes = Buffer.from('Event: Newchannel\r\nCallerIDName: Jürgen Müller\r\n\r\n');
  const cut = bytes.indexOf(Buffer.from('ü')) + 1; // between the two bytes of ü
  const [m] = messagesOf(parseChunks([bytes.subarray(0, cut), bytes.subarray(cut)]));
  assert.equal(m?.['CallerIDName'], 'Jürgen Müller');
});

test('ignores extra blank lines, and reports a line without a colon while keeping its message', () => {
  const frames = parseChunks([Buffer.from('\r\n\r\nEvent: Hangup\r\nnonsense\r\nUniqueid: 1.2\r\n\r\n\r\n')]);
  assert.deepEqual(frames.filter((f) => f.type === 'error'), [{ type: 'error', reason: 'malformed-line' }]);
  assert.deepEqual(messagesOf(frames), [{ Event: 'Hangup', Uniqueid: '1.2' }]);
});

test('skips an oversized line without buffering it, drops its message and resumes at the next one', () => {
  const parser = createAmiParser({ maxLineBytes: 64 });
  const frames: AmiFrame[] = [];
  frames.push(...parser.push(Buffer.from('Event: Hangup\r\nUniqueid: ')));
  // 1 MB without a line end, in pieces: nothing of it may be kept.
  for (let i = 0; i < 16; i++) frames.push(...parser.push(Buffer.alloc(65536, 0x41)));
  frames.push(...parser.push(Buffer.from('\r\nLinkedid: 1.2\r\n\r\nEvent: Newchannel\r\nUniqueid: 3.4\r\n\r\n')));
  assert.deepEqual(frames.filter((f) => f.type === 'error'), [{ type: 'error', reason: 'line-too-long' }]);
  assert.deepEqual(messagesOf(frames), [{ Event: 'Newchannel', Uniqueid: '3.4' }]);
});

test('drops a message over the size cap whole, and parses the next one', () => {
  const many = Array.from({ length: 100 }, (_, i) => `ChanVariable: v${i}=x\r\n`).join('');
  const frames = parseChunks([Buffer.from(`Event: Newchannel\r\n${many}\r\nEvent: Hangup\r\nUniqueid: 1.2\r\n\r\n`)],
    { maxMessageBytes: 512 });
  assert.deepEqual(frames.filter((f) => f.type === 'error'), [{ type: 'error', reason: 'message-too-large' }]);
  assert.deepEqual(messagesOf(frames), [{ Event: 'Hangup', Uniqueid: '1.2' }]);
});

test('treats __proto__ as an ordinary header name and keeps repeated headers in order', () => {
  const [m] = messagesOf(parseChunks([Buffer.from('Event: VarSet\r\n__proto__: polluted\r\nVariable: a\r\nVariable: b\r\n\r\n')]));
  assert.equal(m?.['__proto__'], 'polluted');
  assert.equal(m?.['Variable'], 'a\nb');
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
});

test('finds a header by its documented name whatever case the PBX used', () => {
  const m = Object.assign(Object.create(null) as AmiMessage, { ActionId: '7' });
  assert.equal(getField(m, 'ActionID'), '7');
  assert.equal(getField(m, 'Missing'), '');
});

test('formats an action as CRLF lines ended by an empty line', () => {
  assert.equal(formatAction({ Action: 'Ping', ActionID: 'x' }), 'Action: Ping\r\nActionID: x\r\n\r\n');
});

test('refuses an action value with a line break and does not echo the value', () => {
  assert.throws(() => formatAction({ Action: 'Login', Secret: 's3cret\r\nAction: Originate' }), (err: Error) => {
    assert.doesNotMatch(err.message, /s3cret/);
    return true;
  });
});
