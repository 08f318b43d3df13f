import type { Request } from 'express';
import type { Actor, Grant, Position } from '@motcua/engine';
import { forbidden, unauthorized } from '../http/errors';
import type { Deps } from '../deps';
import { grantsOf, userById } from './repo';
import { verificationSecrets, verifyToken, type TokenClaims, type TokenKind } from './tokens';

/** Server-wide roles; `desk`, `specialist` and `leader` are also the roles procedures name. */
/**
 * Who may call a route: anyone, any signed-in user, or holders of one of these roles.
 * Defined here, not in http/api.ts, so that auth does not import the HTTP layer that imports it.
 */
export type Access = 'public' | 'user' | string[];

export const ROLES = ['designer', 'admin', 'desk', 'specialist', 'leader'] as const;
export type Role = (typeof ROLES)[number];

const USER_TTL_MS = 5_000;
const TOKEN_TTL_MS = 60_000;

export interface AuthUser {
  id: string;
  username: string;
  name: string;
  grants: Grant[];
  /** Tokens signed with another version are revoked (logout, password change, deactivation). */
  tokenVersion: number;
}

/** The engine's view of a signed-in officer. */
export function actorOf(user: AuthUser): Actor {
  return { id: user.id, name: user.name, kind: 'officer', grants: user.grants };
}

export async function loadUser(deps: Deps, id: string): Promise<AuthUser | null> {
  const u = await userById(deps, id);
  if (!u || !u.active) return null;
  const rows = await grantsOf(deps, id);
  return {
    id: u.id,
    username: u.username,
    name: u.name,
    tokenVersion: u.tokenVersion,
    grants: rows.map((g) => ({
      role: g.role, unit: g.unit,
      ...(g.position ? { position: g.position as Position } : {}),
      ...(g.title ? { title: g.title } : {}),
    })),
  };
}

/**
 * The bearer token, from the Authorization header only: a token in a URL ends up in
 * browser history, proxy logs and Referer headers. Files opened in a new tab use a
 * short-lived download link instead (`?link=`, see `./links.ts`).
 */
export function bearer(req: Request): string | null {
  const h = req.headers.authorization;
  return h?.startsWith('Bearer ') ? h.slice(7).trim() || null : null;
}

/** The user as `loadUser` reads it, kept as briefly as for requests (forgotten at once on a change of access). */
export function currentUser(deps: Deps, id: string): Promise<AuthUser | null> {
  return deps.directory.cached(`user:${id}`, USER_TTL_MS, () => loadUser(deps, id));
}

/**
 * The user a token of `kind` signs in, or null when the token is invalid, expired, or
 * revoked (signed before the user's last token-version bump) or the user is inactive.
 */
export async function userOfToken(deps: Deps, token: string, kind: TokenKind = 'access'): Promise<{ user: AuthUser; claims: TokenClaims } | null> {
  // Verifying the signature costs more than the rest of a light request: remember the
  // answer briefly, but never past the token's own expiry. Revocation is checked below,
  // against the user's current version, so this cache never outlives a logout.
  const now = deps.clock.now();
  const verified = await deps.directory.cached(`token:${kind}:${token}`, TOKEN_TTL_MS, () => verifyToken(token, verificationSecrets(deps.config), now, kind));
  const claims = verified && verified.exp * 1000 > now.getTime() ? verified : null;
  if (!claims) return null;
  // Grants change rarely; a change reaches every process within USER_TTL_MS, a revocation
  // at once (the process that revokes forgets it; the others hear it through the realtime relay).
  const user = await currentUser(deps, claims.sub);
  return user && user.tokenVersion === claims.ver ? { user, claims } : null;
}

/**
 * Authenticates and checks the route's access rule; null for anonymous callers of public
 * routes. `download`: a file answer, which also accepts a download link for its own path.
 */
export async function authenticate(req: Request, deps: Deps, access: Access, download = false): Promise<AuthUser | null> {
  const token = bearer(req);
  const link = download && !token && typeof req.query['link'] === 'string' ? req.query['link'] : null;
  if (!token && !link) {
    if (access === 'public') return null;
    throw unauthorized();
  }
  let user: AuthUser | null = null;
  if (token) user = (await userOfToken(deps, token))?.user ?? null;
  else if (link) {
    const found = await userOfToken(deps, link, 'download');
    // A link opens the one path it was made for.
    user = found && found.claims.path === req.path ? found.user : null;
  }
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
