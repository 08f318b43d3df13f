/**
 * Demo data for a fresh database: the units of the demo province, a user for every role,
 * the `procedures/` catalog published, the default calendar, and a few hundred dossiers
 * over the last quarter driven through the real service so that they end in every state.
 * Deterministic: the same seed gives the same data on every fresh start.
 */
import { localInstant, type Actor, type ProcedureDefinition } from '@motcua/engine';
import { ManualClock } from '../clock';
import { Directory } from '../directory';
import type { Deps } from '../deps';
import { ensureDemoPki } from '../esign/service';
import type { Tx } from '../db/client';
import { dossierCounts, isEmptyDatabase, publishedDefinitions } from './repo';
import { importProcedureDirectory } from '../catalog/index';
import { actorOfPerson, demoPeople, demoUnits, insertPeople, placeName, PROCEDURES_DIR, type DemoPerson } from './people';
import { loadScenarioBanks } from './inputs';
import { planDossiers } from './plan';
import { isNonGeographic, nonGeographicList } from '../catalog/service';
import { driveDossier, type DriveContext } from './drive';
import { Rng } from './random';

export interface SeedOptions {
  /** The end of the demo period (usually the current time). */
  now: Date;
  /** Dossiers received in the period (linked dossiers spawned by hand-offs come on top); default 300. */
  dossiers?: number;
  /** Days before `now` the demo period starts (a quarter by default). */
  days?: number;
  seed?: number;
}

export interface SeedSummary {
  units: number;
  people: DemoPerson[];
  procedures: number;
  dossiers: number;
  linked: number;
  failed: number;
  /** Dossiers by `status` or `status/outcome`. */
  byStatus: { [key: string]: number };
  ms: number;
}

const DAY = 86_400_000;
/** Dossiers written per transaction (each in its own savepoint). */
const BATCH = 10;

export { isEmptyDatabase };

/** Seeds the demo province; run once on an empty database. */
export async function seedDemo(deps: Deps, options: SeedOptions): Promise<SeedSummary> {
  const started = performance.now();
  const now = options.now.getTime();
  const count = options.dossiers ?? 300;
  const clock = new ManualClock(options.now);
  // The seed moves its clock back and forth through the quarter; the directory's caches
  // are timed on a clock that stays put, so they are not reloaded at every step.
  const still = { now: () => new Date(now) };
  const sd: Deps = { ...deps, clock, directory: new Directory(deps.db, still) };
  const log = deps.logger.child({ module: 'demo' });

  const units = demoUnits();
  const people = demoPeople(units);
  await insertPeople(deps.db, units, people);
  const calendar = await sd.directory.calendar();
  const firstDay = calendar.localDate(now - (options.days ?? 91) * DAY);
  const periodStart = Date.parse(localInstant(firstDay));
  const admin = people.find((p) => p.grants.some((g) => g.role === 'admin'));
  await importProcedureDirectory(sd, PROCEDURES_DIR, admin?.id ?? 'demo', new Date(periodStart));
  // The demo's local CA, a seal per unit and a certificate per leader, before any result is signed.
  await ensureDemoPki(deps, new Date(periodStart - DAY));
  const procedures = (await publishedDefinitions(deps)).sort((a, b) => a.id.localeCompare(b.id));
  log.info({ units: units.length, users: people.length, procedures: procedures.length }, 'demo: units, users and catalog ready');

  // Officers by role and unit, heads first: the driver lets deputies sign most dossiers.
  const officers = new Map<string, Actor[]>();
  const isHead = (p: DemoPerson) => p.grants.some((g) => g.position === 'head');
  for (const p of [...people].sort((a, b) => Number(isHead(b)) - Number(isHead(a)))) {
    for (const g of p.grants) officers.set(`${g.role}@${g.unit}`, [...(officers.get(`${g.role}@${g.unit}`) ?? []), actorOfPerson(p)]);
  }
  const rng = new Rng(options.seed ?? 20_250_701);
  const banks = loadScenarioBanks();
  // The province's non-geographic list decides which dossiers may be received away from home and never refused for it.
  const list = await nonGeographicList(sd);
  const ctx: DriveContext = {
    deps: sd, clock, now, rng, calendar, officers, banks,
    places: new Map(units.map((u) => [u.code, placeName(u.name)])),
    nonGeographic: (proc) => isNonGeographic(list, proc.definition.catalog.code, proc.definition.catalog.nonGeographic),
  };
  const nonGeographic = (def: ProcedureDefinition) => isNonGeographic(list, def.catalog.code, def.catalog.nonGeographic);
  const plans = planDossiers({ rng, calendar, now, periodStart, units, procedures, banks, nonGeographic }, count);

  let made = 0;
  let linked = 0;
  let failed = 0;
  for (let i = 0; i < plans.length; i += BATCH) {
    await deps.db.transaction(async (tx) => {
      for (const plan of plans.slice(i, i + BATCH)) {
        try {
          // A savepoint per dossier: one that cannot be driven is rolled back alone.
          const r = await tx.transaction(async (sp) => driveDossier(ctx, sp as Tx, plan));
          made++;
          linked += r.linked;
        } catch (e) {
          failed++;
          log.warn({ err: e, procedure: plan.procedureId, fate: plan.fate }, 'demo: a dossier could not be seeded');
        }
      }
    });
    if ((i / BATCH) % 10 === 9) log.info({ done: made, of: plans.length }, 'demo: seeding dossiers');
  }
  deps.directory.invalidateUnits();

  const rows = await dossierCounts(deps);
  const byStatus: { [key: string]: number } = {};
  for (const r of rows) byStatus[r.outcome ? `${r.status}/${r.outcome}` : r.status] = r.n;
  const ms = Math.round(performance.now() - started);
  log.info({ dossiers: made, linked, failed, byStatus, ms }, 'demo: dossiers seeded');
  return { units: units.length, people, procedures: procedures.length, dossiers: made, linked, failed, byStatus, ms };
}
