/** Delivery policy, signature and the shape of a claimed delivery, shared by ./dispatcher.ts and ./record.ts. */
import { createHash, createHmac } from 'node:crypto';

export const DELIVERY_POLICY = {
  /** Per request, body included. */
  timeoutMs: 10_000,
  /** Tolerated clock difference between server processes. */
  clockSkewMs: 60_000,
  /** First retry delay; doubles at each failure… */
  baseDelayMs: 30_000,
  /** …up to this cap. */
  maxDelayMs: 60 * 60_000,
  /**
   * A receiver that is down (not a refused payload) is tried again at least this often — one
   * request, whose failure holds the others back — so it catches up within this long of its return.
   */
  probeMs: 5 * 60_000,
  /** A delivery is retried for this long after it was created, then marked failed. */
  giveUpAfterMs: 3 * 24 * 60 * 60_000,
  /** Each delay is shortened by up to this share, derived from the delivery id (spreads retries). */
  jitter: 0.2,
  fanOutBatch: 500,
  deliverBatch: 50,
  /**
   * Dossiers whose deliveries one subscription gets side by side (each dossier's still one
   * after the other, in order): at most this many requests to one receiver at once.
   */
  lanesPerSubscription: 8,
} as const;

export const USER_AGENT = 'motcua-webhooks/0.1';

/** Deterministic fraction in [0, 1) from a text (no Math.random: replays and tests stay exact). */
function fraction(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0) / 2 ** 32;
}

/**
 * Delay before the next attempt of a delivery that failed (or waits behind one that failed)
 * `ageMs` after it was created: 30 s more than its age, at most an hour — so a delivery
 * retried as soon as it is due goes at 30 s, 1.5, 3.5, 7.5, 15.5, 31.5 min, then hourly (the
 * pauses double). Derived from the age rather than a count of attempts, so a delivery that
 * waits behind an earlier one of its dossier (never sent) keeps a schedule of its own. Each
 * delay is shortened by up to 20 % (a fraction derived from the delivery id and the age).
 */
export function retryDelayMs(deliveryId: number, ageMs: number): number {
  const p = DELIVERY_POLICY;
  const nominal = Math.min(p.maxDelayMs, p.baseDelayMs + Math.max(ageMs, 0));
  return Math.round(nominal * (1 - p.jitter * fraction(`${deliveryId}:${Math.floor(Math.max(ageMs, 0) / 1000)}`)));
}

/** `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">` with the subscription's secret. */
export function signature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** A delivery taken by this worker until `lease`, with what it takes to send it. */
export interface ClaimedDelivery {
  id: number;
  subscriptionId: string;
  url: string;
  /** The subscription's secret, decrypted; null when it cannot be (the reason in `secretError`). */
  secret: string | null;
  secretError: string | null;
  outboxId: number;
  eventId: string;
  topic: string;
  dossierId: string | null;
  payload: unknown;
  /** When the event was written to the outbox. */
  eventCreatedAt: string;
  /** When the delivery was created (the retry horizon counts from here). */
  createdAt: string;
  /** Attempts counted so far, this one included (the claim counts it). */
  attempts: number;
  /** The claim's fence: the delivery's `next_attempt_at` while this worker holds it. */
  lease: string;
}

/** Answers that concern one payload only; anything else non-2xx is taken as the receiver being unwell. */
export const PAYLOAD_ONLY = new Set([400, 409, 413, 415, 422]);

