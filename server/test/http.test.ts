import express from 'express';
import helmet from 'helmet';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { fixedHeaders } from '../src/app';

describe('fixed headers', () => {
  it('should set exactly the headers helmet sets, computed once', async () => {
    const options = { contentSecurityPolicy: { directives: { 'script-src': ["'self'"], 'connect-src': ["'self'", 'ws:'] } } };
    const serve = (mw: express.RequestHandler) => {
      const app = express();
      app.use(mw);
      app.get('/x', (_req, res) => { res.json({ ok: true }); });
      return request(app).get('/x');
    };
    const pick = (headers: { [k: string]: unknown }) => Object.fromEntries(Object.entries(headers).filter(([k]) => k !== 'date' && k !== 'etag'));
    const direct = await serve(helmet(options));
    const fixed = await serve(fixedHeaders(helmet(options)));
    expect(fixed.status).toBe(200);
    expect(pick(fixed.headers)).toEqual(pick(direct.headers));
    expect(fixed.headers['content-security-policy']).toContain("script-src 'self'");
    expect(fixed.headers['x-powered-by']).toBeUndefined();
  });
});
