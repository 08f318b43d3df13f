/**
 * The audit log's writer: every change of who may do what (delegations, roles, the catalog
 * and who owns it) appends an entry in the same transaction as the change; a database
 * trigger refuses updates and deletes. A layer below the features, since each of them
 * records its own changes; administrators read the log through admin/audit.ts.
 */
import type { AuthUser } from '../auth/middleware';
import type { Db, Tx } from './client';
import { auditLog } from './schema';

export type AuditAction =
  | 'delegation.created' | 'delegation.revoked'
  | 'user.created' | 'user.updated' | 'user.password'
  | 'catalog.created' | 'catalog.saved' | 'catalog.published' | 'catalog.retired' | 'catalog.imported' | 'catalog.migrated'
  | 'settings.changed';

export interface AuditEntry {
  actor: Pick<AuthUser, 'id' | 'name'>;
  action: AuditAction;
  /** What changed, e.g. a delegation id, `user:<id>`, `procedure:<id>@<version>`. */
  subject: string;
  /** Units the change concerns (whose administrators read it). */
  units: string[];
  details: { [key: string]: unknown };
}

/** Appends one entry (inside the caller's transaction when given one). */
export async function audit(db: Db | Tx, at: Date, entry: AuditEntry): Promise<void> {
  await (db as Db).insert(auditLog).values({
    at: at.toISOString(), actorId: entry.actor.id, actorName: entry.actor.name, action: entry.action,
    subject: entry.subject, units: [...new Set(entry.units)], details: entry.details,
  });
}
