/** The demo's statements: its units and people, and what the seeder reads back. */
import { eq, sql } from 'drizzle-orm';
import type { Grant, ProcedureDefinition } from '@motcua/engine';
import type { Db } from '../db/client';
import { calendars, dossiers, grants, procedureVersions, units, users } from '../db/schema';
import type { Deps } from '../deps';
import type { DemoUnit } from './people';

/** Inserts units, people (hashed already) with their grants, and the province's default calendar; what exists stays. */
export async function insertDemoPeople(
  db: Db, list: DemoUnit[], people: { id: string; username: string; name: string; passwordHash: string; grants: Grant[] }[], calendar: unknown,
): Promise<void> {
  await db.insert(units).values(list.map((u) => ({
    code: u.code, name: u.name, kind: u.kind, parent: u.parent ?? null, collectiveName: u.collectiveName ?? null, headTitle: u.headTitle ?? null, oneStop: u.oneStop ?? false, oneStopName: u.oneStopName ?? null,
    province: u.province ?? null,
  }))).onConflictDoNothing();
  await db.insert(users).values(people.map((p) => ({ id: p.id, username: p.username, name: p.name, passwordHash: p.passwordHash }))).onConflictDoNothing();
  await db.insert(grants).values(people.flatMap((p) => p.grants.map((g) => ({
    userId: p.id, role: g.role, unit: g.unit, position: g.position ?? null, title: g.title ?? null,
  })))).onConflictDoNothing();
  await db.insert(calendars).values({ scope: '*', config: calendar }).onConflictDoNothing();
}

/** Whether the database has no units yet (a fresh install). */
export async function isEmptyDatabase(deps: Deps): Promise<boolean> {
  return (await deps.db.select({ code: units.code }).from(units).limit(1)).length === 0;
}

/** Every published definition. */
export async function publishedDefinitions(deps: Deps): Promise<ProcedureDefinition[]> {
  const rows = await deps.db.select({ definition: procedureVersions.definition }).from(procedureVersions).where(eq(procedureVersions.status, 'published'));
  return rows.map((r) => r.definition as ProcedureDefinition);
}

/** Dossiers by status and outcome. */
export function dossierCounts(deps: Deps): Promise<{ status: string; outcome: string | null; n: number }[]> {
  return deps.db.select({ status: dossiers.status, outcome: dossiers.outcome, n: sql<number>`count(*)::int` })
    .from(dossiers).groupBy(dossiers.status, dossiers.outcome);
}
