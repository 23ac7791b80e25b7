/**
 * @module The message a recipient gets: the JSON payload (the webhook body) and, from it, an email's
 * subject, plain text and HTML. Everything from callers and phones is untrusted text: it is escaped
 * for HTML and stripped of line breaks where a header is made of it.
 */
import type { NotificationItem, NotificationPayload } from './types.ts';

export function buildPayload(id: string, recipientName: string, items: readonly NotificationItem[], createdAt: string): NotificationPayload {
  const first = items[0];
  const summary = items.length === 1 && first !== undefined ? first.title
    : clip(`${items.length} Ringback notices: ${items.map((i) => i.title).join('; ')}`, 200);
  return {
    id, type: 'ringback.notification', createdAt, recipient: { name: recipientName },
    summary: oneLine(summary),
    text: items.map((i) => `${oneLine(i.title)}\n${i.text}`).join('\n\n'),
    items: [...items],
  };
}

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

export function renderEmail(p: NotificationPayload): EmailContent {
  const greeting = `Hello ${p.recipient.name},`;
  const footer = `Ringback, delivery ${p.id}`;
  const text = `${greeting}\n\n${p.text}\n\n-- \n${footer}\n`;
  const items = p.items.map((i) => {
    const lines = i.text.split('\n').map(escapeHtml).join('<br>\n');
    const badge = i.priority === 'high' ? '<strong>[priority]</strong> ' : '';
    // Only our own http(s) URL becomes a link (it is built from RINGBACK_PUBLIC_URL, never from caller data).
    const link = i.link !== undefined && /^https?:\/\//.test(i.link)
      ? `\n<p style="margin:8px 0 0"><a href="${escapeHtml(i.link)}">Open this call in Ringback</a></p>` : '';
    return `<h3 style="margin:16px 0 4px">${badge}${escapeHtml(oneLine(i.title))}</h3>\n<p style="margin:0">${lines}</p>${link}`;
  }).join('\n');
  const html = `<!doctype html>\n<html><body style="font-family:sans-serif">\n<p>${escapeHtml(greeting)}</p>\n${items}\n` +
    `<p style="color:#777;font-size:small">${escapeHtml(footer)}</p>\n</body></html>\n`;
  // Several notices in one message: the first one's title and how many more, within the limit.
  const first = p.items[0];
  const more = p.items.length > 1 ? ` (+${p.items.length - 1} more)` : '';
  const subject = first === undefined || more === '' ? clip(oneLine(p.summary), SUBJECT_CHARS)
    : `${clip(oneLine(first.title), SUBJECT_CHARS - more.length)}${more}`;
  return { subject, text, html };
}

/** The five characters that matter in HTML text and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** Control characters (CR, LF…) become spaces: a caller's name must never start a new header line. */
export function oneLine(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').trim();
}

/** Mail clients show about this much of a subject; RFC 5322 recommends lines under 78 characters. */
export const SUBJECT_CHARS = 78;

// --- Internal helpers ---

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function clip(s: string, max: number): string {
  const chars = [...s];
  return chars.length <= max ? s : `${chars.slice(0, max - 1).join('')}…`;
}
