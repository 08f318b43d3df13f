/**
 * Citizens' sessions. After an OpenID Connect sign-in (./oidc.ts) a citizen holds a session
 * cookie: a token signed by the server (typ "citizen": never accepted as an officer's),
 * httpOnly, SameSite=Lax, sent to /api only. Changes are protected against cross-site
 * requests as officers' refresh is: the token carries a random anti-forgery value, also
 * set in a cookie the page can read, which the page echoes in the X-CSRF-Token header on
 * every request that is not a GET.
 *
 * Other features protect a citizen's route with `requireCitizen(deps)` (Express middleware
 * setting `res.locals.citizen`) or call `citizenOf(deps, req, res)` inside an Api handler.
 * Everything under /api/me is behind `requireCitizen` already (app.ts).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { parse } from 'cookie';
import { SignJWT, jwtVerify } from 'jose';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Actor } from '@motcua/engine';
import type { Deps } from '../deps';
import { HttpError } from '../http/errors';
import { issueSession, loadUser, verificationSecrets } from '../auth/service';
import { bumpCitizenVersion, citizenById, linkOfficer, officerOfPersonalId, personalIdOfOfficer, unlinkOfficer, upsertCitizen } from './repo';
import type { VerifiedPerson } from './oidc';

export const CITIZEN_COOKIE = 'motcua_citizen';
export const CITIZEN_CSRF_COOKIE = 'motcua_citizen_csrf';
export const CSRF_HEADER = 'x-csrf-token';
const COOKIE_PATH = '/api';
const CACHE_MS = 5_000;

/** The signed-in citizen, as routes see it (`res.locals.citizen`). */
export interface Citizen {
  personalId: string;
  name: string;
  email?: string;
  phone?: string;
}

/** The engine's view of a citizen: the applicant of the dossiers filed under their personal ID number. */
export const citizenActor = (c: Citizen): Actor => ({ id: c.personalId, name: c.name, kind: 'applicant', grants: [] });

const secure = (deps: Deps) => deps.config.publicUrl.startsWith('https:');
const key = (secret: string) => new TextEncoder().encode(secret);

export const notSignedIn = (): HttpError => new HttpError(401, 'CITIZEN_UNAUTHENTICATED', {
  vi: 'Cần đăng nhập bằng tài khoản định danh điện tử', en: 'Sign in with your electronic identity first',
});

/** Records the sign-in and sets the session and anti-forgery cookies. */
export async function startCitizenSession(deps: Deps, res: Response, person: VerifiedPerson): Promise<Citizen> {
  const now = deps.clock.now();
  const row = await upsertCitizen(deps, { personalId: person.personalId, name: person.name, email: person.email, phone: person.phone }, now.toISOString());
  deps.directory.forget(`citizen:${person.personalId}`);
  const csrf = randomBytes(24).toString('base64url');
  const ttl = deps.config.citizenSessionTtlSeconds;
  const iat = Math.floor(now.getTime() / 1000);
  const token = await new SignJWT({ typ: 'citizen', ver: row.tokenVersion, csrf })
    .setProtectedHeader({ alg: 'HS256' }).setSubject(row.personalId).setIssuer('motcua')
    .setIssuedAt(iat).setExpirationTime(iat + ttl).sign(key(deps.config.tokenSecret));
  const common = { sameSite: 'lax' as const, secure: secure(deps), maxAge: ttl * 1000 };
  res.cookie(CITIZEN_COOKIE, token, { ...common, httpOnly: true, path: COOKIE_PATH });
  res.cookie(CITIZEN_CSRF_COOKIE, csrf, { ...common, httpOnly: false, path: '/' });
  return citizenOfRow(row);
}

export function clearCitizenSession(deps: Deps, res: Response): void {
  res.clearCookie(CITIZEN_COOKIE, { sameSite: 'lax', secure: secure(deps), httpOnly: true, path: COOKIE_PATH });
  res.clearCookie(CITIZEN_CSRF_COOKIE, { sameSite: 'lax', secure: secure(deps), path: '/' });
}

function citizenOfRow(row: { personalId: string; name: string; email: string | null; phone: string | null }): Citizen {
  return { personalId: row.personalId, name: row.name, ...(row.email ? { email: row.email } : {}), ...(row.phone ? { phone: row.phone } : {}) };
}

const same = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

interface Claims { sub: string; ver: number; csrf: string; expMs: number }

/**
 * Tokens already verified, per set of secrets (a changed secret verifies afresh): a
 * citizen's page sends the same token with every request, and verifying its HMAC anew each
 * time (a key import and a signature through WebCrypto) cost more than the request's own
 * work. A remembered token still expires by the injected clock; the account's token version
 * is checked on every request as before (signing out everywhere still ends it at once).
 */
const verified = new Map<string, Map<string, Claims>>();
const VERIFIED_MAX = 10_000;

async function verifiedClaims(deps: Deps, raw: string): Promise<Claims | null> {
  const secrets = verificationSecrets(deps.config);
  const by = secrets.join('\n');
  let known = verified.get(by);
  if (!known) {
    if (verified.size >= 16) verified.clear();
    verified.set(by, (known = new Map()));
  }
  const now = deps.clock.now();
  const hit = known.get(raw);
  if (hit) {
    if (hit.expMs > now.getTime()) return hit;
    known.delete(raw);
  }
  for (const secret of secrets) {
    if (!secret) continue;
    try {
      const { payload } = await jwtVerify(raw, key(secret), { issuer: 'motcua', algorithms: ['HS256'], currentDate: now });
      if (payload['typ'] === 'citizen' && typeof payload.sub === 'string' && typeof payload['ver'] === 'number' && typeof payload['csrf'] === 'string' && typeof payload.exp === 'number') {
        const claims = { sub: payload.sub, ver: payload['ver'], csrf: payload['csrf'], expMs: payload.exp * 1000 };
        if (known.size >= VERIFIED_MAX) known.clear();
        known.set(raw, claims);
        return claims;
      }
      return null;
    } catch {
      // the previous secret may still verify it
    }
  }
  return null;
}

/** The session's citizen, or null without a valid session; 403 when a change lacks the anti-forgery header. */
export async function sessionCitizen(deps: Deps, req: Request): Promise<Citizen | null> {
  const raw = req.headers.cookie ? parse(req.headers.cookie)[CITIZEN_COOKIE] : undefined;
  if (!raw) return null;
  const claims = await verifiedClaims(deps, raw);
  if (!claims) return null;
  const row = await deps.directory.cached(`citizen:${claims.sub}`, CACHE_MS, () => citizenById(deps, claims.sub));
  if (!row || row.tokenVersion !== claims.ver) return null;
  if (!SAFE.has(req.method)) {
    const header = req.headers[CSRF_HEADER];
    if (typeof header !== 'string' || !same(header, claims.csrf)) {
      throw new HttpError(403, 'CSRF_MISMATCH', {
        vi: `Thiếu hoặc sai mã chống giả mạo (tiêu đề ${CSRF_HEADER.toUpperCase()}): hãy tải lại trang và thử lại`,
        en: `Missing or wrong anti-forgery token (${CSRF_HEADER.toUpperCase()} header): reload the page and try again`,
      });
    }
  }
  return citizenOfRow(row);
}

/** The signed-in citizen of a request (401 without one); also leaves it in `res.locals.citizen`. */
export async function citizenOf(deps: Deps, req: Request, res: Response): Promise<Citizen> {
  const known = res.locals['citizen'] as Citizen | undefined;
  if (known) return known;
  const c = await sessionCitizen(deps, req);
  if (!c) throw notSignedIn();
  res.locals['citizen'] = c;
  return c;
}

/** Express middleware: 401 without a citizen's session, 403 on a change without the anti-forgery header; sets `res.locals.citizen`. */
export function requireCitizen(deps: Deps): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    citizenOf(deps, req, res).then(() => next(), next);
  };
}

/** Signs the citizen out of every session. */
export async function signOutCitizen(deps: Deps, res: Response, c: Citizen): Promise<void> {
  await bumpCitizenVersion(deps, c.personalId);
  deps.directory.forget(`citizen:${c.personalId}`);
  // The other server processes keep the citizen cached for a few seconds: told through the bus relay, they forget it now.
  deps.bus.publish({ type: 'citizen.signedOut', personalId: c.personalId });
  clearCitizenSession(deps, res);
}

/**
 * An officer's sign-in through the SSO: the account linked to the verified personal ID
 * number (never found by name), an officer's session as a password login gives (refresh
 * cookie: the web app restores it on load). Null when no active account is linked.
 */
export async function signInOfficer(deps: Deps, res: Response, person: VerifiedPerson): Promise<boolean> {
  const userId = await officerOfPersonalId(deps, person.personalId);
  const user = userId ? await loadUser(deps, userId) : null;
  if (!user) return false;
  await issueSession(deps, res, user);
  return true;
}

export { linkOfficer, unlinkOfficer, personalIdOfOfficer };
