/**
 * motcua as an OpenID Connect relying party (`openid-client`): authorization code flow with
 * PKCE (S256), state and nonce, the ID token verified against the provider's published keys,
 * the profile completed from userinfo. The personal ID number comes from the configured
 * claim (OIDC_PERSONAL_ID_CLAIM): it is what links a person to their dossiers and, for
 * officers, to their account — never a name.
 *
 * The state of a sign-in in flight (verifier, state, nonce, where to go after) travels in a
 * short-lived signed cookie, httpOnly and SameSite=Lax (the provider's redirect back is a
 * cross-site top-level navigation), so any server process can finish a flow another began.
 */
import * as client from 'openid-client';
import { SignJWT, jwtVerify } from 'jose';
import { parse } from 'cookie';
import type { Request, Response } from 'express';
import type { OidcSettings } from '../config';
import type { Deps } from '../deps';
import { HttpError } from '../http/errors';

export const FLOW_COOKIE = 'motcua_oidc';
const FLOW_PATH = '/api/oidc';
const FLOW_TTL_SECONDS = 600;

export type SignInAs = 'citizen' | 'officer';

export interface Flow {
  as: SignInAs;
  /** A path of the web app to go to afterwards (never another site). */
  next: string;
}

/** What a sign-in proved: the provider's verified claims that motcua uses. */
export interface VerifiedPerson {
  personalId: string;
  name: string;
  email: string | null;
  phone: string | null;
  subject: string;
}

const configs = new Map<string, Promise<client.Configuration>>();

export const ssoUnavailable = (): HttpError => new HttpError(503, 'SSO_NOT_CONFIGURED', {
  vi: 'Chưa cấu hình đăng nhập một lần (OpenID Connect): quản trị hệ thống cần đặt OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET',
  en: 'Single sign-on (OpenID Connect) is not configured: the administrator must set OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET',
});

export function settingsOf(deps: Deps): OidcSettings {
  const s = deps.config.oidc;
  if (!s) throw ssoUnavailable();
  return s;
}

/** The provider's configuration (discovery), once per issuer and client; a failed discovery is tried again next time. */
export function providerConfig(s: OidcSettings): Promise<client.Configuration> {
  const key = `${s.issuer}\n${s.clientId}`;
  let found = configs.get(key);
  if (!found) {
    found = client.discovery(new URL(s.issuer), s.clientId, s.clientSecret, client.ClientSecretBasic(s.clientSecret), {
      ...(s.allowHttp ? { execute: [client.allowInsecureRequests] } : {}), timeout: 10,
    });
    found.catch(() => configs.delete(key));
    configs.set(key, found);
  }
  return found;
}

export const callbackUrl = (deps: Deps): string => `${deps.config.publicUrl}/api/oidc/callback`;

const secretKey = (deps: Deps) => new TextEncoder().encode(deps.config.tokenSecret);
const secure = (deps: Deps) => deps.config.publicUrl.startsWith('https:');

/** A local path of the web app, else the default: no open redirect to another site. */
export function safeNext(raw: unknown, fallback: string): string {
  if (typeof raw !== 'string' || raw.length > 500) return fallback;
  if (!raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\') || raw.startsWith('/api/')) return fallback;
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u001f\\]/.test(raw) ? fallback : raw;
}

/** Starts a sign-in: the provider's authorization URL, with the flow's secrets in a signed cookie. */
export async function beginSignIn(deps: Deps, res: Response, flow: Flow): Promise<string> {
  const s = settingsOf(deps);
  let config: client.Configuration;
  try {
    config = await providerConfig(s);
  } catch (e) {
    deps.logger.error({ issuer: s.issuer, err: (e as Error).message }, 'OIDC discovery failed');
    throw new HttpError(502, 'SSO_UNREACHABLE', {
      vi: 'Không kết nối được với hệ thống định danh; hãy thử lại sau ít phút', en: 'The identity provider cannot be reached; try again in a few minutes',
    });
  }
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: callbackUrl(deps),
    scope: `openid ${s.scope}`.trim(),
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state, nonce,
  });
  // Real time, not the injected clock: the cookie's life is the browser's, beside a provider's.
  const jwt = await new SignJWT({ typ: 'oidc-flow', verifier, state, nonce, as: flow.as, next: flow.next })
    .setProtectedHeader({ alg: 'HS256' }).setIssuer('motcua').setIssuedAt().setExpirationTime(`${FLOW_TTL_SECONDS}s`)
    .sign(secretKey(deps));
  res.cookie(FLOW_COOKIE, jwt, { httpOnly: true, sameSite: 'lax', secure: secure(deps), path: FLOW_PATH, maxAge: FLOW_TTL_SECONDS * 1000 });
  return url.href;
}

const badFlow = (why: string): HttpError => new HttpError(400, 'SSO_FLOW_INVALID', {
  vi: `Phiên đăng nhập không hợp lệ hoặc đã hết hạn (${why}); hãy đăng nhập lại`,
  en: `The sign-in is invalid or has expired (${why}); sign in again`,
});

function claimText(claims: { [k: string]: unknown }, name: string): string | null {
  const v = claims[name];
  return typeof v === 'string' && v.trim() ? v.trim() : null;
}

/**
 * Finishes a sign-in at the callback: checks state, PKCE and nonce, verifies the ID token
 * (openid-client), reads userinfo, and returns the verified person with the flow.
 */
export async function finishSignIn(deps: Deps, req: Request, res: Response): Promise<{ flow: Flow; person: VerifiedPerson }> {
  const s = settingsOf(deps);
  const raw = req.headers.cookie ? parse(req.headers.cookie)[FLOW_COOKIE] : undefined;
  res.clearCookie(FLOW_COOKIE, { httpOnly: true, sameSite: 'lax', secure: secure(deps), path: FLOW_PATH });
  if (!raw) throw badFlow('no cookie');
  let flow: { verifier: string; state: string; nonce: string; as: SignInAs; next: string };
  try {
    const { payload } = await jwtVerify(raw, secretKey(deps), { issuer: 'motcua', algorithms: ['HS256'] });
    if (payload['typ'] !== 'oidc-flow') throw new Error('typ');
    flow = payload as unknown as typeof flow;
  } catch {
    throw badFlow('cookie');
  }
  const config = await providerConfig(s);
  const current = new URL(req.originalUrl, deps.config.publicUrl);
  if (current.searchParams.get('error')) {
    throw new HttpError(401, 'SSO_DENIED', {
      vi: `Hệ thống định danh từ chối đăng nhập: ${current.searchParams.get('error')}`, en: `The identity provider refused the sign-in: ${current.searchParams.get('error')}`,
    });
  }
  let claims: { [k: string]: unknown };
  try {
    const tokens = await client.authorizationCodeGrant(config, current, {
      pkceCodeVerifier: flow.verifier, expectedState: flow.state, expectedNonce: flow.nonce, idTokenExpected: true,
    }, { redirect_uri: callbackUrl(deps) });
    const idClaims = tokens.claims();
    if (!idClaims) throw new Error('no ID token');
    claims = { ...idClaims };
    if (!claimText(claims, s.personalIdClaim) || !claimText(claims, 'name')) {
      const info = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub);
      claims = { ...info, ...idClaims };
    }
  } catch (e) {
    deps.logger.info({ err: (e as Error).message }, 'OIDC callback refused');
    throw badFlow((e as Error).message.slice(0, 120));
  }
  const personalId = claimText(claims, s.personalIdClaim);
  if (!personalId || !/^[0-9]{9,12}$/.test(personalId)) {
    throw new HttpError(401, 'SSO_NO_PERSONAL_ID', {
      vi: `Tài khoản định danh không có số định danh cá nhân hợp lệ (thuộc tính "${s.personalIdClaim}")`,
      en: `The identity has no valid personal ID number (claim "${s.personalIdClaim}")`,
    });
  }
  return {
    flow: { as: flow.as === 'officer' ? 'officer' : 'citizen', next: safeNext(flow.next, '/') },
    person: {
      personalId, subject: String(claims['sub']),
      name: claimText(claims, 'name') ?? personalId,
      email: claims['email_verified'] === false ? null : claimText(claims, 'email'),
      phone: claimText(claims, 'phone_number'),
    },
  };
}
