/**
 * Two server processes behind a load balancer without sticky sessions: the real server
 * (`server/src/main.ts`) twice, on one PostgreSQL database and one data folder (so one
 * uploads folder), with one TOKEN_SECRET, one public URL and one OpenID Connect provider, as
 * the deployment notes ask. Each request of a citizen goes to the process the test picks,
 * alternating: the sign-in begins on one and its callback lands on the other; a draft made
 * on one gets its papers through the other and is submitted through the first; the
 * papers read back from both; signing out through one ends the session on the other at once.
 *
 * PostgreSQL only: two processes cannot open one PGlite database.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/src/db/client';
import { procedureVersions, procedures, units } from '../../server/src/db/schema';
import { startDevProvider, type DevProvider } from '../../server/src/citizens/devProvider';
import { smallPdf } from '../../server/test/support/online';
import { createDatabase, dropDatabase, freePort, ROOT, startServer, stopServer, type ServerProcess } from './support/process';
import { Jar } from '../../server/test/support/cookies';

const BASE = process.env['DATABASE_URL']?.trim() || '';
if (!BASE) process.stderr.write('tests/faults/processes.test.ts skipped: needs DATABASE_URL (PostgreSQL); two processes cannot share a PGlite database\n');

const COMMUNE = '000.01.31.H99';
const CITIZEN = { personalId: '001199012345', name: 'Trần Thị Mai', email: 'mai@congdan.demo', phone: '0901012345', password: 'congdan@123', label: 'Công dân' };
const BIRTH = {
  childName: 'Trần Gia Bảo', dateOfBirth: '2026-02-20', sex: 'male', placeOfBirth: 'Trạm Y tế xã An Phú', ethnicity: 'Kinh', nationality: 'Việt Nam',
  motherName: 'Trần Thị Mai', motherPersonalId: CITIZEN.personalId, declarantRelation: 'mother', birthProof: 'birth-certificate', onTime: true,
};

describe.skipIf(!BASE)('two server processes on one database, no sticky sessions', () => {
  const dbName = `motcua_procs_${process.pid}`;
  let databaseUrl = '';
  let dataDir = '';
  let provider: DevProvider;
  let A: ServerProcess;
  let B: ServerProcess;

  beforeAll(async () => {
    databaseUrl = await createDatabase(BASE, dbName);
    dataDir = mkdtempSync(join(tmpdir(), 'motcua-procs-'));
    // The balancer's address: what the provider redirects to (nothing listens there; the test is the balancer).
    const publicUrl = `http://127.0.0.1:${await freePort()}`;
    provider = await startDevProvider({ port: 0, redirectUris: [`${publicUrl}/api/oidc/callback`], people: [CITIZEN] });
    const shared = {
      databaseUrl, dataDir, tokenSecret: randomBytes(32).toString('hex'), readyTimeoutMs: 60_000,
      env: {
        PUBLIC_URL: publicUrl, OIDC_ISSUER: provider.issuer, OIDC_CLIENT_ID: provider.clientId, OIDC_CLIENT_SECRET: provider.clientSecret,
        OIDC_SCOPE: 'profile email phone vneid',
      },
    };
    // The reference data goes in before either process starts (opening the database applies the
    // migrations): a server caches the unit tree for 30 s, so rows written behind its back after
    // it has read the tree are not desks to it yet.
    const database = await openDatabase({ url: databaseUrl, poolSize: 2 });
    try {
      await database.db.insert(units).values([
        { code: '000.00.00.H99', name: 'UBND tỉnh Demo', kind: 'province', collectiveName: 'ỦY BAN NHÂN DÂN', headTitle: 'CHỦ TỊCH', oneStop: true },
        { code: COMMUNE, name: 'UBND xã An Phú', kind: 'commune', parent: '000.00.00.H99', collectiveName: 'ỦY BAN NHÂN DÂN', headTitle: 'CHỦ TỊCH', oneStop: true },
      ]);
      const def = JSON.parse(readFileSync(join(ROOT, 'procedures/dang-ky-khai-sinh/procedure.json'), 'utf8'));
      await database.db.insert(procedures).values({ id: def.id, code: def.catalog.code, name: def.catalog.name.vi, field: def.catalog.field });
      await database.db.insert(procedureVersions).values({
        procedureId: def.id, version: def.version, status: 'published', definition: def, effectiveFrom: '2020-01-01T00:00:00.000Z',
        publishedAt: '2020-01-01T00:00:00.000Z', publishedBy: 'processes-test',
      });
    } finally {
      await database.close();
    }
    A = await startServer(shared);
    B = await startServer(shared);
  }, 150_000);

  afterAll(async () => {
    for (const p of [B, A]) if (p) await stopServer(p);
    await provider?.close();
    if (databaseUrl) await dropDatabase(BASE, dbName);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('a citizen signs in across both, uploads through one, submits through the other, and signing out on one ends the session on both', async () => {
    // given a sign-in begun on A whose provider redirect comes back to B
    const app = new Jar();
    const start = await fetch(`${A.url}/api/oidc/login?as=citizen`, { redirect: 'manual' });
    expect(start.status).toBe(302);
    app.take(start.headers.getSetCookie());
    const idp = new Jar();
    let url = start.headers.get('location')!;
    for (let hop = 0; hop < 20 && url.startsWith(provider.issuer); hop++) {
      const res = await fetch(url, { redirect: 'manual', headers: { cookie: idp.header() } });
      idp.take(res.headers.getSetCookie());
      if (res.status >= 300 && res.status < 400) { url = new URL(res.headers.get('location')!, url).href; continue; }
      const action = /<form method="post" action="([^"]+)"/.exec(await res.text())?.[1];
      expect(action, `sign-in form at ${url}`).toBeTruthy();
      const form = await fetch(new URL(action!, url), {
        method: 'POST', redirect: 'manual', headers: { cookie: idp.header(), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ personalId: CITIZEN.personalId, password: CITIZEN.password }).toString(),
      });
      idp.take(form.headers.getSetCookie());
      url = new URL(form.headers.get('location')!, url).href;
    }
    const back = new URL(url);
    const cb = await fetch(`${B.url}${back.pathname}${back.search}`, { redirect: 'manual', headers: { cookie: app.header() } });
    expect(cb.status, `callback on B: ${await cb.clone().text()}`).toBe(302);
    app.take(cb.headers.getSetCookie());
    const csrf = app.values.get('motcua_citizen_csrf')!;
    expect(csrf).toBeTruthy();
    const headers = () => ({ cookie: app.header(), 'x-csrf-token': csrf });

    // then the session B made is A's too
    const me = await fetch(`${A.url}/api/me`, { headers: headers() });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ personalId: CITIZEN.personalId });

    // when the draft is made on A, its papers uploaded through B (one through A), and it is submitted through B
    const draft = await fetch(`${A.url}/api/me/drafts`, {
      method: 'POST', headers: { ...headers(), 'content-type': 'application/json' },
      body: JSON.stringify({ procedureId: 'dang-ky-khai-sinh', data: BIRTH, receivingUnit: COMMUNE }),
    });
    expect(draft.status).toBe(201);
    const draftId = ((await draft.json()) as { id: string }).id;
    const sent = new Map<string, Buffer>();
    for (const [paper, via] of [['birthCertificate', B], ['declaration', B], ['identity', A]] as const) {
      const pdf = await smallPdf(`${paper} ${via.port}`);
      sent.set(`${paper}.pdf`, pdf);
      const form = new FormData();
      form.set('paper', paper);
      form.set('file', new Blob([new Uint8Array(pdf)], { type: 'application/pdf' }), `${paper}.pdf`);
      const up = await fetch(`${via.url}/api/me/drafts/${draftId}/files`, { method: 'POST', headers: headers(), body: form });
      expect(up.status, `upload ${paper}: ${await up.clone().text()}`).toBe(201);
    }
    const submitted = await fetch(`${B.url}/api/me/drafts/${draftId}/submit`, {
      method: 'POST', headers: { ...headers(), 'content-type': 'application/json', 'idempotency-key': 'procs-1' }, body: '{}',
    });
    expect(submitted.status, await submitted.clone().text()).toBe(201);
    const dossier = (await submitted.json()) as { id: string; documents: { name: string; url: string }[] };
    expect(dossier.documents).toHaveLength(3);

    // then every paper reads back, the same bytes, from either process
    for (const doc of dossier.documents) {
      for (const p of [A, B]) {
        const res = await fetch(`${p.url}${doc.url}`, { headers: headers() });
        expect(res.status).toBe(200);
        expect(Buffer.from(await res.arrayBuffer()).equals(sent.get(doc.name)!), `${doc.name} from ${p.port}`).toBe(true);
      }
    }
    // and nothing is left staged in either process's staging folder
    const staged = readdirSync(join(dataDir, 'uploads', '.tmp'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && e.name.endsWith('.part'));
    expect(staged.map((e) => e.name)).toEqual([]);

    // when the citizen signs out through B, A having just read the session
    expect((await fetch(`${A.url}/api/me/dossiers`, { headers: headers() })).status).toBe(200);
    const out = await fetch(`${B.url}/api/citizen/logout`, { method: 'POST', headers: headers() });
    expect(out.status).toBe(204);
    // then A refuses the old cookie at once (well before its 5 s cache of the citizen would expire)
    const t0 = Date.now();
    let status = 200;
    while (Date.now() - t0 < 2000) {
      status = (await fetch(`${A.url}/api/me/dossiers`, { headers: headers() })).status;
      if (status === 401) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(status, 'A still accepted the session 2 s after signing out through B').toBe(401);
  }, 60_000);
});
