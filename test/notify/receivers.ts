/** Test support: a real webhook receiver and a real SMTP server on loopback, recording what arrives. */
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { verifySignature } from '../../src/notify/signature.ts';
import type { NotificationPayload } from '../../src/notify/types.ts';

export interface Delivery {
  headers: IncomingHttpHeaders;
  body: string;
  payload: NotificationPayload;
  /** The signature matched `secret` over `<timestamp>.<body>`. */
  signed: boolean;
  /** What the receiver answered. */
  status: number;
}

export interface WebhookReceiver {
  url: string;
  deliveries: Delivery[];
  /** Deliveries answered 2xx, i.e. the ones the receiver took. */
  accepted(): Delivery[];
  /** Status codes to answer the next requests with (then 200). */
  answers: number[];
  /** Resolves once `count` deliveries have arrived (for a server whose own jobs deliver). */
  arrived(count: number): Promise<void>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(secret: string): Promise<WebhookReceiver> {
  const deliveries: Delivery[] = [];
  const answers: number[] = [];
  const waiting: { count: number; resolve: () => void }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const timestamp = String(req.headers['x-ringback-timestamp'] ?? '');
      const header = String(req.headers['x-ringback-signature'] ?? '');
      const status = answers.shift() ?? 200;
      deliveries.push({
        headers: req.headers, body, payload: JSON.parse(body) as NotificationPayload,
        signed: /^\d+$/.test(timestamp) && verifySignature(secret, timestamp, body, header), status,
      });
      res.writeHead(status, { 'Content-Type': 'text/plain', Connection: 'close' }).end(status < 300 ? 'ok' : 'try again');
      for (const w of waiting.filter((x) => deliveries.length >= x.count)) w.resolve();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/ringback/s3cret-path`, deliveries, answers,
    accepted: () => deliveries.filter((d) => d.status < 300),
    arrived: (count) => new Promise<void>((resolve) => {
      if (deliveries.length >= count) resolve();
      else waiting.push({ count, resolve });
    }),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

export interface SmtpSink {
  url: string;
  /** Parsed messages in the order the server accepted them. */
  mails: ParsedMail[];
  /** RCPT TO addresses of each accepted message. */
  envelopes: string[][];
  /** Logins seen (user names). */
  logins: string[];
  close(): Promise<void>;
}

/** An SMTP server requiring a login (plain text on loopback; STARTTLS off so no certificate is needed). */
export async function startSmtpSink(user: string, pass: string): Promise<SmtpSink> {
  const mails: ParsedMail[] = [];
  const envelopes: string[][] = [];
  const logins: string[] = [];
  const server = new SMTPServer({
    secure: false, disabledCommands: ['STARTTLS'], allowInsecureAuth: true, authMethods: ['PLAIN', 'LOGIN'], logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === user && auth.password === pass) {
        logins.push(auth.username ?? '');
        callback(null, { user: auth.username });
      } else {
        callback(new Error('Invalid username or password'));
      }
    },
    onData(stream, session, callback) {
      // Answering 250 only after parsing: when the client's sendMail resolves, the mail is in `mails`.
      simpleParser(stream).then((mail) => {
        mails.push(mail);
        envelopes.push(session.envelope.rcptTo.map((r) => r.address));
        callback();
      }, (err: Error) => callback(err));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  assert.ok(port > 0);
  return {
    url: `smtp://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@127.0.0.1:${port}`, mails, envelopes, logins,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
