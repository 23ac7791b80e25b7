import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { once } from 'node:events';
import { startAmiClient, type AmiClient, type AmiClientOptions, type AmiState, type AmiStatus } from '../../src/pbx/asterisk/client.ts';
import type { PbxCall } from '../../src/domain/types.ts';
import { startFakeAmi, type FakeAmi, type FakeAmiOptions } from './ami-server.ts';
import { CAPTURES, markerCall, queueAbandonCall, readCapture, ringGroupCall, type Eol } from './ami-sequences.ts';

const USER = 'ringback';
const SECRET = 'pa:ss@w/rd';
const MARKER = 'ami:1900000000.1';

/** Collects what the client reports; every wait is on an event, never on time. */
class Harness {
  readonly calls: PbxCall[] = [];
  readonly states: AmiState[] = [];
  readonly logs: string[] = [];
  private callWaiters: { pred: (c: PbxCall) => boolean; resolve: (c: PbxCall) => void }[] = [];
  private stateWaiters: { state: AmiState; resolve: (s: AmiStatus) => void }[] = [];
  client!: AmiClient;

  start(server: Pick<FakeAmi, 'port'>, extra: Partial<AmiClientOptions> = {}, secret = SECRET): this {
    this.client = startAmiClient({
      connection: { host: '127.0.0.1', port: server.port, username: USER, secret },
      onCall: (c) => {
        this.calls.push(c);
        for (const w of this.callWaiters.filter((x) => x.pred(c))) {
          this.callWaiters.splice(this.callWaiters.indexOf(w), 1);
          w.resolve(c);
        }
      },
      onStatus: (s) => {
        this.states.push(s.state);
        for (const w of this.stateWaiters.filter((x) => x.state === s.state)) {
          this.stateWaiters.splice(this.stateWaiters.indexOf(w), 1);
          w.resolve(s);
        }
      },
      log: (level, message, fields) => this.logs.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`),
      backoff: { initialMs: 5, maxMs: 20 },
      ...extra,
    });
    return this;
  }

  call(pbxCallId: string): Promise<PbxCall> {
    const seen = this.calls.find((c) => c.pbxCallId === pbxCallId);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve) => this.callWaiters.push({ pred: (c) => c.pbxCallId === pbxCallId, resolve }));
  }

  /** The next time the client enters `state` (or now, if it is in it and `fresh` is false). */
  state(state: AmiState, fresh = false): Promise<AmiStatus> {
    if (!fresh && this.client.status.state === state) return Promise.resolve(this.client.status);
    return new Promise((resolve) => this.stateWaiters.push({ state, resolve }));
  }
}

async function withServer(options: Partial<FakeAmiOptions>, body: (server: FakeAmi) => Promise<void>): Promise<void> {
  const server = await startFakeAmi({ username: USER, secret: SECRET, ...options });
  try {
    await body(server);
  } finally {
    await server.close();
  }
}

const EXPECTED: Record<(typeof CAPTURES)[number], Partial<PbxCall>> = {
  'ami-unanswered-huntgroup.raw': {
    pbxCallId: 'ami:1770888635.49', caller: '1986', callerName: 'Martin', called: '666',
    rang: ['11', '12', '21', '41', '42', '51'], answeredBy: null, abandonedInQueue: false, direction: 'internal',
  },
  'ami-unanswered-cancel.raw': {
    pbxCallId: 'ami:1770888559.46', caller: '1986', callerName: 'Martin', called: '21',
    rang: ['21'], answeredBy: null, abandonedInQueue: false, direction: 'internal',
  },
  'ami-answered-internal.raw': {
    pbxCallId: 'ami:1770888534.43', caller: '21', callerName: 'Kitchen', called: '1986',
    rang: ['1986'], answeredBy: '1986', abandonedInQueue: false, direction: 'internal',
  },
};

for (const eol of ['\r\n', '\n'] as const satisfies readonly Eol[]) {
  const label = eol === '\r\n' ? 'CRLF' : 'LF';
  for (const name of CAPTURES) {
    test(`replaying ${name} over TCP with ${label} line ends yields exactly the expected call`, async () => {
      await withServer({ eol }, async (server) => {
        const h = new Harness().start(server);
        const session = await server.nextSession();
        await session.action('CoreShowChannels');
        session.send(readCapture(name) + markerCall());
        await h.call(MARKER);
        assert.equal(h.calls.length, 2);
        const got = h.calls[0];
        assert.deepEqual({ ...got, startedAt: undefined, endedAt: undefined },
          { ...EXPECTED[name], startedAt: undefined, endedAt: undefined });
        assert.ok((got?.startedAt ?? '') <= (got?.endedAt ?? ''));
        await h.client.close();
      });
    });
  }
}

test('logs in with the configured user and secret, asks for call and agent events, then lists channels', async () => {
  await withServer({}, async (server) => {
    const h = new Harness().start(server);
    const session = await server.nextSession();
    const login = await session.action('Login');
    assert.equal(login['Username'], USER);
    assert.equal(login['Secret'], SECRET);
    assert.equal(login['Events'], 'call,agent');
    assert.match(login['ActionID'] ?? '', /\S/);
    await session.action('CoreShowChannels');
    const status = await h.state('connected');
    assert.equal(status.lastError, null);
    assert.ok(h.logs.every((l) => !l.includes(SECRET)), 'the secret is never logged');
    await h.client.close();
    assert.equal(h.client.status.state, 'disconnected');
    assert.ok(session.actions.some((a) => a['Action'] === 'Logoff'));
  });
});

test('a three-member ring group nobody answered becomes one missed call', async () => {
  await withServer({}, async (server) => {
    const h = new Harness().start(server);
    const session = await server.nextSession();
    await session.action('CoreShowChannels');
    session.send(ringGroupCall({ linkedid: '1800000000.10', callerExt: '30', callerName: 'Reception', group: '600', members: ['11', '12', '13'] }));
    session.send(markerCall());
    await h.call(MARKER);
    const calls = h.calls.filter((c) => c.pbxCallId === 'ami:1800000000.10');
    assert.equal(calls.length, 1);
    assert.deepEqual(calls[0]?.rang, ['11', '12', '13']);
    assert.equal(calls[0]?.answeredBy, null);
    assert.equal(calls[0]?.called, '600');
    await h.client.close();
  });
});

test('a ring group answered by one member is answered by that member', async () => {
  await withServer({ eol: '\n' }, async (server) => {
    const h = new Harness().start(server);
    const session = await server.nextSession();
    await session.action('CoreShowChannels');
    session.send(ringGroupCall({
      linkedid: '1800000000.11', callerExt: '30', callerName: 'Reception', group: '600', members: ['11', '12', '13'], answeredBy: '13',
    }));
    const call = await h.call('ami:1800000000.11');
    assert.equal(call.answeredBy, '13');
    assert.equal(call.abandonedInQueue, false);
    await h.client.close();
  });
});

test('a trunk caller hanging up while waiting in a queue is reported abandoned in the queue', async () => {
  await withServer({}, async (server) => {
    const h = new Harness().start(server);
    const session = await server.nextSession();
    await session.action('CoreShowChannels');
    session.send(queueAbandonCall({
      linkedid: '1800000000.20', callerNumber: '+4930555123', callerName: 'ACME', did: '4930111222', queue: '400', members: ['11', '12', '13'],
    }));
    const call = await h.call('ami:1800000000.20');
    assert.equal(call.abandonedInQueue, true);
    assert.equal(call.answeredBy, null);
    assert.equal(call.direction, 'inbound');
    assert.deepEqual(call.rang, ['11', '12', '13']);
    await h.client.close();
  });
});

test('a wrong secret ends in auth-failed, without a crash and without the secret in status or logs', async () => {
  await withServer({}, async (server) => {
    const h = new Harness().start(server, {}, 'wrong-secret');
    const status = await h.state('auth-failed');
    assert.match(status.lastError ?? '', /Authentication failed/);
    assert.ok(!JSON.stringify(status).includes('wrong-secret'));
    assert.ok(h.logs.every((l) => !l.includes('wrong-secret')));
    assert.equal(server.connections, 1);
    await h.client.close();
    assert.equal(server.connections, 1, 'a refused login is not retried');
  });
});

test('garbage on the wire costs the garbled message only: the next call still arrives', async () => {
  await withServer({}, async (server) => {
    const h = new Harness().start(server, { limits: { maxLineBytes: 1024 } });
    const session = await server.nextSession();
    await session.action('CoreShowChannels');
    session.sendRaw(Buffer.from([0x00, 0xff, 0xfe, 0x0d, 0x0a, 0x0d, 0x0a]));
    session.sendRaw(`Event: Hangup\r\nUniqueid: ${'x'.repeat(100_000)}\r\n\r\n`);
    session.sendRaw(': no key\r\n\u0000\u0001\r\n\r\nEvent\r\n\r\n');
    session.send(readCapture('ami-unanswered-cancel.raw'));
    const call = await h.call('ami:1770888559.46');
    assert.equal(call.answeredBy, null);
    assert.equal(h.client.status.state, 'connected');
    assert.ok(h.logs.some((l) => l.includes('line-too-long')));
    await h.client.close();
  });
});

test('a peer that does not greet as Asterisk is dropped and retried, without crashing', async () => {
  let connections = 0;
  let onSecond: () => void = () => undefined;
  const second = new Promise<void>((resolve) => (onSecond = resolve));
  const liar = net.createServer((s) => {
    connections += 1;
    s.on('error', () => undefined); // the client's reset of a dropped connection
    if (connections === 2) onSecond();
    s.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });
  liar.listen(0, '127.0.0.1');
  await once(liar, 'listening');
  const address = liar.address();
  assert.ok(address !== null && typeof address !== 'string');
  const h = new Harness().start({ port: address.port });
  const down = await h.state('disconnected');
  assert.match(down.lastError ?? '', /did not greet/);
  await second;
  await h.client.close();
  await new Promise<void>((resolve) => liar.close(() => resolve()));
});

test('a peer that accepts the connection but never greets is given up on after the login timeout and retried', async () => {
  await withServer({ greet: false }, async (server) => {
    const h = new Harness().start(server, { loginTimeoutMs: 25 });
    const status = await h.state('disconnected');
    assert.match(status.lastError ?? '', /no AMI login within 25 ms/);
    await server.nextSession();
    await server.nextSession(); // the retry
    await h.client.close();
  });
});

test('a connection that stops answering Ping is dropped and re-established', async () => {
  await withServer({ answerPing: false }, async (server) => {
    const h = new Harness().start(server, { pingIntervalMs: 20 });
    const first = await server.nextSession();
    await first.action('Ping');
    const status = await h.state('disconnected');
    assert.match(status.lastError ?? '', /no answer to Ping/);
    await first.closed;
    const second = await server.nextSession();
    await second.action('Login');
    await h.client.close();
  });
});

test('a refused TCP connection is reported as disconnected with its error, and close() stops the retries', async () => {
  const probe = net.createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const address = probe.address();
  assert.ok(address !== null && typeof address !== 'string');
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const h = new Harness().start({ port: address.port });
  const status = await h.state('disconnected');
  assert.match(status.lastError ?? '', /ECONNREFUSED/);
  await h.client.close();
  assert.equal(h.client.status.state, 'disconnected');
});

test('after the PBX drops the connection mid-call the client reconnects and emits the call exactly once, on its Hangup', async () => {
  const evs = readCapture('ami-unanswered-huntgroup.raw').split(/\n\n(?=Event: )/).map((b) => `${b.trimEnd()}\n\n`);
  const cut = evs.findIndex((b) => b.startsWith('Event: DialEnd'));
  const before = evs.slice(0, cut).join('');
  const after = evs.slice(cut).join('');
  // On the second connection Asterisk still has the call's seven channels.
  let listed: Record<string, string>[] = [];
  await withServer({ liveChannels: () => listed }, async (server) => {
    const h = new Harness().start(server);
    const first = await server.nextSession();
    await first.action('CoreShowChannels');
    first.send(before);
    await h.state('connected');
    listed = liveChannelsOf(before);
    first.drop();
    await h.state('disconnected', true);
    assert.equal(h.client.openCalls, 1, 'the open call survives the drop');
    const second = await server.nextSession();
    await second.action('CoreShowChannels');
    await h.state('connected');
    assert.equal(h.calls.length, 0, 'nothing emitted for a call still live on the PBX');
    second.send(after);
    second.send(after); // a duplicate delivery of the tail changes nothing
    second.send(markerCall());
    await h.call(MARKER);
    const calls = h.calls.filter((c) => c.pbxCallId === 'ami:1770888635.49');
    assert.equal(calls.length, 1);
    assert.deepEqual(calls[0]?.rang, ['11', '12', '21', '41', '42', '51']);
    assert.equal(calls[0]?.answeredBy, null);
    assert.deepEqual(h.states.slice(0, 4), ['connected', 'disconnected', 'connecting', 'connected']);
    await h.client.close();
  });
});

test('a call whose channels vanished while disconnected is finished once by the channel listing after reconnect', async () => {
  const evs = readCapture('ami-unanswered-cancel.raw').split(/\n\n(?=Event: )/).map((b) => `${b.trimEnd()}\n\n`);
  const before = evs.slice(0, evs.findIndex((b) => b.startsWith('Event: DialEnd'))).join('');
  let now = Date.parse('2026-11-26T09:15:00.000Z');
  await withServer({ liveChannels: () => [] }, async (server) => {
    const h = new Harness().start(server, { now: () => now });
    const first = await server.nextSession();
    await first.action('CoreShowChannels');
    first.send(before + markerCall('1900000000.7'));
    await h.call('ami:1900000000.7');
    const lostAt = now = now + 30_000;
    first.drop();
    await h.state('disconnected', true);
    now += 60_000; // the call ends on the PBX while we are away
    const call = await h.call('ami:1770888559.46');
    assert.equal(call.endedAt, new Date(lostAt).toISOString(), 'ended when last known to exist');
    assert.equal(call.answeredBy, null);
    assert.deepEqual(call.rang, ['21']);
    const second = await server.nextSession();
    second.send(evs.slice(-3).join('') + markerCall());
    await h.call(MARKER);
    assert.equal(h.calls.filter((c) => c.pbxCallId === 'ami:1770888559.46').length, 1);
    await h.client.close();
  });
});

/** What CoreShowChannels would list for the channels the event text created and did not hang up. */
function liveChannelsOf(text: string): Record<string, string>[] {
  const live = new Map<string, Record<string, string>>();
  for (const b of text.split('\n\n')) {
    const f = Object.fromEntries(b.split('\n').map((l) => [l.slice(0, l.indexOf(': ')), l.slice(l.indexOf(': ') + 2)]));
    if (f['Event'] === 'Newchannel' && f['Uniqueid'] !== undefined) live.set(f['Uniqueid'], f);
    if (f['Event'] === 'Hangup' && f['Uniqueid'] !== undefined) live.delete(f['Uniqueid']);
  }
  return [...live.values()].map((f) => ({
    Channel: f['Channel'] ?? '', Uniqueid: f['Uniqueid'] ?? '', Linkedid: f['Linkedid'] ?? '',
    CallerIDNum: f['CallerIDNum'] ?? '', Context: f['Context'] ?? '', Exten: f['Exten'] ?? '',
    Application: f['Uniqueid'] === f['Linkedid'] ? 'Dial' : 'AppDial', Duration: '00:00:05', BridgeId: '',
  }));
}
