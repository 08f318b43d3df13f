/**
 * The server under load, in its own process so the load generator does not share its
 * event loop: a fresh PostgreSQL database, one commune, a specialist, N accepted dossiers
 * of a procedure whose "note" action can be taken again and again. Prints one JSON line
 * `{ port, token, ids }` when ready.
 */
import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import { createDatabase } from '../../tests/faults/support/process';
import { openDatabase } from '../../server/src/db/client';
import { defaultConfig } from '../../server/src/config';
import { systemClock } from '../../server/src/clock';
import { Bus } from '../../server/src/bus';
import { Directory } from '../../server/src/directory';
import { createApp, httpServer } from '../../server/src/app';
import { within, type Deps } from '../../server/src/deps';
import { grants, procedureVersions, procedures, units, users } from '../../server/src/db/schema';
import { hashPassword } from '../../server/src/auth/passwords';
import { signToken } from '../../server/src/auth/tokens';
import { intake, act } from '../../server/src/dossiers/service';
import { sqlCapture } from '../lib/capture';
import type { Actor } from '../../engine/src/delegation/types';

const base = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const count = Number(process.env['BENCH_DOSSIERS'] ?? 2000);
const dbName = process.env['BENCH_DB'] ?? 'motcua_bench_server';

const url = await createDatabase(base, dbName);

const database = await openDatabase({ url, poolSize: 20 });
const config = defaultConfig({ demo: false });
const deps: Deps = {
  database, db: database.db, clock: systemClock, config, logger: pino({ level: 'silent' }),
  bus: new Bus(), directory: new Directory(database.db, systemClock),
};
const UNIT = '000.01.31.H99';
await deps.db.insert(units).values({ code: UNIT, name: 'UBND xã An Phú', kind: 'commune' });
await deps.db.insert(users).values([
  { id: 'u-desk', username: 'desk', name: 'Một cửa', passwordHash: await hashPassword('desk-pass') },
  { id: 'u-spec', username: 'spec', name: 'Chuyên viên', passwordHash: await hashPassword('spec-pass') },
]);
await deps.db.insert(grants).values([{ userId: 'u-desk', role: 'desk', unit: UNIT }, { userId: 'u-spec', role: 'specialist', unit: UNIT }]);
const def = JSON.parse(readFileSync(new URL('../fixtures/server-loop.json', import.meta.url), 'utf8'));
await deps.db.insert(procedures).values({ id: def.id, code: def.catalog.code, name: def.catalog.name.vi, field: def.catalog.field });
await deps.db.insert(procedureVersions).values({ procedureId: def.id, version: 1, status: 'published', definition: def, effectiveFrom: '2020-01-01T00:00:00.000Z' });

const desk: Actor = { id: 'u-desk', name: 'Một cửa', kind: 'officer', grants: [{ role: 'desk', unit: UNIT }] };
const ids: string[] = [];
for (let i = 0; i < count; i++) {
  const id = await deps.db.transaction(async (tx) => {
    const d = within(deps, tx as unknown as Deps['db']);
    const r = await intake(d, tx, desk, { procedureId: def.id, channel: 'direct', receivingUnit: UNIT, applicant: { name: `Công dân ${i}` } });
    await act(d, tx, desk, r.row.id, { step: 'intake', action: 'accept' });
    return r.row.id;
  });
  ids.push(id);
}
const token = await signToken('u-spec', config.tokenSecret, 3600, new Date());
const server = httpServer(createApp(deps).app);
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  console.log(JSON.stringify({ port, token, ids, database: url }));
});
// The bench asks (IPC) for the statements the server sends while it takes one action.
const capture = sqlCapture();
process.on('message', (m: { type: string }) => {
  if (m.type === 'capture-start') {
    capture.start();
    process.send?.({ type: 'captured', statements: [] });
  } else if (m.type === 'capture-stop') {
    process.send?.({ type: 'captured', statements: capture.stop() });
  }
});
process.on('SIGTERM', () => {
  server.close();
  void database.close().then(() => process.exit(0));
});
