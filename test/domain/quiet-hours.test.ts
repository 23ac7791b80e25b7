import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isQuiet, parseQuietHours, quietEnds } from '../../src/domain/quiet-hours.ts';
import { BERLIN } from '../notify/fixtures.ts';

const NIGHT = parseQuietHours('20:00-07:00');

test('quiet hours follow the wall clock of the zone before and after the clocks go back', () => {
  const quiet = (iso: string): boolean => isQuiet(NIGHT, BERLIN, iso);
  // Saturday (CEST, UTC+2) and Sunday (CET, UTC+1) mornings and evenings.
  assert.deepEqual(['2026-10-24T04:59:00Z', '2026-10-24T05:00:00Z', '2026-10-24T17:59:00Z', '2026-10-24T18:00:00Z'].map(quiet),
    [true, false, false, true]);
  assert.deepEqual(['2026-10-25T05:30:00Z', '2026-10-25T05:59:00Z', '2026-10-25T06:00:00Z', '2026-10-25T18:59:00Z', '2026-10-25T19:00:00Z'].map(quiet),
    [true, true, false, false, true]);
  assert.equal(quiet('2026-10-25T01:30:00Z'), true, 'the second 02:30');
});

test('the night of the change lasts twelve real hours, and its end is found from inside it', () => {
  assert.equal(quietEnds(NIGHT, BERLIN, '2026-10-24T18:00:00Z'), '2026-10-25T06:00:00.000Z');
  assert.equal(quietEnds(NIGHT, BERLIN, '2026-10-25T00:30:00Z'), '2026-10-25T06:00:00.000Z');
  assert.equal(quietEnds(NIGHT, BERLIN, '2026-10-25T12:00:00Z'), null, 'not quiet at noon');
});

test('no quiet hours means never quiet; quiet hours until midnight end at midnight', () => {
  assert.equal(isQuiet(null, BERLIN, '2026-10-25T01:30:00Z'), false);
  const evening = parseQuietHours('22:00-00:00');
  assert.equal(isQuiet(evening, BERLIN, '2026-11-26T21:30:00Z'), true, '22:30 CET');
  assert.equal(isQuiet(evening, BERLIN, '2026-11-26T23:00:00Z'), false, '00:00 CET');
});

test('a malformed quiet-hours value is refused with a sentence', () => {
  assert.throws(() => parseQuietHours('8-17'), /expected HH:MM-HH:MM/);
  assert.throws(() => parseQuietHours('20:00-20:00'), /same time/);
  assert.throws(() => parseQuietHours('25:00-07:00'), /expected HH:MM-HH:MM/);
});
