/** @module The contract every vendor folder implements: parse events in, render screens out. */
import type { ParsedEvent, Phone, VendorName } from '../domain/types.ts';
import type { PushView } from '../domain/push.ts';
import type { Screen, ScreenLimits } from '../screens/model.ts';

/** An inbound phone request, already read off the wire by the HTTP layer. */
export interface InboundRequest {
  method: string;
  /**
   * Query parameters, percent-decoded, with a literal `+` kept as `+`: phones fill `$variables`
   * without URL-encoding, so `+4930…` must not turn into a space. Repeated keys: the first wins.
   */
  query: Readonly<Record<string, string>>;
  /** Raw body (Poly XML), '' when none. */
  body: string;
  headers: Readonly<Record<string, string | undefined>>;
}

export type ParseResult = { ok: true; events: ParsedEvent[] } | { ok: false; reason: string };
export type ParseEvent = (req: InboundRequest) => ParseResult;

export interface Rendered {
  contentType: string;
  body: string;
}
export type RenderScreen = (screen: Screen) => Rendered;

export interface VendorAdapter {
  name: VendorName;
  /** Human name for docs and logs. */
  title: string;
  limits: ScreenLimits;
  /** Whether a User-Agent (and headers) come from this vendor's phones. */
  detect: (userAgent: string) => boolean;
  parseEvent: ParseEvent;
  renderScreen: RenderScreen;
  /**
   * The action URLs to put into the phone, keyed by the vendor's own setting name, each built on
   * `base` (our event URL with the phone's token) with the vendor's `$variables`. Absent for
   * vendors whose phones push nothing (Cisco).
   */
  eventUrls?: (base: string) => Record<string, string>;
  /** The files the phone fetches after a factory reset, and how to render them (`src/vendors/<name>/provisioning.ts`). */
  provisioning?: VendorProvisioning;
  /** Server → phone push to the idle screen (`src/vendors/<name>/push.ts`); absent where none is documented. */
  push?: VendorPush;
}

// --- Push to the idle screen (issue 14; phones.md §1.4, §2.2, §3.3) ---

/** The phone a push is for, and what the vendor module needs to know about it. */
export interface PushTarget {
  phone: Phone;
  /** Our base URL as the phone reaches it, without a trailing slash (pages the phone fetches); null = unknown. */
  base: string | null;
  /** The line key provisioning put the missed list on (its LED), or null when unknown. */
  missedKey: number | null;
}

/** One HTTP request to the phone; the push service adds the address, credentials and timeout. */
export interface PushRequest {
  /** Path and query on the phone, e.g. `/servlet?push=xml`. */
  path: string;
  contentType: string;
  body: string;
  /** What it does, for logs and tests: `status`, `led`, `clear`… */
  purpose: string;
}

export interface VendorPush {
  /** Largest body the phone takes, bytes (checked before sending). */
  maxBytes: number;
  /** The user name the phone checks; the password is the phone's own push secret. */
  user: string;
  /** The requests that make the idle screen show `view` (count 0 = clear), in order. */
  render: (view: PushView, target: PushTarget) => PushRequest[];
}

// --- Provisioning (phones.md §1.9, §2.6, §3.5, §5) ---

/** One config setting as the vendor names it; values are plain text, the file format escapes or rejects. */
export type Setting = readonly [key: string, value: string];

/** A file name a vendor answers, resolved: what it is and whose. */
export interface ProvisionFileRef {
  /** The name as we record and render it (canonical case), e.g. `805ec0aabbcc.cfg`. */
  name: string;
  /** `index` files only name other files (boot, master); `settings` files carry settings; `upload` is written by the phone. */
  role: 'index' | 'settings' | 'upload';
  /** Vendor's own kind, e.g. `boot`, `common`, `phone`, `master`, `bootstrap`, `overrides`, `log`. */
  kind: string;
  /** The phone the file belongs to (MAC in the name), or null for a file shared by many phones. */
  mac: string | null;
  /** A shared file whose content depends on which phone asks (Yealink `y000000000000.boot`). */
  needsRequester?: boolean;
  /** A shared per-model file: the model it is for (Yealink `y000000000108.cfg` → `T46U`). */
  model?: string;
}

/** The DST switch of a zone as a yearly rule: `week` 1–4 or 5 = last; `weekday` 0 = Sunday; local wall time. */
export interface DstRule {
  month: number;
  week: number;
  weekday: number;
  hour: number;
  minute: number;
}

/** A time zone as phones need it: standard offset, and the DST rule when the zone has one. */
export interface ZoneInfo {
  /** IANA name, e.g. `Europe/Berlin`. */
  name: string;
  standardOffsetMinutes: number;
  /** null when the zone keeps one offset all year. */
  dst: { offsetMinutes: number; start: DstRule; end: DstRule } | null;
}

/** Everything a vendor needs to render a file; built by `src/provisioning` from inventory, config and templates. */
export interface ProvisionInput {
  /** The owning (or requesting) phone; null for a shared file fetched by a phone we cannot name. */
  phone: Phone | null;
  /** The phone's action URLs (`eventUrls`), its event URL (Poly), its missed-list URL; empty without a phone. */
  urls: { events: Record<string, string>; event: string; screen: string };
  /** Where the phone fetches its files, without a trailing slash: `http://host:8080/provision`. */
  provisionUrl: string;
  /** Provisioning credentials written back into the phone, or null when none are configured. */
  credentials: { user: string; password: string } | null;
  /** Default SIP server for lines that name none. */
  sipServer: string | null;
  ntpServers: string[];
  zone: ZoneInfo;
  /**
   * Push to the idle screen (issue 14): the user name and per-phone secret the phone demands of
   * pushes ('' = none), our base URL and the host pushes come from; null = no push for this phone.
   */
  push: { user: string; password: string; base: string; server: string } | null;
  /** Template layers for this vendor and model: settings (later wins) and the vendor's knobs. */
  template: { settings: Setting[]; vars: Readonly<Record<string, string>> };
}

/** A file in the order a phone fetches it. */
export interface ProvisionFile {
  name: string;
  role: 'index' | 'settings';
}

export interface VendorProvisioning {
  /** The file a requested name is, or undefined when this vendor has no such file (any case accepted). */
  match: (name: string) => ProvisionFileRef | undefined;
  /** The files that configure `phone`, in the vendor's fetch order. */
  files: (phone: Phone) => ProvisionFile[];
  /** Render one file; throws `ProvisionError` when the input cannot be written safely. */
  render: (ref: ProvisionFileRef, input: ProvisionInput) => Rendered;
  /** Model and firmware from a provisioning request's User-Agent. */
  identify: (userAgent: string) => { model?: string; firmware?: string };
  /** Template file key for a model (`SIP-T46U` → `T46U`); '' for none. */
  modelKey: (model: string) => string;
  /** Whether a template may name this setting key (the file format can carry it). */
  isKey: (key: string) => boolean;
  /** The line key the files put the missed list on (its LED is lit by pushes), or null for none. */
  missedKey?: (input: ProvisionInput) => number | null;
}
