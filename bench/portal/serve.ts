/**
 * The server process of the portal benchmark (../portal.bench.ts): its own Node process and
 * its own pool, as a deployed motcua server. It seeds the database, commits the actions the
 * load generator asks for over IPC (as its request handlers would: one transaction each, the
 * change announced on the bus so the outbox loop wakes), and runs the background jobs that
 * deliver to the portal. It reports its own CPU time, so the cost per delivered event can be
 * read apart from the load generator and the simulator.
 */
import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import { count, eq, isNull } from 'drizzle-orm';
import { openDatabase, type Database } from '../../server/src/db/client';
import { defaultConfig } from '../../server/src/config';
import { systemClock } from '../../server/src/clock';
import { Bus } from '../../server/src/bus';
import { Directory } from '../../server/src/directory';
import { within, type Deps } from '../../server/src/deps';
import { outbox, procedureVersions, procedures, units, webhookSubscriptions } from '../../server/src/db/schema';
import { intake, act } from '../../server/src/dossiers/service';
import { startBackgroundJobs, type BackgroundJobs } from '../../server/src/outbox/jobs';
import { createConnection } from '../../server/src/outbox/portal/service';
import type { Actor } from '../../engine/src/delegation/types';

export type ToServer =
  | { type: 'setup'; url: string | null; dossiers: number; portal: { username: string; password: string; endpoints: { tokenUrl: string; syncUrl: string; progressUrl: string; queryUrl: string } }; batchSize: number }
  | { type: 'portal'; on: boolean }
  | { type: 'act'; n: number; id: string }
  | { type: 'cpu' }
  /** Waits until every committed event is fanned out (so none of one phase is delivered in the next). */
  | { type: 'settle' }
  | { type: 'stop' };

export type FromServer =
  | { type: 'ready'; kind: string; ids: string[] }
  | { type: 'done'; what: string }
  | { type: 'acted'; n: number; ok: boolean; key: string | null; at: number; error?: string }
  | { type: 'cpu'; userUs: number; systemUs: number };

const UNIT = '000.01.31.H99';
const desk: Actor = { id: 'u-desk', name: 'Một cửa', kind: 'officer', grants: [{ role: 'desk', unit: UNIT }, { role: 'specialist', unit: UNIT }] };
/** Wall-clock milliseconds comparable across the bench's processes (same host), sub-millisecond. */
const wall = (): number => performance.timeOrigin + performance.now();

let database: Database | null = null;
let deps: Deps | null = null;
let jobs: BackgroundJobs | null = null;
let subscription = '';
let procedureId = '';

const send = (m: FromServer): void => {
  process.send?.(m);
};

async function setup(m: Extract<ToServer, { type: 'setup' }>): Promise<void> {
  database = await openDatabase(m.url ? { url: m.url, poolSize: 20 } : {});
  const config = defaultConfig({ demo: false, webhookAllowHosts: ['127.0.0.1'] });
  deps = { database, db: database.db, clock: systemClock, config, logger: pino({ level: 'silent' }), bus: new Bus(), directory: new Directory(database.db, systemClock) };
  await deps.db.insert(units).values([
    { code: '000.00.00.H99', name: 'UBND tỉnh Demo', kind: 'province', oneStop: true },
    { code: UNIT, name: 'UBND xã An Phú', kind: 'commune', parent: '000.00.00.H99', oneStop: true },
  ]);
  const def = JSON.parse(readFileSync(new URL('../fixtures/server-loop.json', import.meta.url), 'utf8'));
  procedureId = def.id;
  await deps.db.insert(procedures).values({ id: def.id, code: def.catalog.code, name: def.catalog.name.vi, field: def.catalog.field });
  await deps.db.insert(procedureVersions).values({ procedureId: def.id, version: 1, status: 'published', definition: def, effectiveFrom: '2020-01-01T00:00:00.000Z' });
  const conn = await createConnection(deps, { province: '000.00.00.H99', username: m.portal.username, password: m.portal.password, agencyCode: '000.00.00.H99', ...m.portal.endpoints, batchSize: m.batchSize });
  subscription = conn.id;
  const ids: string[] = [];
  for (let i = 0; i < m.dossiers; i++) {
    const d0 = deps;
    ids.push(await d0.db.transaction(async (tx) => {
      const d = within(d0, tx as unknown as Deps['db']);
      const r = await intake(d, tx, desk, { procedureId, channel: 'direct', receivingUnit: UNIT, applicant: { name: `Công dân ${i}` } });
      await act(d, tx, desk, r.row.id, { step: 'intake', action: 'accept' });
      return r.row.id;
    }));
  }
  jobs = startBackgroundJobs(deps, { intervalMs: 100, sweepIntervalMs: 3_600_000, portalIntervalMs: 3_600_000 });
  send({ type: 'ready', kind: m.url ? 'postgresql' : 'pglite', ids });
}

async function commit(m: Extract<ToServer, { type: 'act' }>): Promise<void> {
  const d0 = deps!;
  try {
    const r = await d0.db.transaction((tx) => act(within(d0, tx as unknown as Deps['db']), tx, desk, m.id, { step: 'work', action: 'note', inputs: { text: 'Đã kiểm tra' } }));
    const at = wall();
    for (const n of r.notices) d0.bus.publish(n);
    // The action's one event carries the dossier's new version as its number (the engine's `seq`): the
    // outbox event id the portal de-duplicates on. (The earlier bench took version + 1, the next action's
    // event, and so measured commit → acknowledgement of the following action.)
    send({ type: 'acted', n: m.n, ok: true, key: `${m.id}#${r.row.version}`, at });
  } catch (e) {
    send({ type: 'acted', n: m.n, ok: false, key: null, at: wall(), error: (e as Error).message.slice(0, 200) });
  }
}

process.on('message', (m: ToServer) => {
  switch (m.type) {
    case 'setup':
      void setup(m);
      break;
    case 'portal':
      void deps!.db.update(webhookSubscriptions).set({ active: m.on }).where(eq(webhookSubscriptions.id, subscription))
        .then(() => send({ type: 'done', what: 'portal' }));
      break;
    case 'act':
      void commit(m);
      break;
    case 'settle':
      void (async () => {
        for (;;) {
          const [r] = await deps!.db.select({ n: count() }).from(outbox).where(isNull(outbox.fannedOutAt));
          if (!r || r.n === 0) break;
          await new Promise((ok) => setTimeout(ok, 100));
        }
        send({ type: 'done', what: 'settle' });
      })();
      break;
    case 'cpu': {
      const u = process.cpuUsage();
      send({ type: 'cpu', userUs: u.user, systemUs: u.system });
      break;
    }
    case 'stop':
      void (async () => {
        await jobs?.stop();
        await database?.close();
        send({ type: 'done', what: 'stop' });
        process.exit(0);
      })();
      break;
  }
});
