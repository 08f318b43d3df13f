/**
 * National portal sync: commit → acknowledged by the portal simulator, at a steady 500
 * actions per second. In one process: a fresh PostgreSQL database (PGlite when none
 * answers), the outbox's background jobs with the portal adapter, and the simulator over
 * real HTTP on 127.0.0.1. Each action's commit time is taken when its transaction returns;
 * its acknowledgement when the simulator answers the progress entry of its event. Figures:
 * latency percentiles, the rate achieved, and anything not acknowledged within 30 s.
 */
import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import pg from 'pg';
import { openDatabase, type Database } from '../server/src/db/client';
import { defaultConfig } from '../server/src/config';
import { systemClock } from '../server/src/clock';
import { Bus } from '../server/src/bus';
import { Directory } from '../server/src/directory';
import { within, type Deps } from '../server/src/deps';
import { procedureVersions, procedures, units } from '../server/src/db/schema';
import { intake, act } from '../server/src/dossiers/service';
import { startBackgroundJobs } from '../server/src/outbox/jobs';
import { createConnection } from '../server/src/outbox/portal/service';
import { PortalSimulator } from '../server/src/outbox/portal/simulator';
import type { Actor } from '../engine/src/delegation/types';
import { machine } from './lib/machine';
import type { Bench } from './lib/types';

const BAR = { rate: 500, maxP99Ms: 1000 };
const SECONDS = Number(process.env['PORTAL_BENCH_SECONDS'] ?? 20);
const DOSSIERS = Number(process.env['PORTAL_BENCH_DOSSIERS'] ?? 400);
const UNIT = '000.01.31.H99';

async function open(): Promise<{ database: Database; kind: string }> {
  const base = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
  const name = process.env['BENCH_DB'] ?? 'motcua_bench_portal';
  try {
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.query(`create database "${name}"`);
    await admin.end();
    const url = new URL(base);
    url.pathname = `/${name}`;
    return { database: await openDatabase({ url: url.toString(), poolSize: 20 }), kind: 'postgresql' };
  } catch {
    return { database: await openDatabase({}), kind: 'pglite' };
  }
}

const pct = (xs: number[], p: number): number => {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! * 10) / 10;
};

const bench: Bench = {
  title: `portal sync: commit → acknowledged by the simulator at ${BAR.rate} actions/s for ${SECONDS} s`,
  async run(log) {
    const { database, kind } = await open();
    const config = defaultConfig({ demo: false, webhookAllowHosts: ['127.0.0.1'] });
    const deps: Deps = {
      database, db: database.db, clock: systemClock, config, logger: pino({ level: 'silent' }), bus: new Bus(), directory: new Directory(database.db, systemClock),
    };
    await deps.db.insert(units).values([
      { code: '000.00.00.H99', name: 'UBND tỉnh Demo', kind: 'province', oneStop: true },
      { code: UNIT, name: 'UBND xã An Phú', kind: 'commune', parent: '000.00.00.H99', oneStop: true },
    ]);
    const def = JSON.parse(readFileSync(new URL('./fixtures/server-loop.json', import.meta.url), 'utf8'));
    await deps.db.insert(procedures).values({ id: def.id, code: def.catalog.code, name: def.catalog.name.vi, field: def.catalog.field });
    await deps.db.insert(procedureVersions).values({ procedureId: def.id, version: 1, status: 'published', definition: def, effectiveFrom: '2020-01-01T00:00:00.000Z' });
    const desk: Actor = { id: 'u-desk', name: 'Một cửa', kind: 'officer', grants: [{ role: 'desk', unit: UNIT }, { role: 'specialist', unit: UNIT }] };
    const sim = new PortalSimulator();
    await sim.start();
    await createConnection(deps, { province: '000.00.00.H99', username: sim.username, password: sim.password, agencyCode: '000.00.00.H99', ...sim.endpoints(), batchSize: 100 });
    log(`  ${kind}; receiving ${DOSSIERS} dossiers…`);
    const ids: string[] = [];
    for (let i = 0; i < DOSSIERS; i++) {
      ids.push(await deps.db.transaction(async (tx) => {
        const d = within(deps, tx as unknown as Deps['db']);
        const r = await intake(d, tx, desk, { procedureId: def.id, channel: 'direct', receivingUnit: UNIT, applicant: { name: `Công dân ${i}` } });
        await act(d, tx, desk, r.row.id, { step: 'intake', action: 'accept' });
        return r.row.id;
      }));
    }
    const jobs = startBackgroundJobs(deps, { intervalMs: 100, sweepIntervalMs: 3_600_000 });
    // The setup's own events reach the portal first.
    for (let t = 0; t < 600 && sim.counted.size < DOSSIERS * 2; t++) await new Promise((ok) => setTimeout(ok, 100));
    log(`  setup synced (${sim.counted.size} events); load for ${SECONDS} s…`);

    const committed = new Map<string, number>();
    const busy = new Set<string>();
    let errors = 0;
    let next = 0;
    const one = async (): Promise<void> => {
      let id: string | undefined;
      for (let k = 0; k < ids.length; k++) {
        const c = ids[next++ % ids.length]!;
        if (!busy.has(c)) {
          id = c;
          break;
        }
      }
      if (!id) {
        errors++;
        return;
      }
      busy.add(id);
      try {
        const r = await deps.db.transaction((tx) => act(within(deps, tx as unknown as Deps['db']), tx, desk, id, { step: 'work', action: 'note', inputs: { text: 'Đã kiểm tra' } }));
        committed.set(`${id}#${r.row.version + 1}`, performance.now());
        for (const n of r.notices) deps.bus.publish(n);
      } catch {
        errors++;
      } finally {
        busy.delete(id);
      }
    };
    const started = performance.now();
    const inflight: Promise<void>[] = [];
    const tickMs = 20;
    const perTick = (BAR.rate * tickMs) / 1000;
    for (let tick = 0; performance.now() - started < SECONDS * 1000; tick++) {
      const due = started + tick * tickMs;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((ok) => setTimeout(ok, wait));
      for (let i = 0; i < perTick; i++) inflight.push(one());
    }
    await Promise.all(inflight);
    const loadSeconds = (performance.now() - started) / 1000;
    for (let t = 0; t < 300 && [...committed.keys()].some((e) => !sim.ackedAt.has(e)); t++) await new Promise((ok) => setTimeout(ok, 100));
    await jobs.stop();
    await sim.stop();
    const lat: number[] = [];
    let unacked = 0;
    for (const [e, t] of committed) {
      const a = sim.ackedAt.get(e);
      if (a === undefined) unacked++;
      else lat.push(Math.max(0, a - t));
    }
    await database.close();
    const result = {
      machine: machine(), database: kind, seconds: Math.round(loadSeconds * 10) / 10, targetRate: BAR.rate,
      achievedRate: Math.round(committed.size / loadSeconds), actions: committed.size, errors, unacked,
      duplicatesAtPortal: sim.duplicates, outOfOrder: sim.outOfOrder.length,
      ackMs: { p50: pct(lat, 50), p95: pct(lat, 95), p99: pct(lat, 99), max: pct(lat, 100) },
      requests: Object.fromEntries(sim.calls),
    };
    const pass = result.ackMs.p99 <= BAR.maxP99Ms && unacked === 0 && result.achievedRate >= BAR.rate * 0.9;
    return {
      result, pass,
      summary: [
        `  ${result.actions} actions at ${result.achievedRate}/s (target ${BAR.rate}), ${errors} errors, ${unacked} not acknowledged`,
        `  commit → acknowledged: p50 ${result.ackMs.p50} ms, p95 ${result.ackMs.p95} ms, p99 ${result.ackMs.p99} ms (bar ${BAR.maxP99Ms}), max ${result.ackMs.max} ms`,
      ],
    };
  },
};

export default bench;
