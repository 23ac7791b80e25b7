import assert from 'node:assert/strict';
import { test } from 'node:test';
import request from 'supertest';
import { auth } from '../support/office.ts';
import { missedCall, missedList, office, startFollowUpApp } from './follow-up-app.ts';
import { startSmtpSink } from './receivers.ts';

const SMTP_USER = 'ringback';
const SMTP_PASS = 'smtp-pa55word-never-logged';
const CALLER = { number: '+4930123456', name: 'Dora <b>&</b> Co' };

test('email goes over SMTP to each rung of the ladder, message by message, in plain text and escaped HTML', async () => {
  const smtp = await startSmtpSink(SMTP_USER, SMTP_PASS);
  const t = await startFollowUpApp({ smtpUrl: smtp.url });
  try {
    const { phones } = await office(t, {
      targetMinutes: 30, stepMinutes: 30,
      channels: [{ name: 'Reception inbox', email: 'reception@example.com' }],
      members: [{ name: 'Anna', email: 'anna@example.com' }],
      lead: { name: 'Lena Lead', email: 'lena@example.com' },
      manager: { name: 'Max Manager', email: 'max@example.com' },
    });
    await missedCall(t, phones, CALLER, 'c1');
    t.clock.advance(91);
    await t.tick();
    assert.equal(smtp.mails.length, 1);
    const [call] = await missedList(t);
    const id = call?.id ?? '';

    // 1: the announcement to the team's inbox.
    const first = smtp.mails[0]!;
    assert.deepEqual(smtp.envelopes[0], ['reception@example.com']);
    assert.equal(first.subject, 'Missed call for Reception from Dora <b>&</b> Co (+4930123456)');
    assert.deepEqual(first.from?.value.map((a) => [a.name, a.address]), [['Ringback', 'ringback@example.com']]);
    assert.match(first.text ?? '', /^Hello Reception inbox,\n\nMissed call for Reception from Dora <b>&<\/b> Co/);
    assert.match(first.text ?? '', /Caller: Dora <b>&<\/b> Co \(\+4930123456\)/);
    const html = typeof first.html === 'string' ? first.html : '';
    assert.match(html, /Dora &lt;b&gt;&amp;&lt;\/b&gt; Co/);
    assert.doesNotMatch(html, /<b>&<\/b>/, "the caller's name is text, never markup");
    const delivery = String(first.headers.get('x-ringback-delivery'));
    assert.equal(first.messageId, `<${delivery}@example.com>`);
    assert.deepEqual(smtp.logins, [SMTP_USER]);

    // 2–4: Anna claims it and does not call back; the ladder climbs every 30 minutes.
    await request(t.app).post(`/api/missed-calls/${id}/actions`).set(auth).send({ action: 'assign', actor: 'Anna' }).expect(200);
    t.clock.advance(30 * 60);
    await t.tick();
    t.clock.advance(30 * 60);
    await t.tick();
    t.clock.advance(30 * 60);
    await t.tick();
    t.clock.advance(8 * 3600);
    await t.tick();
    assert.deepEqual(smtp.envelopes, [['reception@example.com'], ['anna@example.com'], ['lena@example.com'], ['max@example.com']]);
    assert.deepEqual(smtp.mails.slice(1).map((m) => m.subject), [
      'Reminder for Anna: call back Dora <b>&</b> Co (+4930123456)',
      'Escalated to the team lead: call back Dora <b>&</b> Co (+4930123456)',
      'Escalated to the manager: call back Dora <b>&</b> Co (+4930123456)',
    ]);
    assert.match(smtp.mails[2]?.text ?? '', /Waiting: 61 business minutes \(the target is 30 minutes\)/);
    assert.match(smtp.mails[3]?.text ?? '', /^Hello Max Manager,/);
    assert.match(typeof smtp.mails[3]?.html === 'string' ? smtp.mails[3].html : '', /\[priority\]/);
    const [after] = await missedList(t);
    assert.deepEqual(after?.history.filter((h) => h.action.startsWith('escalated')).map((h) => [h.action, h.via]),
      [['escalated: claimer', 'auto'], ['escalated: lead', 'auto'], ['escalated: manager', 'auto']]);
    const logs = [...t.logs, ...t.followUpLogs].join('');
    assert.ok(!logs.includes(SMTP_PASS), 'the SMTP password is never logged');
  } finally {
    await t.close();
    await smtp.close();
  }
});

test('an SMTP server that refuses the login is retried, and the error never shows the password', async () => {
  const smtp = await startSmtpSink(SMTP_USER, 'the-right-password');
  const t = await startFollowUpApp({ smtpUrl: smtp.url.replace(/:[^:@/]+@/, `:${SMTP_PASS}@`) });
  try {
    const { phones } = await office(t, { channels: [{ name: 'Reception inbox', email: 'reception@example.com' }], targetMinutes: 600 });
    await missedCall(t, phones, CALLER, 'c1');
    t.clock.advance(91);
    const report = await t.tick();
    assert.equal(report.retrying, 1);
    assert.equal(smtp.mails.length, 0);
    const outbox = await request(t.app).get('/api/notify/outbox').set(auth).expect(200);
    const text = JSON.stringify(outbox.body);
    assert.match(text, /SMTP EAUTH 535/);
    assert.ok(!text.includes(SMTP_PASS) && ![...t.logs, ...t.followUpLogs].join('').includes(SMTP_PASS));
  } finally {
    await t.close();
    await smtp.close();
  }
});

test('an email names the contact, links to the entry, says when in the team\'s zone, counts "1 business minute" and keeps its subject under 80 characters', async () => {
  const smtp = await startSmtpSink(SMTP_USER, SMTP_PASS);
  const t = await startFollowUpApp({ smtpUrl: smtp.url, publicUrl: 'https://ringback.example.com/' });
  try {
    const { phones } = await office(t, { targetMinutes: 1, windowMinutes: 0, channels: [{ name: 'Reception inbox', email: 'reception@example.com' }] });
    const contact = 'Dr. Dorothea Schmidt-Oberhausen von Wartenberg';
    await request(t.app).post('/api/contacts').set(auth).send({ name: contact, numbers: ['+4930123456'] }).expect(201);
    await missedCall(t, phones, { number: '+4930123456', name: 'PBX NAME 0815' }, 'c1');
    t.clock.advance(91);
    await t.tick();
    const [call] = await missedList(t);
    const link = `https://ringback.example.com/#/calls?id=${call?.id ?? ''}`;
    // The announcement and the first reminder fell due in the same minute: one message with both.
    assert.deepEqual(smtp.mails.map((m) => m.subject), ['Missed call for Reception from Dr. Dorothea Schmid… (+4930123456) (+1 more)']);
    for (const m of smtp.mails) assert.ok((m.subject ?? '').length < 80, m.subject);
    const [announce] = smtp.mails;
    const escalation = announce;
    assert.match(announce?.text ?? '', new RegExp(`Caller: ${contact} \\(\\+4930123456\\)`), 'the full contact name in the text, not the PBX\'s');
    assert.doesNotMatch(announce?.text ?? '', /PBX NAME/);
    // 09:00 UTC is 10:00 in Berlin on Thursday 26 November.
    assert.match(announce?.text ?? '', /When: Thu 26 Nov 2026, 10:00 \(Europe\/Berlin\)/);
    assert.match(announce?.text ?? '', /Status: open, nobody has it yet/);
    assert.ok((announce?.text ?? '').includes(`Open: ${link}`));
    const html = typeof announce?.html === 'string' ? announce.html : '';
    assert.ok(html.includes(`<a href="${link}">Open this call in Ringback</a>`), html);
    assert.match(escalation?.text ?? '', /Waiting: 1 business minute \(the target is 1 minute\)/);
  } finally {
    await t.close();
    await smtp.close();
  }
});
