/**
 * @module The web dashboard's files: `GET /` (the page), `/assets/*` (its ES modules and CSS from
 * `src/web/assets`, no build step), and Chart.js served from node_modules by one explicit route.
 *
 * Every answer carries a strict Content-Security-Policy: scripts and styles from this origin only,
 * no inline code, no framing, requests to this origin only. Caller data is put into the page with
 * `textContent` by the scripts, and the policy is the second wall should that ever slip.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router, type RequestHandler } from 'express';

export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const WEB_DIR = fileURLToPath(new URL('../../web/', import.meta.url));

/** Chart.js's self-contained UMD build (one file, no imports), found wherever npm put the package. */
function chartJsFile(): string {
  const main = createRequire(import.meta.url).resolve('chart.js');
  return join(dirname(main), 'chart.umd.min.js');
}

export function dashboardRoutes(): Router {
  const router = Router();
  const chartJs = chartJsFile();
  const headers: RequestHandler = function dashboardHeaders(_req, res, next) {
    res.set({
      'Content-Security-Policy': DASHBOARD_CSP,
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
    });
    next();
  };
  // Revalidate on every load: after an update the browser must not mix old and new modules.
  const fresh = { index: false, redirect: false, setHeaders: (res: express.Response) => { res.set('Cache-Control', 'no-cache'); } };

  router.get(['/', '/index.html'], headers, (_req, res) => {
    res.set('Cache-Control', 'no-cache').sendFile(join(WEB_DIR, 'index.html'));
  });
  router.get('/assets/vendor/chart.umd.min.js', headers, (_req, res) => {
    res.set('Cache-Control', 'no-cache').type('text/javascript').sendFile(chartJs);
  });
  router.use('/assets', headers, express.static(join(WEB_DIR, 'assets'), fresh));
  return router;
}
