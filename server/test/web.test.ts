import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import express from 'express';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { serveWebApp } from '../src/http/web';

// A built web app as `vite build` leaves it: hashed assets with their .br and .gz copies.
const dir = mkdtempSync(join(tmpdir(), 'motcua-web-'));
mkdirSync(join(dir, 'assets'));
const script = `console.log(${JSON.stringify('một cửa '.repeat(400))});`;
writeFileSync(join(dir, 'index.html'), '<!doctype html><title>motcua</title>');
writeFileSync(join(dir, 'assets/index-Ab12Cd34.js'), script);
writeFileSync(join(dir, 'assets/index-Ab12Cd34.js.br'), brotliCompressSync(script));
writeFileSync(join(dir, 'assets/index-Ab12Cd34.js.gz'), gzipSync(script));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const app = express();
serveWebApp(app, dir);

describe('serving the web app', () => {
  it('should send the brotli copy of a hashed asset, cached for a year', async () => {
    const res = await request(app).get('/assets/index-Ab12Cd34.js').set('Accept-Encoding', 'gzip, deflate, br');
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['vary']).toMatch(/Accept-Encoding/i);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(Number(res.headers['content-length'])).toBeLessThan(script.length / 5);
  });

  it('should send gzip to a browser without brotli, and the plain file to one without either', async () => {
    const gz = await request(app).get('/assets/index-Ab12Cd34.js').set('Accept-Encoding', 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    const plain = await request(app).get('/assets/index-Ab12Cd34.js').set('Accept-Encoding', 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.text).toBe(script);
  });

  it('should never let index.html be cached, at / or at a client route', async () => {
    for (const path of ['/', '/index.html', '/public/procedures/x']) {
      const res = await request(app).get(path);
      expect(res.status, path).toBe(200);
      expect(res.text, path).toContain('<title>motcua</title>');
      expect(res.headers['cache-control'], path).toBe('no-cache');
    }
  });
});
