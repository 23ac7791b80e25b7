/** @module The contract every vendor folder implements: parse events in, render screens out. */
import type { ParsedEvent, VendorName } from '../domain/types.ts';
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
}
