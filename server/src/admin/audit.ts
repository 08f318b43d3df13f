/**
 * The audit log: every change of who may do what (delegations, roles, the catalog and who
 * owns it), written in the same transaction as the change, never updated or deleted (a
 * database trigger refuses it). Administrators read the entries of their own subtree.
 */
import Type, { type Static } from 'typebox';
import type { AuthUser } from '../auth/middleware';
import type { Db, Tx } from '../db/client';
import type { Deps } from '../deps';
import { adminScope } from './common';
import { auditEntries, insertAudit } from './repo';

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
  await insertAudit(db, {
    at: at.toISOString(), actorId: entry.actor.id, actorName: entry.actor.name, action: entry.action,
    subject: entry.subject, units: [...new Set(entry.units)], details: entry.details,
  });
}

export const AuditQuery = Type.Object({
  subject: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Only the entries about this subject' })),
  action: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
  before: Type.Optional(Type.Integer({ minimum: 1, description: 'Entries older than this id (paging)' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
});

export const AuditSchema = Type.Object({
  id: Type.Integer(), at: Type.String({ format: 'date-time' }),
  actor: Type.Object({ id: Type.String(), name: Type.String() }),
  action: Type.String(), subject: Type.String(), units: Type.Array(Type.String()), details: Type.Unknown(),
});

/** Entries concerning the administrator's units, newest first. */
export async function listAudit(deps: Deps, user: AuthUser, query: Static<typeof AuditQuery>) {
  const scope = [...(await adminScope(deps, user))];
  if (scope.length === 0) return { items: [] };
  const rows = await auditEntries(deps, scope, {
    ...(query.subject !== undefined ? { subject: query.subject } : {}),
    ...(query.action !== undefined ? { action: query.action } : {}),
    ...(query.before !== undefined ? { before: query.before } : {}),
    limit: query.limit ?? 100,
  });
  return {
    items: rows.map((r) => ({
      id: r.id, at: new Date(r.at).toISOString(), actor: { id: r.actorId, name: r.actorName },
      action: r.action, subject: r.subject, units: r.units, details: r.details,
    })),
  };
}
