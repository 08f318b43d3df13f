/**
 * The server of the online-submission benchmark, in its own process so the load generator
 * does not share its event loop: a fresh PostgreSQL database, the demo province's units,
 * birth registration (procedures/dang-ky-khai-sinh, offered fully online) published, uploads
 * in a fresh folder, and the demo OpenID Connect provider (server/src/citizens/devProvider.ts)
 * with `ONLINE_CITIZENS` citizens the bench signs in through it. Prints one JSON line
 * `{ port, issuer, clientId, clientSecret, databaseUrl, uploads, publicUrl, unit, citizens }` when ready.
 *
 * More processes behind the bench's round-robin (`ONLINE_PROCESSES`, as production runs
 * stateless processes behind a load balancer): each other one is started with `ONLINE_JOIN`,
 * the first one's ready line, and serves the same database, uploads folder, provider and
 * public URL without creating or seeding anything; it prints `{ port }`. Every process signs
 * tokens with `ONLINE_TOKEN_SECRET` when given (the bench passes one value to all).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { createDatabase } from '../../tests/faults/support/process';
import { openDatabase } from '../../server/src/db/client';
import { defaultConfig } from '../../server/src/config';
import { systemClock } from '../../server/src/clock';
import { Bus } from '../../server/src/bus';
import { Directory } from '../../server/src/directory';
import { createApp, httpServer } from '../../server/src/app';
import type { Deps } from '../../server/src/deps';
import { procedureVersions, procedures, units } from '../../server/src/db/schema';
import { startDevProvider, type DevProvider } from '../../server/src/citizens/devProvider';

const base = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const dbName = process.env['BENCH_DB'] ?? 'motcua_bench_online';
const citizens = Number(process.env['ONLINE_CITIZENS'] ?? 50);
const UNIT = '000.01.31.H99';

interface Primary { databaseUrl: string; uploads: string; publicUrl: string; issuer: string; clientId: string; clientSecret: string }
const primary = process.env['ONLINE_JOIN'] ? (JSON.parse(process.env['ONLINE_JOIN']) as Primary) : null;
const tokenSecret = process.env['ONLINE_TOKEN_SECRET'];

const url = primary?.databaseUrl ?? await createDatabase(base, dbName);

const uploads = primary?.uploads ?? mkdtempSync(join(tmpdir(), 'motcua-bench-online-'));
const database = await openDatabase({ url, poolSize: 20 });
// Every citizen submits many times in a run: the per-citizen limit (a guard against abuse) is not what is measured.
const config = defaultConfig({
  demo: false, uploadDir: uploads, submitLimit: 1_000_000, publicUrl: 'http://127.0.0.1', ...(tokenSecret ? { tokenSecret } : {}),
});
const deps: Deps = {
  database, db: database.db, clock: systemClock, config, logger: pino({ level: 'silent' }),
  bus: new Bus(), directory: new Directory(database.db, systemClock),
};
const oidc = (p: { issuer: string; clientId: string; clientSecret: string }) => ({
  issuer: p.issuer, clientId: p.clientId, clientSecret: p.clientSecret, personalIdClaim: 'personal_id', scope: 'profile email phone vneid', allowHttp: true,
});

let provider: DevProvider | null = null;
const server = httpServer(createApp(deps).app);
if (primary) {
  // Another process behind the balancer: the first one's public URL (the callback the provider knows) and provider.
  config.publicUrl = primary.publicUrl;
  config.oidc = oidc(primary);
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  const address = server.address();
  console.log(JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 }));
} else {
  await deps.db.insert(units).values([
    { code: '000.00.00.H99', name: 'UBND tỉnh Demo', kind: 'province', collectiveName: 'ỦY BAN NHÂN DÂN', headTitle: 'CHỦ TỊCH', oneStop: true },
    { code: UNIT, name: 'UBND xã An Phú', kind: 'commune', parent: '000.00.00.H99', collectiveName: 'ỦY BAN NHÂN DÂN', headTitle: 'CHỦ TỊCH', oneStop: true },
  ]);
  const def = JSON.parse(readFileSync(new URL('../../procedures/dang-ky-khai-sinh/procedure.json', import.meta.url), 'utf8'));
  await deps.db.insert(procedures).values({ id: def.id, code: def.catalog.code, name: def.catalog.name.vi, field: def.catalog.field });
  await deps.db.insert(procedureVersions).values({ procedureId: def.id, version: def.version, status: 'published', definition: def, effectiveFrom: '2020-01-01T00:00:00.000Z', publishedAt: '2020-01-01T00:00:00.000Z', publishedBy: 'bench' });

  const people = Array.from({ length: citizens }, (_, i) => ({
    personalId: `0011990${String(10000 + i).padStart(5, '0')}`, name: `Công dân ${i}`, email: `cd${i}@congdan.demo`, phone: `09010${String(i).padStart(5, '0')}`, password: 'congdan@123', label: 'Công dân',
  }));

  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  config.publicUrl = `http://127.0.0.1:${port}`;
  provider = await startDevProvider({ port: 0, redirectUris: [`${config.publicUrl}/api/oidc/callback`], people });
  config.oidc = oidc(provider);
  console.log(JSON.stringify({
    port, issuer: provider.issuer, clientId: provider.clientId, clientSecret: provider.clientSecret, databaseUrl: url, uploads, publicUrl: config.publicUrl,
    unit: UNIT, citizens: people.map((p) => ({ personalId: p.personalId, password: p.password })),
  }));
}

process.on('SIGTERM', () => {
  server.close();
  // The first process owns the provider and the uploads folder (the bench stops it last).
  void (provider?.close() ?? Promise.resolve()).then(() => database.close()).then(() => {
    if (!primary) rmSync(uploads, { recursive: true, force: true });
    process.exit(0);
  });
});
