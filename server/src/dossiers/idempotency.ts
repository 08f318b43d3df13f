import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import canonicalize from 'canonicalize';
import type { Tx } from '../db/client';
import { idempotencyKeys } from '../db/schema';
import { HttpError } from '../http/errors';
import type { BusMessage } from '../bus';
import { within, type Deps } from '../deps';

export interface Outcome {
  status: number;
  body: unknown;
  notices: BusMessage[];
}

class DuplicateKey extends Error {}

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
  run: (tx: Tx, txDeps: Deps) => Promise<Outcome>,
): Promise<{ status: number; body: unknown; replayed: boolean }> {
  // Only a keyed request is ever compared with an earlier one.
  const requestHash = key === undefined ? '' : createHash('sha256').update(canonicalize(request) ?? '').digest('hex');
  if (key !== undefined && (key.length === 0 || key.length > 200)) {
    throw new HttpError(400, 'BAD_IDEMPOTENCY_KEY', { vi: 'Idempotency-Key phải dài 1–200 ký tự', en: 'Idempotency-Key must be 1–200 characters' });
  }
  const stored = async () => {
    if (key === undefined) return null;
    const [row] = await deps.db.select().from(idempotencyKeys).where(and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key)));
    if (!row) return null;
    if (row.requestHash !== requestHash) {
      throw new HttpError(422, 'IDEMPOTENCY_KEY_REUSED', {
        vi: 'Idempotency-Key này đã dùng cho một yêu cầu khác', en: 'This Idempotency-Key was already used for a different request',
      });
    }
    return { status: row.status, body: row.body, replayed: true };
  };
  const first = await stored();
  if (first) return first;
  try {
    const result = await deps.db.transaction(async (tx) => {
      const out = await run(tx, within(deps, tx as unknown as Deps['db']));
      if (key !== undefined) {
        const inserted = await tx.insert(idempotencyKeys).values({ userId, key, requestHash, status: out.status, body: out.body as object })
          .onConflictDoNothing().returning({ key: idempotencyKeys.key });
        if (inserted.length === 0) throw new DuplicateKey();
      }
      return out;
    });
    for (const n of result.notices) deps.bus.publish(n);
    return { status: result.status, body: result.body, replayed: false };
  } catch (e) {
    if (e instanceof DuplicateKey) {
      const again = await stored();
      if (again) return again;
    }
    throw e;
  }
}
