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
    return `<h3 style="margin:16px 0 4px">${badge}${escapeHtml(oneLine(i.title))}</h3>\n<p style="margin:0">${lines}</p>`;
  }).join('\n');
  const html = `<!doctype html>\n<html><body style="font-family:sans-serif">\n<p>${escapeHtml(greeting)}</p>\n${items}\n` +
    `<p style="color:#777;font-size:small">${escapeHtml(footer)}</p>\n</body></html>\n`;
  return { subject: clip(oneLine(p.summary), 200), text, html };
}

/** The five characters that matter in HTML text and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** Control characters (CR, LF…) become spaces: a caller's name must never start a new header line. */
export function oneLine(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').trim();
}

// --- Internal helpers ---

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
