/**
 * The citizen's second factor for the public lookup (docs/public-lookup.md). Dossier codes
 * are sequential by law, so the code alone proves nothing: it shows only that the dossier
 * exists and its status. Everything else — the procedure (which names the life event: a
 * death, a marriage, a birth), steps, dates, history, rating — needs one of:
 *
 * - `key`: the random token printed in the receipt's QR code (`/tra-cuu/<code>?k=<key>`);
 * - `last4`: the last 4 digits of the applicant's phone number or ID number, typed by hand;
 * - `applicantId`: the applicant's whole ID number (what the rating asked for before).
 *
 * Guessing is throttled: every public dossier request counts against the address, every one
 * but a matching `key` against the code, and failed factors against both again with a much
 * lower allowance. A valid `key` (122 random bits, never guessable) is honoured even when the
 * code is locked by other people's requests or failed guesses, so an attacker cannot lock out
 * the citizen holding the slip.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Db } from '../db/client';
import type { Deps } from '../deps';
import { Limit } from '../http/limits';
import { loadDossier, type DossierRow } from './repo';

export interface Factor {
  key?: string | undefined;
  last4?: string | undefined;
  applicantId?: string | undefined;
}

export const hasFactor = (f: Factor): boolean => Boolean(f.key || f.last4 || f.applicantId);

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();
/** Constant-time comparison (both sides hashed to one length first). */
const same = (a: string, b: string): boolean => timingSafeEqual(digest(a), digest(b));
const lastDigits = (s: unknown): string | null => {
  if (typeof s !== 'string') return null;
  const d = s.replace(/\D/g, '');
  return d.length >= 4 ? d.slice(-4) : null;
};

type FactorRow = Pick<DossierRow, 'applicantId' | 'lookupToken' | 'snapshot'>;

/** Whether the factor matches the dossier. */
export function factorMatches(row: FactorRow, f: Factor): boolean {
  if (f.key && row.lookupToken && same(f.key, row.lookupToken)) return true;
  if (f.last4 && /^\d{4}$/.test(f.last4)) {
    const phone = ((row.snapshot as { data?: { applicantContact?: { phone?: unknown } } }).data?.applicantContact?.phone);
    const candidates = [lastDigits(row.applicantId), lastDigits(phone)].filter((x): x is string => x !== null);
    // Every candidate is compared, so the time does not tell which one matched.
    let ok = false;
    for (const c of candidates) ok = same(f.last4, c) || ok;
    if (ok) return true;
  }
  if (f.applicantId && row.applicantId && same(f.applicantId.trim(), row.applicantId)) return true;
  return false;
}

/** The limits of the public lookup (per database: tests open several). */
export interface LookupLimits {
  /** Every public dossier request (lookup, check, rating, live subscription) per address. */
  address: Limit;
  /** Every public dossier request per dossier code. */
  code: Limit;
  /** Failed second factors per address. */
  failedByAddress: Limit;
  /** Failed second factors per dossier code. */
  failedByCode: Limit;
}

export const LOOKUP_POLICY = {
  address: { points: 120, duration: 600 },
  code: { points: 60, duration: 600 },
  failedByAddress: { points: 20, duration: 3600 },
  failedByCode: { points: 5, duration: 3600 },
} as const;

const limitsByDb = new WeakMap<Db, LookupLimits>();

export function lookupLimits(deps: Deps): LookupLimits {
  let l = limitsByDb.get(deps.db);
  if (!l) {
    const what = { vi: 'lượt tra cứu hồ sơ', en: 'dossier lookups' };
    const failed = { vi: 'lần nhập sai thông tin xác minh', en: 'failed verification attempts' };
    l = {
      address: new Limit(deps.db, deps.clock, 'lookup-ip', LOOKUP_POLICY.address, what),
      code: new Limit(deps.db, deps.clock, 'lookup-code', LOOKUP_POLICY.code, what),
      failedByAddress: new Limit(deps.db, deps.clock, 'lookup-fail-ip', LOOKUP_POLICY.failedByAddress, failed),
      failedByCode: new Limit(deps.db, deps.clock, 'lookup-fail-code', LOOKUP_POLICY.failedByCode, failed),
    };
    limitsByDb.set(deps.db, l);
  }
  return l;
}

/** Where a request comes from: Express's `req.ip` honours the `trust proxy` setting (loopback proxies). */
export const addressOf = (req: Request): string => req.ip ?? req.socket.remoteAddress ?? 'unknown';

export type Verdict = { row: DossierRow; verified: true } | { row: DossierRow | null; verified: false };

/**
 * One public request for `code` from `address`: counts it, refuses with 429 (Retry-After)
 * over a limit, loads the dossier and checks the factor when one is given (a failure is
 * counted). A request whose `key` matches is not counted against the code.
 * `res`, when an HTTP answer, receives the Retry-After header.
 */
export async function lookUp(deps: Deps, res: Response | null, address: string, code: string, factor: Factor): Promise<Verdict> {
  const limits = lookupLimits(deps);
  await limits.address.take(address, res);
  // Codes are sequential, so anyone can spend a code's allowance; only the slip's holder can
  // show its key, so a matching key is looked at before the code is counted (else 60 anonymous
  // requests lock the citizen out of their own slip). The key only: 4 digits are guesses.
  let row: DossierRow | null | undefined;
  if (factor.key) {
    row = await loadDossier(deps.db, code);
    if (row?.lookupToken && same(factor.key, row.lookupToken)) {
      await limits.failedByAddress.check(address, res);
      return { row, verified: true };
    }
  }
  await limits.code.take(code, res);
  if (hasFactor(factor)) {
    await limits.failedByAddress.check(address, res);
    // A key alone cannot be guessed, so it is refused (403) rather than locked out; digits sent
    // beside a junk key are guesses like any others, or adding a key would pass the lock.
    if (factor.last4 || factor.applicantId) await limits.failedByCode.check(code, res);
  }
  if (row === undefined) row = await loadDossier(deps.db, code);
  if (!hasFactor(factor)) return { row: row ?? null, verified: false };
  if (row && factorMatches(row, factor)) return { row, verified: true };
  // An unknown code counts as a failure too: the throttle must not tell the two apart.
  await limits.failedByAddress.hit(address);
  await limits.failedByCode.hit(code);
  return { row: row ?? null, verified: false };
}
