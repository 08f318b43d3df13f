import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { Tx } from '../db/client';
import { rawOf, type Raw } from '../db/raw';
import { isUniqueViolation } from '../db/errors';
import { HttpError } from '../http/errors';
import type { BusMessage } from '../bus';
import { within, type Deps } from '../deps';
import { IDEMPOTENCY_KEY_CONSTRAINT, storeAnswer, storedAnswer, type StoredAnswer } from './repo';

export interface Outcome {
  status: number;
  body: unknown;
  notices: BusMessage[];
  /** The run's own last statement stored the answer (`answerFor`), a key stored meanwhile failing it: not stored again. */
  answerStored?: boolean;
}

/** The answer to store for an outcome of a keyed request (undefined without a key): for a run that stores it in its own statement. */
export type AnswerFor = (status: number, body: unknown) => StoredAnswer | undefined;

/**
 * A change written by one statement, which also stores the answer when given one (see
 * `planCommit`): no transaction to open and commit around it.
 */
export interface SingleWrite extends Outcome {
  write(raw: Raw, answer?: StoredAnswer): Promise<unknown>;
}

class DuplicateKey extends Error {}

const hashOf = (request: unknown): string => createHash('sha256').update(canonicalize(request) ?? '').digest('hex');

function checkKey(key: string): void {
  if (key.length === 0 || key.length > 200) {
    throw new HttpError(400, 'BAD_IDEMPOTENCY_KEY', { vi: 'Idempotency-Key phải dài 1–200 ký tự', en: 'Idempotency-Key must be 1–200 characters' });
  }
}

/** The stored answer to (user, key), or null; 422 when the key was used for another request. */
async function replay(deps: Deps, userId: string, key: string, requestHash: string): Promise<{ status: number; body: unknown; replayed: true } | null> {
  const row = await storedAnswer(rawOf(deps.db), userId, key);
  if (!row) return null;
  if (row.requestHash !== requestHash) {
    throw new HttpError(422, 'IDEMPOTENCY_KEY_REUSED', {
      vi: 'Idempotency-Key này đã dùng cho một yêu cầu khác', en: 'This Idempotency-Key was already used for a different request',
    });
  }
  return { status: row.status, body: row.body, replayed: true };
}

/**
 * The answer already stored for (user, Idempotency-Key), or null (422 when the key was used
 * for another request): one read, for a caller that checks before it does its own work.
 */
export async function earlierAnswer(deps: Deps, userId: string, key: string, request: unknown): Promise<{ status: number; body: unknown; replayed: true } | null> {
  checkKey(key);
  return replay(deps, userId, key, hashOf(request));
}

/**
 * Runs a state change once per (user, Idempotency-Key): the answer is stored in the same
 * transaction as the change, so a retry after a lost response returns the first answer
 * and never applies the change twice. Announces notices only after commit.
 */
export async function runOnce(
  deps: Deps,
  userId: string,
  key: string | undefined,
  request: unknown,
  run: (tx: Tx, txDeps: Deps, answerFor: AnswerFor) => Promise<Outcome>,
  /** A cheaper way to the same change when it fits one statement (null: it does not, use `run`). */
  single?: () => Promise<SingleWrite | null>,
  /**
   * Whether to look the key up before the change: not when the caller looked (`earlierAnswer`),
   * or when a stored key can only be a race — the statement storing the answer then fails, and
   * the stored answer is returned (below).
   */
  lookFirst = true,
): Promise<{ status: number; body: unknown; replayed: boolean }> {
  // Only a keyed request is ever compared with an earlier one.
  const requestHash = key === undefined ? '' : hashOf(request);
  if (key !== undefined) checkKey(key);
  const stored = async () => (key === undefined ? null : replay(deps, userId, key, requestHash));
  const first = lookFirst ? await stored() : null;
  if (first) return first;
  const one = single ? await single() : null;
  if (one) {
    try {
      await one.write(rawOf(deps.db), key === undefined ? undefined : { userId, key, requestHash, status: one.status, body: one.body });
    } catch (e) {
      // A concurrent request with the same key stored its answer first: this one wrote nothing.
      if (key !== undefined && isUniqueViolation(e, IDEMPOTENCY_KEY_CONSTRAINT)) {
        const again = await stored();
        if (again) return again;
      }
      throw e;
    }
    for (const n of one.notices) deps.bus.publish(n);
    return { status: one.status, body: one.body, replayed: false };
  }
  try {
    const answerFor: AnswerFor = (status, body) => (key === undefined ? undefined : { userId, key, requestHash, status, body });
    const result = await deps.db.transaction(async (tx) => {
      const out = await run(tx, within(deps, tx as unknown as Deps['db']), answerFor);
      if (key !== undefined && !out.answerStored) {
        if (!(await storeAnswer(tx, { userId, key, requestHash, status: out.status, body: out.body }))) throw new DuplicateKey();
      }
      return out;
    });
    for (const n of result.notices) deps.bus.publish(n);
    return { status: result.status, body: result.body, replayed: false };
  } catch (e) {
    // A concurrent request with the same key committed first. Its rows may collide with
    // ours before our answer does (a unique row the change writes, such as the online
    // submission's (source, external id)): either way its stored answer is the answer.
    if (e instanceof DuplicateKey || (key !== undefined && isUniqueViolation(e))) {
      const again = await stored();
      if (again) return again;
    }
    throw e;
  }
}

/**
 * A request made of parts (a bulk action), once per Idempotency-Key: each part runs once
 * under a key derived from the request's (`partKey(i)`, for `runOnce`), so a retry after a
 * crash half-way does not repeat the parts done; the whole answer is stored once all ran,
 * so a retry returns it unchanged.
 */
export async function composeOnce(
  deps: Deps, userId: string, key: string | undefined, request: unknown,
  run: (partKey: (i: number) => string | undefined) => Promise<unknown>,
): Promise<{ status: number; body: unknown; replayed: boolean }> {
  if (key === undefined) return { status: 200, body: await run(() => undefined), replayed: false };
  checkKey(key);
  const requestHash = hashOf(request);
  const first = await replay(deps, userId, key, requestHash);
  if (first) return first;
  // Short and unique per (key, part): the key itself may be up to 200 characters.
  const stem = createHash('sha256').update(key).digest('hex').slice(0, 40);
  const body = await run((i) => `part:${stem}:${i}`);
  const stored = await deps.db.transaction((tx) => storeAnswer(tx, { userId, key, requestHash, status: 200, body }));
  if (!stored) {
    // A concurrent retry stored its answer first; its parts were the same parts.
    const again = await replay(deps, userId, key, requestHash);
    if (again) return again;
  }
  return { status: 200, body, replayed: false };
}
