import type { Request } from 'express';
import { eq } from 'drizzle-orm';
import type { Actor, Grant, Position } from '@motcua/engine';
import { grants, users } from '../db/schema';
import { forbidden, unauthorized } from '../http/errors';
import type { Deps } from '../deps';
import type { Access } from '../http/api';
import { verifyToken } from './tokens';

/** Server-wide roles; `desk`, `specialist` and `leader` are also the roles procedures name. */
export const ROLES = ['designer', 'admin', 'desk', 'specialist', 'leader'] as const;
export type Role = (typeof ROLES)[number];

const USER_TTL_MS = 5_000;
const TOKEN_TTL_MS = 60_000;

export interface AuthUser {
  id: string;
  username: string;
  name: string;
  grants: Grant[];
}

/** The engine's view of a signed-in officer. */
export function actorOf(user: AuthUser): Actor {
  return { id: user.id, name: user.name, kind: 'officer', grants: user.grants };
}

export async function loadUser(deps: Deps, id: string): Promise<AuthUser | null> {
  const [u] = await deps.db.select().from(users).where(eq(users.id, id));
  if (!u || !u.active) return null;
  const rows = await deps.db.select().from(grants).where(eq(grants.userId, id));
  return {
    id: u.id,
    username: u.username,
    name: u.name,
    grants: rows.map((g) => ({
      role: g.role, unit: g.unit,
      ...(g.position ? { position: g.position as Position } : {}),
      ...(g.title ? { title: g.title } : {}),
    })),
  };
}

/** Reads the bearer token (header, or `?token=` for downloads opened in a new tab). */
export function bearer(req: Request): string | null {
  const h = req.headers.authorization;
  if (h?.startsWith('Bearer ')) return h.slice(7).trim();
  const q = req.query['token'];
  return typeof q === 'string' && q.length > 0 ? q : null;
}

/** Authenticates and checks the route's access rule; null for anonymous callers of public routes. */
export async function authenticate(req: Request, deps: Deps, access: Access): Promise<AuthUser | null> {
  const token = bearer(req);
  if (!token) {
    if (access === 'public') return null;
    throw unauthorized();
  }
  // Verifying the signature costs more than the rest of a light request: remember the
  // answer briefly, but never past the token's own expiry.
  const now = deps.clock.now();
  const verified = await deps.directory.cached(`token:${token}`, TOKEN_TTL_MS, () => verifyToken(token, deps.config.tokenSecret, now));
  const claims = verified && verified.exp * 1000 > now.getTime() ? verified : null;
  // Grants change rarely; a revocation reaches every process within USER_TTL_MS.
  const user = claims ? await deps.directory.cached(`user:${claims.sub}`, USER_TTL_MS, () => loadUser(deps, claims.sub)) : null;
  if (!user) {
    if (access === 'public') return null;
    throw unauthorized();
  }
  if (Array.isArray(access) && !user.grants.some((g) => access.includes(g.role))) {
    throw forbidden({
      vi: `Chức năng này cần một trong các vai trò: ${access.join(', ')}`,
      en: `This needs one of the roles: ${access.join(', ')}`,
    });
  }
  return user;
}

/** Units whose dossiers a user may see: their grants' units, and for administrators and leaders the units below. */
export async function visibleUnits(deps: Deps, user: AuthUser): Promise<Set<string>> {
  const out = new Set<string>();
  for (const g of user.grants) {
    if (g.role === 'admin' || g.role === 'leader') for (const u of await deps.directory.subtree(g.unit)) out.add(u);
    else out.add(g.unit);
  }
  return out;
}

/** Throws 403 unless the user holds one of `roles` at `unit` (administrators: at it or above it). */
export async function requireRoleAt(deps: Deps, user: AuthUser, roles: readonly string[], unit: string): Promise<void> {
  for (const g of user.grants) {
    if (!roles.includes(g.role)) continue;
    if (g.unit === unit) return;
    if (g.role === 'admin' && (await deps.directory.subtree(g.unit)).includes(unit)) return;
  }
  throw forbidden({
    vi: `Cần vai trò ${roles.join(' hoặc ')} tại đơn vị ${unit}`,
    en: `Needs role ${roles.join(' or ')} at unit ${unit}`,
  });
}
