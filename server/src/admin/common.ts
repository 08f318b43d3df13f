/**
 * Shared pieces of the admin module: the administrator's scope (their units and every unit
 * below), errors with Vietnamese and English messages, and row conversions.
 */
import type { Grant, Position } from '@motcua/engine';
import type { AuthUser } from '../auth/middleware';
import type { Deps } from '../deps';
import { HttpError, forbidden, type Issue } from '../http/errors';
import type { GrantRow } from './repo';

export type { GrantRow };

/** Units an administrator manages: the units of their admin grants and every unit below them. */
export async function adminScope(deps: Deps, user: AuthUser): Promise<Set<string>> {
  const out = new Set<string>();
  for (const g of user.grants) {
    if (g.role !== 'admin') continue;
    for (const u of await deps.directory.subtree(g.unit)) out.add(u);
  }
  return out;
}

/** Throws 403 unless every unit is within the administrator's scope. */
export function requireInScope(scope: Set<string>, units: Iterable<string>): void {
  for (const u of units) {
    if (!scope.has(u)) {
      throw forbidden({
        vi: `Bạn không quản trị đơn vị ${u} (chỉ quản trị được đơn vị của mình và các đơn vị trực thuộc)`,
        en: `You do not administer unit ${u} (only your own unit and the units below it)`,
      });
    }
  }
}

/**
 * Whether the user administers the province (a root unit of kind "province"): needed for
 * province-wide settings. Other root units — provincial social insurance, provincial police —
 * are trees of their own, and their administrators administer only those.
 */
export async function isRootAdmin(deps: Deps, user: AuthUser): Promise<boolean> {
  for (const g of user.grants) {
    if (g.role !== 'admin') continue;
    const unit = await deps.directory.unit(g.unit);
    if (unit && !unit.parent && unit.kind === 'province') return true;
  }
  return false;
}

/** A 422 with JSON pointers into the request body. */
export function invalid(code: string, messages: { vi: string; en: string }, issues: Issue[]): HttpError {
  return new HttpError(422, code, messages, issues);
}

/** A 422 about one field. */
export function invalidField(code: string, path: string, vi: string, en: string): HttpError {
  return invalid(code, { vi, en }, [{ path, message: { vi, en } }]);
}

export function conflict(code: string, vi: string, en: string, details?: { [key: string]: unknown }): HttpError {
  return new HttpError(409, code, { vi, en }, undefined, details);
}

export function grantOf(g: Pick<GrantRow, 'role' | 'unit' | 'position' | 'title'>): Grant {
  return {
    role: g.role, unit: g.unit,
    ...(g.position ? { position: g.position as Position } : {}),
    ...(g.title ? { title: g.title } : {}),
  };
}

/** Parses an ISO 8601 instant the way JavaScript and PostgreSQL agree on (years 1970–9999); null when it is not one. */
export function instant(value: string): Date | null {
  const d = new Date(value);
  const y = d.getUTCFullYear();
  return Number.isFinite(d.getTime()) && y >= 1970 && y <= 9999 ? d : null;
}
