/** @module The one error rendering throws: the inventory or a template cannot be written into a file safely. */

export class ProvisionError extends Error {
  override readonly name = 'ProvisionError';
}

export function isProvisionError(e: unknown): e is ProvisionError {
  return e instanceof ProvisionError;
}

/**
 * A URL we would write is longer than the phone's field takes. Its base is RINGBACK_PUBLIC_URL or,
 * without one, the Host the request named: then the request, not the server, is what is wrong.
 */
export class UrlTooLongError extends ProvisionError {}
