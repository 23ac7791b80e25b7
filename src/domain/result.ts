/**
 * @module What a service answers: its value, or a failure saying why, as a `code` (which
 * `src/http/errors.ts` alone turns into an HTTP status, so no service knows HTTP) and a message
 * for people. The codes are the API's `error.code` values.
 */

export type FailureCode =
  | 'invalid'
  | 'not_found'
  /** Not for this requester (a phone asking for another phone's file). */
  | 'forbidden'
  /** No or wrong credentials, signature or timestamp. */
  | 'unauthorized'
  /** A delivery seen before (the PBX webhook's id and timestamp). */
  | 'replayed'
  /** An uploaded CSV file that cannot be read as a whole (a bad row is reported, not failed). */
  | 'invalid_csv'
  /** The entry's state does not allow the action (a missed call's claim, a finished entry). */
  | 'conflict'
  /** The thing to create is there already. */
  | 'exists'
  | 'number_taken'
  | 'team_in_use'
  /** The value comes from the environment, which wins (settings, the AMI source). */
  | 'set_by_environment'
  | 'from_env';

export interface Failure {
  code: FailureCode;
  message: string;
}

/** A service's answer; `E` is `Failure` unless a service needs more (none does yet). */
export type Result<T, E extends Failure = Failure> = { ok: true; value: T } | ({ ok: false } & E);

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function failure(code: FailureCode, message: string): Result<never> {
  return { ok: false, code, message };
}

/** Input that does not validate: `message` names the field. */
export function invalid(message: string): Result<never> {
  return failure('invalid', message);
}

/** `no such <what>`. */
export function notFound(what: string): Result<never> {
  return failure('not_found', `no such ${what}`);
}
