/**
 * Readers of the outbox besides the webhook fan-out (the citizen notifier, the payments'
 * refunds): each keeps a cursor, the last outbox id it handled, in `notification_cursor`.
 * One batch is read and handled in one transaction holding the cursor row's lock, so two
 * processes never handle one event twice, and a failed batch is read again next round.
 */
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { Tx } from '../db/client';
import { notificationCursor, outbox } from '../db/schema';
import type { Deps } from '../deps';

export interface FollowedEvent { id: number; eventId: string; topic: string; dossierId: string | null; payload: unknown }

/** Reads up to `batch` outbox rows after the cursor `name`, hands them to `handle` and moves the cursor: one transaction. */
export async function follow(
  deps: Deps, name: string, handle: (tx: Tx, events: FollowedEvent[]) => Promise<void>, options: { batch?: number; settleMs?: number } = {},
): Promise<number> {
  const batch = options.batch ?? 200;
  // Outbox ids are drawn before commit: a row of a transaction still open may get a smaller
  // id than one already read. Rows younger than `settleMs` (database time) wait a round, so
  // only a transaction open longer than that could be passed over (see docs/notifications.md).
  const settle = `${Math.max(0, Math.floor(options.settleMs ?? 5000))} milliseconds`;
  return deps.db.transaction(async (tx) => {
    await tx.insert(notificationCursor).values({ name, lastOutboxId: 0 }).onConflictDoNothing();
    const [cursor] = await tx.select().from(notificationCursor).where(eq(notificationCursor.name, name)).for('update');
    const after = cursor?.lastOutboxId ?? 0;
    const events = await tx.select({ id: outbox.id, eventId: outbox.eventId, topic: outbox.topic, dossierId: outbox.dossierId, payload: outbox.payload })
      .from(outbox).where(and(gt(outbox.id, after), sql`${outbox.createdAt} <= now() - ${settle}::interval`)).orderBy(asc(outbox.id)).limit(batch);
    if (events.length === 0) return 0;
    await handle(tx, events);
    await tx.update(notificationCursor).set({ lastOutboxId: sql`${events.at(-1)!.id}` }).where(eq(notificationCursor.name, name));
    return events.length;
  });
}
