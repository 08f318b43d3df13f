/**
 * The peak-hour server, in its own process (forked by `peak.bench.ts`, IPC channel): a fresh
 * PostgreSQL database, the demo province's units and officers (leaders with signing
 * certificates), every procedure of `procedures/` published, a webhook subscription to the
 * bench's receiver, and the whole server as `npm start` runs it — API, live updates, outbox
 * delivery, sweeper.
 *
 * Messages from the bench: `capture-start` / `capture-stop` (the SQL statements sent in
 * between, background jobs paused), `commits` (when each dossier change was announced after
 * its commit: `dossierId@version` → epoch ms). Prints nothing; answers `ready` with its port.
 */
import { mkdtempSync, rmSync } from 'node:fs';
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
import { webhookSubscriptions } from '../../server/src/db/schema';
import { attachRealtime } from '../../server/src/realtime/index';
import { startBackgroundJobs, type BackgroundJobs } from '../../server/src/outbox/jobs';
import { importProcedureDirectory } from '../../server/src/catalog/transfer';
import { demoPeople, demoUnits, insertPeople, PROCEDURES_DIR } from '../../server/src/demo/people';
import { ensureDemoPki } from '../../server/src/esign/service';
import { sqlCapture } from '../lib/capture';

export type ToServer = { type: 'capture-start' } | { type: 'capture-stop' } | { type: 'commits' };
export type FromServer =
  | { type: 'ready'; port: number; database: string }
  | { type: 'captured'; statements: ReturnType<ReturnType<typeof sqlCapture>['stop']> }
  | { type: 'commits'; commits: [string, number][] };

const send = (m: FromServer): void => { process.send?.(m); };

const base = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dbName = process.env['BENCH_DB'] ?? 'motcua_bench_peak';
const webhookUrl = process.env['BENCH_WEBHOOK_URL'] ?? '';
const poolSize = Number(process.env['BENCH_POOL'] ?? 20);

const url = await createDatabase(base, dbName);

const uploads = mkdtempSync(join(tmpdir(), 'motcua-bench-uploads-'));
const database = await openDatabase({ url, poolSize });
// The bench's webhook receiver listens on 127.0.0.1, which the delivery guard refuses unless
// the operator allows it (as an internal portal would be allowed).
const config = defaultConfig({ demo: false, loginRateLimit: 1_000_000, uploadDir: uploads, webhookAllowHosts: ['127.0.0.1'] });
const deps: Deps = {
  database, db: database.db, clock: systemClock, config, logger: pino({ level: 'silent' }),
  bus: new Bus(), directory: new Directory(database.db, systemClock),
};
const units = demoUnits();
await insertPeople(deps.db, units, demoPeople(units));
await importProcedureDirectory(deps, PROCEDURES_DIR, 'u-thietke', new Date('2020-01-01T00:00:00Z'));
// The leaders' signing certificates and the units' seals, as the demo has them: an approval that
// signs the result (signResult) is refused with 422 CERTIFICATE_MISSING without them.
await ensureDemoPki(deps);
if (webhookUrl) {
  // Straight into the table: the bench's receiver listens on 127.0.0.1, which an
  // administrator's form may rightly refuse.
  await deps.db.insert(webhookSubscriptions).values({ id: 'whk-bench', url: webhookUrl, secret: 'whsec_bench', topics: ['dossier.progress'], active: true });
}

// Subscribed before the realtime relay, so the stamp is taken before any socket is written.
const commits = new Map<string, number>();
deps.bus.subscribe((m) => {
  if (m.type === 'dossier.changed') commits.set(`${m.dossierId}@${m.version}`, Date.now());
});

const { app } = createApp(deps);
const server = httpServer(app);
const realtime = await attachRealtime(server, deps);
let jobs: BackgroundJobs = startBackgroundJobs(deps);
const capture = sqlCapture();

process.on('message', (m: ToServer) => {
  void (async () => {
    if (m.type === 'capture-start') {
      // Only the request's statements: the outbox and the sweeper wait meanwhile.
      await jobs.stop();
      capture.start();
      send({ type: 'captured', statements: [] });
    } else if (m.type === 'capture-stop') {
      const statements = capture.stop();
      jobs = startBackgroundJobs(deps);
      send({ type: 'captured', statements });
    } else if (m.type === 'commits') {
      send({ type: 'commits', commits: [...commits] });
    }
  })();
});

const stop = async (): Promise<void> => {
  await jobs.stop();
  await realtime.close();
  server.closeAllConnections();
  server.close();
  await database.close();
  rmSync(uploads, { recursive: true, force: true });
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('disconnect', () => void stop());

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  send({ type: 'ready', port: typeof address === 'object' && address ? address.port : 0, database: url });
});
