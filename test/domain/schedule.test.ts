import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  businessHoursErrors, businessMsBetween, formatLocalTime, isWithinBusinessHours, localParts, nextOpening,
  type BusinessHours,
} from '../../src/domain/schedule.ts';

const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';
const HOUR = 3_600_000;
const weekdays = (range: string): BusinessHours['weekly'] => ({ 1: [range], 2: [range], 3: [range], 4: [range], 5: [range] });
const OFFICE: BusinessHours = { weekly: weekdays('08:00-17:00'), holidays: ['2026-12-25'] };
const NY_OFFICE: BusinessHours = { weekly: weekdays('09:00-17:00'), holidays: [] };
const sundays = (range: string): BusinessHours => ({ weekly: { 0: [range] }, holidays: [] });

test('localParts gives the local date, weekday and time, across midnight and per zone', () => {
  assert.deepEqual(localParts('2026-11-25T23:30:00.000Z', BERLIN), { date: '2026-11-26', weekday: 4, time: '00:30' });
  assert.deepEqual(localParts('2026-11-25T23:30:00.000Z', NEW_YORK), { date: '2026-11-25', weekday: 3, time: '18:30' });
});

test('localParts jumps from 01:59 to 03:00 when Berlin springs forward and repeats 02:30 when it falls back', () => {
  assert.equal(localParts('2026-03-29T00:59:59Z', BERLIN).time, '01:59');
  assert.equal(localParts('2026-03-29T01:00:00Z', BERLIN).time, '03:00');
  assert.equal(localParts('2026-10-25T00:30:00Z', BERLIN).time, '02:30');
  assert.equal(localParts('2026-10-25T01:30:00Z', BERLIN).time, '02:30');
});

test('Berlin office hours follow local time before and after each DST change', () => {
  const open = (iso: string): boolean => isWithinBusinessHours(OFFICE, BERLIN, iso);
  // Monday before spring forward: CET, 08:00 = 07:00Z; the end is exclusive.
  assert.deepEqual(['2026-03-23T06:59:00Z', '2026-03-23T07:00:00Z', '2026-03-23T15:59:00Z', '2026-03-23T16:00:00Z'].map(open), [false, true, true, false]);
  // Monday after: CEST, 08:00 = 06:00Z.
  assert.deepEqual(['2026-03-30T05:59:00Z', '2026-03-30T06:00:00Z', '2026-03-30T14:59:00Z', '2026-03-30T15:00:00Z'].map(open), [false, true, true, false]);
  // Monday after falling back: CET again.
  assert.deepEqual(['2026-10-26T06:30:00Z', '2026-10-26T07:00:00Z'].map(open), [false, true]);
  assert.equal(open('2026-03-28T10:00:00Z'), false, 'Saturday');
});

test('a range over the skipped hour is shorter on the spring-forward day', () => {
  assert.equal(businessMsBetween(sundays('01:00-04:00'), BERLIN, '2026-03-28T12:00:00Z', '2026-03-29T12:00:00Z'), 2 * HOUR);
  assert.equal(businessMsBetween(sundays('02:00-03:00'), BERLIN, '2026-03-28T12:00:00Z', '2026-03-29T12:00:00Z'), 0);
  assert.equal(isWithinBusinessHours(sundays('02:00-03:00'), BERLIN, '2026-03-29T01:00:00Z'), false, '03:00 CEST');
  assert.equal(nextOpening(sundays('02:00-03:00'), BERLIN, '2026-03-28T12:00:00Z'), '2026-04-05T00:00:00.000Z', 'no 02:00 that day');
});

test('the repeated hour counts twice on the fall-back day and is one opening, not two', () => {
  const night = sundays('02:00-03:00');
  assert.equal(businessMsBetween(sundays('01:00-04:00'), BERLIN, '2026-10-24T12:00:00Z', '2026-10-25T12:00:00Z'), 4 * HOUR);
  assert.equal(businessMsBetween(night, BERLIN, '2026-10-24T12:00:00Z', '2026-10-25T12:00:00Z'), 2 * HOUR);
  assert.equal(isWithinBusinessHours(night, BERLIN, '2026-10-25T00:30:00Z'), true, 'first 02:30 (CEST)');
  assert.equal(isWithinBusinessHours(night, BERLIN, '2026-10-25T01:30:00Z'), true, 'second 02:30 (CET)');
  assert.equal(nextOpening(night, BERLIN, '2026-10-24T12:00:00Z'), '2026-10-25T00:00:00.000Z');
  assert.equal(nextOpening(night, BERLIN, '2026-10-25T00:30:00Z'), '2026-11-01T01:00:00.000Z');
});

test('nextOpening finds the next morning across a weekend and a DST change', () => {
  assert.equal(nextOpening(OFFICE, BERLIN, '2026-03-27T17:00:00Z'), '2026-03-30T06:00:00.000Z');
  assert.equal(nextOpening(OFFICE, BERLIN, '2026-03-30T05:00:00Z'), '2026-03-30T06:00:00.000Z');
  assert.equal(nextOpening(OFFICE, BERLIN, '2026-03-30T06:00:00Z'), '2026-03-30T06:00:00.000Z', 'at the opening itself');
  assert.equal(nextOpening(OFFICE, BERLIN, '2026-03-30T06:00:01Z'), '2026-03-31T06:00:00.000Z', 'already open: the next one');
});

test('New York hours move with US DST, which changes on other dates than Europe', () => {
  assert.equal(nextOpening(NY_OFFICE, NEW_YORK, '2026-03-06T22:00:00Z'), '2026-03-09T13:00:00.000Z');
  assert.equal(nextOpening(NY_OFFICE, NEW_YORK, '2026-10-30T21:00:00Z'), '2026-11-02T14:00:00.000Z');
  assert.equal(isWithinBusinessHours(NY_OFFICE, NEW_YORK, '2026-03-06T14:00:00Z'), true, '09:00 EST');
  assert.equal(isWithinBusinessHours(NY_OFFICE, NEW_YORK, '2026-03-09T13:00:00Z'), true, '09:00 EDT');
  assert.equal(isWithinBusinessHours(NY_OFFICE, NEW_YORK, '2026-03-09T21:00:00Z'), false, '17:00 EDT');
});

test('businessMsBetween over a weekend counts only the open hours', () => {
  // Fri 16:00 → Mon 10:00 Berlin: one hour on Friday, two on Monday.
  assert.equal(businessMsBetween(OFFICE, BERLIN, '2026-11-20T15:00:00Z', '2026-11-23T09:00:00Z'), 3 * HOUR);
  // The same in New York across the March change: Fri 16:00 EST → Mon 10:00 EDT.
  assert.equal(businessMsBetween(NY_OFFICE, NEW_YORK, '2026-03-06T21:00:00Z', '2026-03-09T14:00:00Z'), 2 * HOUR);
  assert.equal(businessMsBetween(NY_OFFICE, NEW_YORK, '2026-10-30T20:00:00Z', '2026-11-02T15:00:00Z'), 2 * HOUR);
  assert.equal(businessMsBetween(OFFICE, BERLIN, '2026-11-22T23:00:00Z', '2026-11-29T23:00:00Z'), 45 * HOUR, 'a whole week');
});

test('businessMsBetween is 0 for an empty span and wall time for a team without hours', () => {
  assert.equal(businessMsBetween(OFFICE, BERLIN, '2026-11-23T10:00:00Z', '2026-11-23T09:00:00Z'), 0);
  assert.equal(businessMsBetween(undefined, BERLIN, '2026-11-21T10:00:00Z', '2026-11-22T10:00:00Z'), 24 * HOUR);
});

test('a team without business hours is always open and never waits for an opening', () => {
  assert.equal(isWithinBusinessHours(undefined, BERLIN, '2026-11-22T03:00:00Z'), true);
  assert.equal(nextOpening(undefined, BERLIN, '2026-11-22T03:00:00Z'), null);
  assert.equal(nextOpening({ weekly: {}, holidays: [] }, BERLIN, '2026-11-22T03:00:00Z'), null, 'never open');
});

test('a holiday closes its whole local day', () => {
  assert.equal(isWithinBusinessHours(OFFICE, BERLIN, '2026-12-24T09:00:00Z'), true);
  assert.equal(isWithinBusinessHours(OFFICE, BERLIN, '2026-12-25T09:00:00Z'), false);
  // Thu 16:00 → Mon 09:00: an hour on Thursday, none on the holiday Friday, an hour on Monday.
  assert.equal(businessMsBetween(OFFICE, BERLIN, '2026-12-24T15:00:00Z', '2026-12-28T08:00:00Z'), 2 * HOUR);
  assert.equal(nextOpening(OFFICE, BERLIN, '2026-12-24T16:00:00Z'), '2026-12-28T07:00:00.000Z');
});

test('an overnight range runs into the next morning', () => {
  const night: BusinessHours = { weekly: { 5: ['22:00-06:00'] }, holidays: [] };
  const open = (iso: string): boolean => isWithinBusinessHours(night, BERLIN, iso);
  assert.deepEqual(['2026-11-20T20:59:00Z', '2026-11-20T21:00:00Z', '2026-11-21T04:59:00Z', '2026-11-21T05:00:00Z'].map(open), [false, true, true, false]);
  assert.equal(businessMsBetween(night, BERLIN, '2026-11-20T00:00:00Z', '2026-11-23T00:00:00Z'), 8 * HOUR);
  assert.equal(nextOpening(night, BERLIN, '2026-11-20T12:00:00Z'), '2026-11-20T21:00:00.000Z');
});

test('a holiday closes the tail of the night before on its day, and cancels a night that starts on it', () => {
  const weekend = ['2026-11-20T00:00:00Z', '2026-11-23T00:00:00Z'] as const;
  const saturdayOff: BusinessHours = { weekly: { 5: ['22:00-06:00'] }, holidays: ['2026-11-21'] };
  assert.equal(isWithinBusinessHours(saturdayOff, BERLIN, '2026-11-21T02:00:00Z'), false);
  assert.equal(businessMsBetween(saturdayOff, BERLIN, ...weekend), 2 * HOUR, 'Friday 22:00–24:00 only');
  const fridayOff: BusinessHours = { weekly: { 5: ['22:00-06:00'] }, holidays: ['2026-11-20'] };
  assert.equal(isWithinBusinessHours(fridayOff, BERLIN, '2026-11-21T02:00:00Z'), false);
  assert.equal(businessMsBetween(fridayOff, BERLIN, ...weekend), 0);
});

test('an overnight range across a DST change is as long as the clocks make it', () => {
  const saturdayNight: BusinessHours = { weekly: { 6: ['22:00-06:00'] }, holidays: [] };
  assert.equal(businessMsBetween(saturdayNight, BERLIN, '2026-03-28T00:00:00Z', '2026-03-30T00:00:00Z'), 7 * HOUR);
  assert.equal(businessMsBetween(saturdayNight, BERLIN, '2026-10-24T00:00:00Z', '2026-10-26T00:00:00Z'), 9 * HOUR);
});

test('ranges that meet at midnight are one stretch: no opening at 00:00', () => {
  const evening: BusinessHours = { weekly: { 1: ['18:00-24:00'], 2: ['00:00-06:00'] }, holidays: [] };
  assert.equal(isWithinBusinessHours(evening, BERLIN, '2026-11-23T23:00:00Z'), true, 'Tuesday 00:00');
  assert.equal(nextOpening(evening, BERLIN, '2026-11-23T18:00:00Z'), '2026-11-30T17:00:00.000Z');
  assert.equal(businessMsBetween({ weekly: { 1: ['22:00-00:00'] }, holidays: [] }, BERLIN, '2026-11-23T00:00:00Z', '2026-11-25T00:00:00Z'), 2 * HOUR, '"-00:00" ends at midnight');
});

test('formatLocalTime is short: time today, weekday this week, date before that', () => {
  const now = '2026-11-26T10:00:00Z'; // Thursday
  assert.equal(formatLocalTime('2026-11-26T13:05:00Z', BERLIN, now), '14:05');
  assert.equal(formatLocalTime('2026-11-25T23:30:00Z', BERLIN, now), '00:30', 'already Thursday in Berlin');
  assert.equal(formatLocalTime('2026-11-25T23:30:00Z', NEW_YORK, now), 'Wed 18:30', 'still Wednesday in New York');
  assert.equal(formatLocalTime('2026-11-24T13:05:00Z', BERLIN, now), 'Tue 14:05');
  assert.equal(formatLocalTime('2026-11-20T13:05:00Z', BERLIN, now), 'Fri 14:05');
  assert.equal(formatLocalTime('2026-11-19T13:05:00Z', BERLIN, now), '19.11. 14:05', 'a week ago: the weekday would be ambiguous');
  assert.equal(formatLocalTime('2025-12-20T13:05:00Z', BERLIN, '2026-01-05T10:00:00Z'), '20.12.25 14:05', 'another year');
});

test('an unknown time zone or an instant without a zone is a clear error', () => {
  assert.throws(() => localParts('2026-11-26T10:00:00Z', 'Europe/Atlantis'), /unknown time zone "Europe\/Atlantis"/);
  assert.throws(() => isWithinBusinessHours(undefined, 'Nowhere/City', '2026-11-26T10:00:00Z'), /unknown time zone/);
  assert.throws(() => localParts('2026-11-26T10:00:00', BERLIN), /not an ISO-8601 instant with a zone/);
});

test('businessHoursErrors names each malformed range, weekday and holiday', () => {
  assert.deepEqual(businessHoursErrors(OFFICE), []);
  const bad = { weekly: { 1: ['8-17', '08:00-08:00', '25:00-26:00'], 7: ['08:00-17:00'] }, holidays: ['2026-02-30', '24.12.2026'] };
  assert.deepEqual(businessHoursErrors(bad), [
    'weekly[1][0] is not a non-empty HH:MM-HH:MM range',
    'weekly[1][1] is not a non-empty HH:MM-HH:MM range',
    'weekly[1][2] is not a non-empty HH:MM-HH:MM range',
    'weekly key "7" is not a weekday 0 (Sunday) … 6 (Saturday)',
    'holidays[0] "2026-02-30" is not a YYYY-MM-DD date',
    'holidays[1] "24.12.2026" is not a YYYY-MM-DD date',
  ]);
  assert.equal(businessHoursErrors({ weekly: [] }).length, 1, 'wrong shape: one error, no crash');
  assert.equal(businessHoursErrors(null).length, 1);
});
