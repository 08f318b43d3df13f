/**
 * The server of the HTTP-floor benchmark: one route answering `{"ok":true}` and nothing else,
 * either on bare `node:http` or through Express with its JSON body parser (as the product's
 * server mounts it). Prints `{ port }` when listening.
 *
 *   tsx bench/http-floor/serve.ts bare|express
 */
import { createServer, type RequestListener } from 'node:http';
import express from 'express';

const kind = process.argv[2];
let handler: RequestListener;
if (kind === 'bare') {
  handler = (_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end('{"ok":true}');
  };
} else {
  const app = express();
  app.use(express.json({ limit: '1mb' }));
  app.get('/x', (_req, res) => { res.json({ ok: true }); });
  handler = app as unknown as RequestListener;
}
const server = createServer(handler);
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 }));
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
