/** @module Secondary indexes over the in-memory data, so hot reads (phone screens, correlation) never scan history. */
import type { CallAttempt, MissedCall, Phone } from '../domain/types.ts';

const SEP = '\u0000';

interface OpenEntry {
  /** Copied at insertion: the sort key must not move if a caller mutates the object in place. */
  lastAt: string;
  id: string;
  call: MissedCall;
}

/**
 * The keys a record was indexed under, kept so removal is exact even if the object was mutated since;
 * just the bucket for an attempt with no PBX call id (most: an object each cost ~40 bytes more).
 */
type AttemptKeys = string | { bucket: string; pbxCallId: string };
interface OpenKeys {
  team: string;
  bucket: string;
  lastAt: string;
}

export function isOpen(status: MissedCall['status']): boolean {
  return status === 'pending' || status === 'assigned';
}

export class MemoryIndex {
  readonly #macByToken = new Map<string, string>();
  readonly #tokenByMac = new Map<string, string>();

  readonly #attemptByPbx = new Map<string, CallAttempt>();
  /** destination SEP caller.key → its attempt, or id → attempt when several */
  readonly #attemptsByCaller = new Map<string, Bucket<CallAttempt>>();
  readonly #attemptKeys = new Map<string, AttemptKeys>();

  /**
   * team → open missed calls, oldest first by (lastAt, id), a total order. New calls are the newest,
   * so they are appended at the end (no shifting of a long list); readers get it newest first.
   */
  readonly #openByTeam = new Map<string, OpenEntry[]>();
  /** team SEP caller.key → its open missed call, or id → call when several (anonymous callers, key ''). */
  readonly #openByCaller = new Map<string, Bucket<MissedCall>>();
  readonly #openKeys = new Map<string, OpenKeys>();

  // --- phones ---

  putPhone(p: Phone): void {
    this.removePhone(p.mac);
    this.#macByToken.set(p.token, p.mac);
    this.#tokenByMac.set(p.mac, p.token);
  }

  removePhone(mac: string): void {
    const token = this.#tokenByMac.get(mac);
    if (token === undefined) return;
    this.#tokenByMac.delete(mac);
    if (this.#macByToken.get(token) === mac) this.#macByToken.delete(token);
  }

  macByToken(token: string): string | undefined {
    return this.#macByToken.get(token);
  }

  // --- attempts ---

  putAttempt(a: CallAttempt): void {
    this.removeAttempt(a.id);
    const bucket = a.destination + SEP + a.caller.key;
    put(this.#attemptsByCaller, bucket, a);
    if (a.pbxCallId !== null) this.#attemptByPbx.set(a.pbxCallId, a);
    this.#attemptKeys.set(a.id, a.pbxCallId === null ? bucket : { bucket, pbxCallId: a.pbxCallId });
  }

  removeAttempt(id: string): void {
    const keys = this.#attemptKeys.get(id);
    if (keys === undefined) return;
    this.#attemptKeys.delete(id);
    remove(this.#attemptsByCaller, typeof keys === 'string' ? keys : keys.bucket, id);
    if (typeof keys !== 'string' && this.#attemptByPbx.get(keys.pbxCallId)?.id === id) {
      this.#attemptByPbx.delete(keys.pbxCallId);
    }
  }

  attemptByPbxId(pbxCallId: string): CallAttempt | undefined {
    return this.#attemptByPbx.get(pbxCallId);
  }

  recentAttempts(destination: string, callerKey: string, since: string): CallAttempt[] {
    const out: CallAttempt[] = [];
    for (const a of values(this.#attemptsByCaller.get(destination + SEP + callerKey))) if (a.lastEventAt >= since) out.push(a);
    return out.sort((x, y) => compareDesc(x.lastEventAt, x.id, y.lastEventAt, y.id));
  }

  // --- missed calls ---

  /** Indexes a missed call if it is open; a closed one just leaves the open indexes. */
  putMissed(m: MissedCall): void {
    this.removeMissed(m.id);
    if (!isOpen(m.status)) return;
    const bucket = m.team + SEP + m.caller.key;
    let list = this.#openByTeam.get(m.team);
    if (list === undefined) this.#openByTeam.set(m.team, (list = []));
    const entry = { lastAt: m.lastAt, id: m.id, call: m };
    // A new call is the newest: appended without a search (where position() would put it too).
    const last = list[list.length - 1];
    if (last === undefined || compareAsc(last.lastAt, last.id, m.lastAt, m.id) < 0) list.push(entry);
    else list.splice(position(list, m.lastAt, m.id), 0, entry);
    put(this.#openByCaller, bucket, m);
    this.#openKeys.set(m.id, { team: m.team, bucket, lastAt: m.lastAt });
  }

  removeMissed(id: string): void {
    const keys = this.#openKeys.get(id);
    if (keys === undefined) return;
    this.#openKeys.delete(id);
    const list = this.#openByTeam.get(keys.team);
    if (list !== undefined) {
      const i = position(list, keys.lastAt, id);
      if (list[i]?.id === id) list.splice(i, 1);
      if (list.length === 0) this.#openByTeam.delete(keys.team);
    }
    remove(this.#openByCaller, keys.bucket, id);
  }

  openMissed(team: string): MissedCall[] {
    const list = this.#openByTeam.get(team) ?? [];
    const out = new Array<MissedCall>(list.length);
    for (let i = 0; i < list.length; i++) out[i] = (list[list.length - 1 - i] as OpenEntry).call;
    return out;
  }

  /** Every open missed call of a caller to a team, in no particular order (for overlays). */
  openMissedOfCaller(team: string, callerKey: string): MissedCall[] {
    return [...values(this.#openByCaller.get(team + SEP + callerKey))];
  }

  /** The newest open missed call of a caller to a team. */
  openMissedByCaller(team: string, callerKey: string): MissedCall | undefined {
    let best: { lastAt: string; id: string; call: MissedCall } | undefined;
    for (const m of values(this.#openByCaller.get(team + SEP + callerKey))) {
      const lastAt = this.#openKeys.get(m.id)?.lastAt ?? '';
      if (best === undefined || compareDesc(lastAt, m.id, best.lastAt, best.id) < 0) best = { lastAt, id: m.id, call: m };
    }
    return best?.call;
  }
}

/**
 * A caller's records in an index: the record itself while it is the only one (nearly every caller
 * has one call in the hot set, and a Map each cost ~180 bytes per caller), a Map by id from two on.
 * Records are told apart by their id, which never changes.
 */
type Bucket<T extends { id: string }> = T | Map<string, T>;

function put<T extends { id: string }>(index: Map<string, Bucket<T>>, key: string, record: T): void {
  const b = index.get(key);
  if (b === undefined || (!(b instanceof Map) && b.id === record.id)) index.set(key, record);
  else if (b instanceof Map) b.set(record.id, record);
  else index.set(key, new Map([[b.id, b], [record.id, record]]));
}

function remove<T extends { id: string }>(index: Map<string, Bucket<T>>, key: string, id: string): void {
  const b = index.get(key);
  if (b === undefined) return;
  if (!(b instanceof Map)) {
    if (b.id === id) index.delete(key);
    return;
  }
  b.delete(id);
  if (b.size > 1) return;
  const [last] = b.values();
  if (last === undefined) index.delete(key);
  else index.set(key, last);
}

function values<T extends { id: string }>(b: Bucket<T> | undefined): Iterable<T> {
  return b === undefined ? [] : b instanceof Map ? b.values() : [b];
}

/** Newest first: (lastAt, id) descending. */
export function compareDesc(at1: string, id1: string, at2: string, id2: string): number {
  return compareAsc(at2, id2, at1, id1);
}

function compareAsc(at1: string, id1: string, at2: string, id2: string): number {
  if (at1 !== at2) return at1 < at2 ? -1 : 1;
  return id1 === id2 ? 0 : id1 < id2 ? -1 : 1;
}

/** Binary search: where (lastAt, id) sits (or would be inserted) in an oldest-first list. */
function position(list: readonly OpenEntry[], lastAt: string, id: string): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const e = list[mid];
    if (e !== undefined && compareAsc(e.lastAt, e.id, lastAt, id) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
