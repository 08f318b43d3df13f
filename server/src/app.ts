import express, { Router, type RequestHandler } from 'express';
import helmet from 'helmet';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { createServer, IncomingMessage, ServerResponse, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import type { Deps } from './deps';
import { ping } from './db/client';
import { Api } from './http/api';
import { HttpError, errorHandler } from './http/errors';
import { cleanInput } from './http/normalise';
import { openApiDocument } from './http/openapi';
import { metricsHandler } from './http/metrics';
import { apiCacheControl, redactUrl } from './http/redact';
import { serveWebApp } from './http/web';
import { authRoutes } from './auth/routes';
import { authenticate } from './auth/index';
import { catalogRoutes } from './catalog/routes';
import { dossierRoutes } from './dossiers/routes';
import { fileRoutes } from './dossiers/files';
import { slipRoutes } from './slips/routes';
import { esignRoutes } from './esign/routes';
import { publicDossierRoutes } from './dossiers/publicRoutes';
import { adminRoutes } from './admin/routes';
import { statsRoutes } from './stats/routes';
import { webhookRoutes } from './outbox/routes';
import { portalRoutes } from './outbox/portal/routes';
import { auditRoutes } from './audit/routes';
import { parameterRoutes } from './parameters/routes';
import { webhookOpenApi } from './outbox/docs';
import { citizenRoutes } from './citizens/routes';
import { citizenOf } from './citizens/service';
import { onlineRoutes } from './online/routes';
import { citizenPaperRoutes, paperRoutes } from './papers/routes';
import { paymentRoutes } from './payments/routes';
import { notificationRoutes } from './notifications/routes';

export const VERSION = '0.1.0';

export interface App {
  app: express.Express;
  api: Api;
  metrics: Registry;
}

/**
 * The headers a header-only middleware (helmet) sets, computed once and set on every
 * response: they depend on neither the request nor the response, and running helmet's
 * dozen middlewares per request costs more than setting a dozen headers.
 */
export function fixedHeaders(middleware: RequestHandler): RequestHandler {
  const set: [string, string | number | readonly string[]][] = [];
  const removed: string[] = [];
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => { set.push([name, value]); return recorder; },
    removeHeader: (name: string) => { removed.push(name); },
  };
  let passed = false;
  void middleware({ headers: {} } as never, recorder as never, () => { passed = true; });
  if (!passed) throw new Error('fixedHeaders: the middleware did not pass the request on');
  return (_req, res, next) => {
    for (const [name, value] of set) res.setHeader(name, value);
    for (const name of removed) res.removeHeader(name);
    next();
  };
}

/**
 * The HTTP server of an app, whose requests and responses are born with the app's own
 * prototypes (`app.request`, `app.response`). Express gives every request and response
 * those prototypes on arrival (`Object.setPrototypeOf`); an object whose prototype changes
 * after it was built leaves V8's fast paths for every later property access, and this alone
 * made Express's share of a light request about 2.5 times larger (0.104 → 0.04 ms of CPU per
 * request on the bench machine). Born with them, Express's call finds them in place and
 * changes nothing. Node's `IncomingMessage` and `ServerResponse` are ES5 constructors, so a
 * constructor function may call them on an object it made with another prototype
 * (`Reflect.construct` would do the same, but measured slower than no change at all).
 */
export function httpServer(app: express.Express): Server {
  // Casts: Node's types describe classes; these are the ES5 functions behind them.
  const initRequest = IncomingMessage as unknown as (this: IncomingMessage, socket: Socket) => void;
  const initResponse = ServerResponse as unknown as (this: ServerResponse, req: IncomingMessage, options?: object) => void;
  const Request = function (this: IncomingMessage, socket: Socket) { initRequest.call(this, socket); } as unknown as typeof IncomingMessage;
  Request.prototype = app.request as unknown as IncomingMessage;
  const Response = function (this: ServerResponse, req: IncomingMessage, options?: object) { initResponse.call(this, req, options); } as unknown as typeof ServerResponse;
  Response.prototype = app.response as unknown as ServerResponse;
  return createServer({ IncomingMessage: Request, ServerResponse: Response }, app);
}

/** Builds the HTTP application from its dependencies; listens on nothing (main.ts does). */
export function createApp(deps: Deps): App {
  const app = express();
  app.disable('x-powered-by');
  // No ETag computed over every JSON answer: API answers are no-store (nothing keeps them to
  // revalidate), files set their own (a document's SHA-256; the web app's static files).
  app.set('etag', false);
  app.set('trust proxy', 'loopback');
  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics });
  const httpDuration = new Histogram({
    name: 'motcua_http_request_duration_seconds', help: 'HTTP request duration', labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers: [metrics],
  });

  // Scripts come only from this server, never inline, never eval'd: the web app validates
  // with precompiled validators (the engine's, Ajv standalone) and interprets the forms' own
  // schemas (web/src/validation), so no 'unsafe-eval' (tests/e2e/csp.spec.ts proves it).
  app.use(fixedHeaders(helmet({
    contentSecurityPolicy: { directives: { 'script-src': ["'self'"], 'img-src': ["'self'", 'data:', 'blob:'], 'connect-src': ["'self'", 'ws:', 'wss:'] } },
  })));
  // One listener per request for the metrics and the access log. Successful requests are
  // logged at debug only: a synchronous line per request at info costs more than a light
  // request itself; failures are logged at info (4xx) and error (5xx, with details by the error handler).
  app.use((req, res, next) => {
    const end = httpDuration.startTimer({ method: req.method });
    const started = performance.now();
    res.on('finish', () => {
      const status = res.statusCode;
      end({ route: (req.route as { path?: string } | undefined)?.path ?? 'other', status: String(status) });
      // A 503 is an outage already logged once as such (db/outage.ts), not a bug per request.
      const level = status >= 500 && status !== 503 ? 'error' : status >= 400 ? 'info' : 'debug';
      if (!deps.logger.isLevelEnabled(level) || req.url === '/healthz' || req.url === '/metrics') return;
      deps.logger[level]({ req: { method: req.method, url: redactUrl(req.originalUrl) }, res: { statusCode: status }, responseTime: Math.round(performance.now() - started) }, 'request completed');
    });
    next();
  });
  // Set before the routes, so a route serving a file may still choose its own.
  app.use('/api', (req, res, next) => {
    res.setHeader('Cache-Control', apiCacheControl(req.originalUrl.split('?')[0]!));
    next();
  });
  // A whole commune catalog (~400 procedures) is several megabytes; everything else stays small.
  // Only an administrator's body is read that far: parsed (and walked by cleanInput) before the
  // route's own check, 12 MB from anyone held the event loop 21 s and 40 MB ended the process.
  app.use('/api/catalog/import', (req, _res, next) => { authenticate(req, deps, ['admin']).then(() => next(), next); }, express.json({ limit: '50mb' }));
  app.use(express.json({ limit: '1mb' }));
  // NUL, lone surrogates and deep nesting refused (400), text normalised to NFC: ./http/normalise.ts
  app.use('/api', cleanInput());

  app.get('/healthz', (_req, res) => { res.json({ status: 'ok' }); });
  app.get('/readyz', async (_req, res) => {
    try {
      await ping(deps.db);
      res.json({ status: 'ready', database: deps.database.kind });
    } catch {
      res.status(503).json({ status: 'unavailable' });
    }
  });
  app.get('/metrics', metricsHandler(metrics, deps.config.metricsToken));

  const router = Router();
  const api = new Api(router, deps);
  authRoutes(api, router, deps);
  citizenRoutes(api, router, deps);
  // A request walks the routes in this order: the citizens' online routes (five requests a
  // submission, the channel most dossiers use) come before the hundred-odd officers' ones.
  onlineRoutes(api, deps);
  catalogRoutes(api, deps);
  dossierRoutes(api, router, deps);
  publicDossierRoutes(api, deps);
  fileRoutes(api, deps);
  paperRoutes(api, deps);
  citizenPaperRoutes(api, deps, { personalIdOf: async (req, res) => (await citizenOf(deps, req, res)).personalId });
  slipRoutes(api, deps);
  esignRoutes(api, deps);
  adminRoutes(api, deps);
  statsRoutes(api, deps);
  webhookRoutes(api, deps);
  portalRoutes(api, deps);
  auditRoutes(api, deps);
  parameterRoutes(api, deps);
  paymentRoutes(api, deps);
  notificationRoutes(api, deps);
  app.use(router);

  app.get('/api/openapi.json', (_req, res) => { res.json(openApiDocument(api, VERSION, { webhooks: webhookOpenApi() })); });
  const swaggerDir = join(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'), '..');
  app.get('/api/docs', (_req, res) => {
    res.type('html').send(`<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>motcua API</title>
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css"></head><body><div id="ui"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script><script src="/api/docs/init.js"></script></body></html>`);
  });
  app.get('/api/docs/init.js', (_req, res) => {
    res.type('application/javascript').send("window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#ui' });");
  });
  app.use('/api/docs/assets', express.static(swaggerDir, { index: false }));

  app.use('/api', (req, _res, next) => {
    next(new HttpError(404, 'NOT_FOUND', { vi: `Không có địa chỉ ${req.method} ${req.originalUrl}`, en: `No route ${req.method} ${req.originalUrl}` }));
  });
  if (deps.config.webDir && existsSync(deps.config.webDir)) {
    serveWebApp(app, deps.config.webDir);
  }
  app.use(errorHandler(deps.logger));
  return { app, api, metrics };
}
