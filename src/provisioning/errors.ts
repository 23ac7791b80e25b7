/** @module The one error rendering throws: the inventory or a template cannot be written into a file safely. */

export class ProvisionError extends Error {
  override readonly name = 'ProvisionError';
}

export function isProvisionError(e: unknown): e is ProvisionError {
  return e instanceof ProvisionError;
}
