/** A small keep-alive JSON client for the load generator (node:http: less CPU than fetch on a shared machine). */
import { Agent, request } from 'node:http';

export interface Answer<T = unknown> { status: number; body: T; ms: number }

export class Client {
  private readonly agent: Agent;

  constructor(private readonly port: number, sockets: number) {
    this.agent = new Agent({ keepAlive: true, maxSockets: sockets });
  }

  call<T = unknown>(method: string, path: string, token: string | null, body?: unknown, extra?: { [name: string]: string }): Promise<Answer<T>> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const req = request({
        host: '127.0.0.1', port: this.port, method, path, agent: this.agent,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...extra,
          ...(payload !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
        },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try { parsed = text ? JSON.parse(text) : null; } catch { /* not JSON: keep the text */ }
          resolve({ status: res.statusCode ?? 0, body: parsed as T, ms: performance.now() - started });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
