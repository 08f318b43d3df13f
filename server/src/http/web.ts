/**
 * Serving the built web app (web/dist): the brotli or gzip copy made at build time when the
 * browser accepts it; hashed assets (`/assets/<name>-<hash>.js`) cached for a year, since a
 * new build gives them new names; index.html never cached, so a new build is seen at once.
 */
import { join } from 'node:path';
import type { ServerResponse } from 'node:http';
import type { Express } from 'express';
import expressStaticGzip from 'express-static-gzip';

const YEAR = 'public, max-age=31536000, immutable';
const ALWAYS_CHECK = 'no-cache';

function cacheHeaders(res: ServerResponse, path: string): void {
  res.setHeader('Cache-Control', /[\\/]assets[\\/]/.test(path) ? YEAR : ALWAYS_CHECK);
}

export function serveWebApp(app: Express, webDir: string): void {
  app.use(expressStaticGzip(webDir, {
    enableBrotli: true,
    orderPreference: ['br', 'gzip'],
    index: 'index.html',
    serveStatic: { setHeaders: cacheHeaders },
  }));
  // The web app routes on the client: unknown non-API paths get its index page.
  app.get(/^(?!\/api\/).*/, (_req, res) => {
    res.setHeader('Cache-Control', ALWAYS_CHECK);
    res.sendFile(join(webDir, 'index.html'));
  });
}
