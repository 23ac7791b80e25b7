/** @module The PBXs the server follows over AMI: from `RINGBACK_AMI_URL` and from the API, each with its live status. */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { PbxSource } from '../domain/types.ts';
import { DEFAULT_AMI_PORT, startAmiClient, type AmiClient, type AmiLog, type AmiStatus } from '../pbx/asterisk/index.ts';
import type { Store } from '../store/types.ts';
import type { CallLog } from './call-log.ts';
import { soleInstance, type Leases } from '../cluster/leases.ts';
import { describeIssues } from '../domain/issues.ts';
import { failure, invalid, notFound, type Result } from '../domain/result.ts';

export const pbxSourceInput = z.object({
  type: z.literal('asterisk-ami'),
  host: z.string().trim().min(1).max(253).regex(/^[A-Za-z0-9.\-:[\]]+$/, 'a host name or IP address'),
  port: z.number().int().min(1).max(65535).default(DEFAULT_AMI_PORT),
  username: z.string().trim().min(1).max(64).regex(/^[^\r\n:]+$/, 'no line breaks or colons'),
  secret: z.string().min(1).max(256).regex(/^[^\r\n]+$/, 'no line breaks'),
}).strict();

export interface PbxSourceView {
  id: string;
  type: PbxSource['type'];
  host: string;
  port: number;
  username: string;
  /** `env` for the one from RINGBACK_AMI_URL (not editable through the API). */
  origin: 'env' | 'api';
  /** Several instances on one database: whether THIS one follows the source (exactly one does). */
  here: boolean;
  status: AmiStatus;
}

export interface PbxSourcesOptions {
  store: Store;
  callLog: CallLog;
  log: AmiLog;
  now: () => Date;
  /** From RINGBACK_AMI_URL, already parsed. */
  fromEnv: Omit<PbxSource, 'id' | 'createdAt'> | null;
  /** Who follows which source when several instances share the database (default: this one, all). */
  leases?: Leases;
  /** How often sources nobody follows are claimed (another instance died), ms; default 3000. */
  claimEveryMs?: number;
}

/** How a source followed by another instance shows here. */
const ELSEWHERE = 'followed by another instance';

export function createPbxSources(opts: PbxSourcesOptions) {
  const running = new Map<string, { source: PbxSource; origin: 'env' | 'api'; client: AmiClient }>();
  const leases = opts.leases ?? soleInstance();
  const leaseOf = (id: string): string => `ami:${id}`;
  const envSource: PbxSource | null = opts.fromEnv === null ? null : { ...opts.fromEnv, id: 'env', createdAt: opts.now().toISOString() };
  let timer: NodeJS.Timeout | null = null;
  let claiming: Promise<void> | null = null;
  let closed = false;

  const configured = (): { source: PbxSource; origin: 'env' | 'api' }[] => [
    ...(envSource === null ? [] : [{ source: envSource, origin: 'env' as const }]),
    ...opts.store.list('pbxSources').map((source) => ({ source, origin: 'api' as const })),
  ];

  /**
   * Follows every configured source whose lease this instance holds or can take, and stops
   * following one it lost (its database connection broke) or that was removed (on any instance).
   */
  async function claim(): Promise<void> {
    const wanted = configured();
    for (const { source, origin } of wanted) {
      const mine = await leases.acquire(leaseOf(source.id));
      if (closed) return;
      const r = running.get(source.id);
      if (mine && r === undefined) {
        opts.log('info', 'following a PBX source', { source: source.id, host: source.host });
        start(source, origin);
      } else if (!mine && r !== undefined) {
        running.delete(source.id);
        await r.client.close();
      }
    }
    const ids = new Set(wanted.map((w) => w.source.id));
    for (const [id, r] of running) {
      if (ids.has(id)) continue;
      running.delete(id);
      await r.client.close();
      await leases.release(leaseOf(id));
    }
  }
  // One claim at a time, each after the one before (an added source is claimed by the next one).
  const claimNow = (): Promise<void> => {
    const next: Promise<void> = (claiming ?? Promise.resolve()).then(claim)
      .catch((err: unknown) => opts.log('warn', 'could not claim PBX sources', { error: String(err) }))
      .finally(() => { if (claiming === next) claiming = null; });
    claiming = next;
    return next;
  };

  function start(source: PbxSource, origin: 'env' | 'api'): void {
    const client = startAmiClient({
      connection: { host: source.host, port: source.port, username: source.username, secret: source.secret },
      onCall: (call) => opts.callLog.ingestPbxCall(call),
      // The server's clock (rule 6), the same one phone events are stamped with.
      now: () => opts.now().getTime(),
      log: opts.log,
    });
    running.set(source.id, { source, origin, client });
  }

  const view = (source: PbxSource, origin: 'env' | 'api'): PbxSourceView => {
    const r = running.get(source.id);
    const status: AmiStatus = r?.client.status ?? { state: 'disconnected', lastError: ELSEWHERE, since: source.createdAt };
    return { id: source.id, type: source.type, host: source.host, port: source.port, username: source.username, origin, here: r !== undefined, status };
  };

  return {
    /** Connect to every configured PBX this instance may follow (at start-up), and keep claiming orphans. */
    startAll(): Promise<void> {
      timer ??= setInterval(() => void claimNow(), opts.claimEveryMs ?? 3_000);
      timer.unref();
      return claimNow();
    },
    list(): PbxSourceView[] {
      return configured().map(({ source, origin }) => view(source, origin));
    },
    async add(body: unknown): Promise<Result<PbxSourceView>> {
      const p = pbxSourceInput.safeParse(body);
      if (!p.success) return invalid(describeIssues(p.error));
      const source: PbxSource = { ...p.data, id: randomUUID(), createdAt: opts.now().toISOString() };
      await opts.store.commit([{ t: 'put', c: 'pbxSources', id: source.id, v: source }]);
      await claimNow();
      return { ok: true, value: view(source, 'api') };
    },
    async remove(id: string): Promise<Result<null>> {
      if (id === 'env' && envSource !== null) return failure('from_env', 'this source comes from RINGBACK_AMI_URL; change the environment instead');
      if (opts.store.get('pbxSources', id) === undefined) return notFound('PBX source');
      await opts.store.commit([{ t: 'del', c: 'pbxSources', id }]);
      await claimNow(); // stops following it here; other instances do on their next claim
      return { ok: true, value: null };
    },
    async closeAll(): Promise<void> {
      closed = true;
      if (timer !== null) clearInterval(timer);
      await claiming;
      await Promise.all([...running.values()].map((r) => r.client.close()));
      running.clear();
    },
  };
}

export type PbxSources = ReturnType<typeof createPbxSources>;
