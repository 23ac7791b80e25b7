/** @module Validation problems in words: one line per problem, naming the field (what an admin needs to fix a request). */

/** The shape of a zod error's issues, structurally (the domain imports no validation library). */
export interface Issues {
  issues: readonly { path: readonly PropertyKey[]; message: string }[];
}

/** One line per problem, naming the field: what an admin needs to fix the request. */
export function describeIssues(e: Issues): string {
  return e.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : 'body'}: ${i.message}`).join('; ');
}
