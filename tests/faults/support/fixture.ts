/**
 * What the fault tests share: a fresh database seeded with a province, a commune, officers
 * and the load-test procedure (whose `note` action repeats), and small HTTP helpers.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../../../server/src/db/client';
import { grants, procedureVersions, procedures, units, users } from '../../../server/src/db/schema';
import { hashPassword } from '../../../server/src/auth/passwords';
import { ROOT } from './process';

export const PROVINCE = '000.00.00.H99';
export const COMMUNE = '000.01.31.H99';
export const PROCEDURE = 'bench-loop';
export const REQUEST_TIMEOUT_MS = 15_000;

export interface DossierAnswer {
  id: string;
  version: number;
}

export const sleep = (ms: number) => new Promise<void>((ok) => setTimeout(ok, ms));

export async function post(url: string, token: string | null, body: unknown, key?: string): Promise<{ status: number; body: unknown; headers: Headers }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(key ? { 'Idempotency-Key': key } : {}),
    },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null, headers: res.headers };
}

export async function login(url: string, username: string): Promise<string> {
  const r = await post(`${url}/api/auth/login`, null, { username, password: `${username}-pass` });
  if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${JSON.stringify(r.body)}`);
  return (r.body as { token: string }).token;
}

/** Units, officers and the load-test procedure, written straight into the fresh database (migrations applied). */
export async function seed(databaseUrl: string): Promise<void> {
  const database = await openDatabase({ url: databaseUrl, poolSize: 2 });
  try {
    const db = database.db;
    await db.insert(units).values([
      { code: PROVINCE, name: 'UBND tỉnh Demo', kind: 'province' },
      { code: COMMUNE, name: 'UBND xã An Phú', kind: 'commune', parent: PROVINCE },
    ]);
    const people = [
      { username: 'admin', role: 'admin', unit: PROVINCE },
      { username: 'desk', role: 'desk', unit: COMMUNE },
      ...[1, 2, 3].map((i) => ({ username: `spec${i}`, role: 'specialist', unit: COMMUNE })),
    ];
    for (const p of people) {
      await db.insert(users).values({ id: `u-${p.username}`, username: p.username, name: p.username, passwordHash: await hashPassword(`${p.username}-pass`) });
      await db.insert(grants).values({ userId: `u-${p.username}`, role: p.role, unit: p.unit });
    }
    const def = JSON.parse(readFileSync(join(ROOT, 'bench/fixtures/server-loop.json'), 'utf8')) as {
      id: string; catalog: { code: string; name: { vi: string }; field: string };
    };
    await db.insert(procedures).values({ id: def.id, code: def.catalog.code, name: def.catalog.name.vi, field: def.catalog.field });
    await db.insert(procedureVersions).values({
      procedureId: def.id, version: 1, status: 'published', definition: def, effectiveFrom: '2020-01-01T00:00:00.000Z',
      publishedAt: '2020-01-01T00:00:00.000Z', publishedBy: 'crash-test',
    });
  } finally {
    await database.close();
  }
}

export const intakeBody = (applicant: string) => ({
  procedureId: PROCEDURE, channel: 'direct', receivingUnit: COMMUNE, applicant: { name: applicant }, accept: true,
});

// ---- uploads -----------------------------------------------------------------------------

/** One upload sent under load, and what became of it. */
export interface Upload {
  key: string;
  dossierId: string;
  data: Buffer;
  outcome: 'pending' | 'acked' | 'refused' | 'lost';
  status?: number;
  id?: string;
}

/** A small PDF (the server checks the type by content) with random bytes, so every file differs: hex, because base64 can spell a PDF JavaScript key ('/JS/') that the upload check refuses. */
export function randomPdf(bytes: number): Buffer {
  const body = randomBytes(bytes).toString('hex');
  return Buffer.from(`%PDF-1.4\n1 0 obj\n<< /Length ${body.length} >>\nstream\n${body}\nendstream\nendobj\ntrailer\n<< >>\n%%EOF\n`);
}

/** Uploads a paper to a dossier (multipart, with the upload's Idempotency-Key). */
export async function sendUpload(url: string, token: string, u: Upload): Promise<{ status: number; body: { id?: string } | null }> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(u.data)], { type: 'application/pdf' }), `${u.key}.pdf`);
  const res = await fetch(`${url}/api/dossiers/${encodeURIComponent(u.dossierId)}/documents`, {
    method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Idempotency-Key': u.key }, body: form, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as { id?: string }) : null };
}

/** Every file under `dir`, as paths relative to it ('/'-separated). */
export function filesUnder(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p, `${prefix}${name}/`) : [`${prefix}${name}`];
  });
}
