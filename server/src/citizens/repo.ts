/** Statements of the citizens feature: citizens as the SSO last described them, officers' SSO links. */
import { eq, sql } from 'drizzle-orm';
import { citizens, officerIdentities } from '../db/schema';
import type { Deps } from '../deps';

export type CitizenRow = typeof citizens.$inferSelect;

/** Records a sign-in: the provider's claims replace what was known; the token version stays. */
export async function upsertCitizen(deps: Deps, c: { personalId: string; name: string; email: string | null; phone: string | null }, at: string): Promise<CitizenRow> {
  const [row] = await deps.db.insert(citizens).values({ ...c, lastSignInAt: at })
    .onConflictDoUpdate({ target: citizens.personalId, set: { name: c.name, email: c.email, phone: c.phone, lastSignInAt: at } })
    .returning();
  return row!;
}

export async function citizenById(deps: Deps, personalId: string): Promise<CitizenRow | null> {
  const [row] = await deps.db.select().from(citizens).where(eq(citizens.personalId, personalId));
  return row ?? null;
}

export async function bumpCitizenVersion(deps: Deps, personalId: string): Promise<void> {
  await deps.db.update(citizens).set({ tokenVersion: sql`${citizens.tokenVersion} + 1` }).where(eq(citizens.personalId, personalId));
}

/** The officer account linked to a personal ID number, or null. */
export async function officerOfPersonalId(deps: Deps, personalId: string): Promise<string | null> {
  const [row] = await deps.db.select({ userId: officerIdentities.userId }).from(officerIdentities).where(eq(officerIdentities.personalId, personalId));
  return row?.userId ?? null;
}

/** Links (or re-links) an officer account to a personal ID number; one ID per account and one account per ID. */
export async function linkOfficer(deps: Deps, userId: string, personalId: string, by: string): Promise<void> {
  await deps.db.transaction(async (tx) => {
    await tx.delete(officerIdentities).where(eq(officerIdentities.userId, userId));
    await tx.insert(officerIdentities).values({ userId, personalId, linkedBy: by })
      .onConflictDoUpdate({ target: officerIdentities.personalId, set: { userId, linkedBy: by, linkedAt: sql`now()` } });
  });
}

export async function unlinkOfficer(deps: Deps, userId: string): Promise<void> {
  await deps.db.delete(officerIdentities).where(eq(officerIdentities.userId, userId));
}

export async function personalIdOfOfficer(deps: Deps, userId: string): Promise<string | null> {
  const [row] = await deps.db.select({ personalId: officerIdentities.personalId }).from(officerIdentities).where(eq(officerIdentities.userId, userId));
  return row?.personalId ?? null;
}
