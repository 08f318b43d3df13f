/**
 * The audit log: every change of who may do what (delegations, roles, the catalog and who
 * owns it), written in the same transaction as the change, never updated or deleted (a
 * database trigger refuses it). Administrators read the entries of their own subtree.
 */
import Type, { type Static } from 'typebox';
import type { AuthUser } from '../auth/middleware';
import type { Deps } from '../deps';
import { adminScope } from './common';
import { auditEntries } from './repo';

export { audit, type AuditAction, type AuditEntry } from '../db/auditLog';

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
