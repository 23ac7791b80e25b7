/** Test support: counts the requests that reach an app's Express stack, which a front route keeps from it. */
import type { Express } from 'express';

export function countExpress(app: Express): () => number {
  // Express 5's app.handle hands every request it gets to app.router; a front route answers before it.
  const router = (app as unknown as { router: { handle: (...args: unknown[]) => void } }).router;
  const handle = router.handle.bind(router);
  let n = 0;
  router.handle = (...args) => { n += 1; handle(...args); };
  return () => n;
}
