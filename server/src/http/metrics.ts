/**
 * `/metrics` (Prometheus). Metrics reveal load, routes and error rates, so the public port
 * serves them only with `Authorization: Bearer <METRICS_TOKEN>`; without a token they are
 * served only on the internal METRICS_PORT (bound to 127.0.0.1 unless METRICS_HOST says otherwise).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { Request, RequestHandler } from 'express';
import type { Registry } from 'prom-client';
import { HttpError } from './errors';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Whether the request carries the metrics token (compared in constant time). */
function hasToken(req: Request, token: string): boolean {
  const h = req.headers.authorization;
  if (!h?.startsWith('Bearer ')) return false;
  return timingSafeEqual(digest(h.slice(7).trim()), digest(token));
}

/** The public port's `/metrics`: 404 when no METRICS_TOKEN is set, 401 without it. */
export function metricsHandler(registry: Registry, token: string | null): RequestHandler {
  return (req, res, next) => {
    if (token === null) {
      next(new HttpError(404, 'NOT_FOUND', {
        vi: 'Số liệu giám sát chỉ có trên cổng nội bộ (METRICS_PORT) hoặc khi đặt METRICS_TOKEN',
        en: 'Metrics are served only on the internal port (METRICS_PORT) or with METRICS_TOKEN set',
      }));
      return;
    }
    if (!hasToken(req, token)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      next(new HttpError(401, 'UNAUTHENTICATED', { vi: 'Cần mã METRICS_TOKEN để xem số liệu giám sát', en: 'Metrics need the METRICS_TOKEN bearer token' }));
      return;
    }
    registry.metrics().then((text) => {
      res.setHeader('Cache-Control', 'no-store');
      res.type(registry.contentType).send(text);
    }, next);
  };
}

/** The internal metrics listener: `/metrics` with no token, nothing else. */
export function serveMetrics(registry: Registry, port: number, host: string): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    registry.metrics().then((text) => {
      res.writeHead(200, { 'Content-Type': registry.contentType, 'Cache-Control': 'no-store' }).end(text);
    }, () => res.writeHead(500).end());
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      ok(server);
    });
  });
}
