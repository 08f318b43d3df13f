/**
 * What a receiver needs to know about a delivery, for the OpenAPI document (the webhook
 * routes' description and the OpenAPI 3.1 `webhooks` section). The README's "Webhooks"
 * section says the same with a verification snippet; keep the two in step with
 * `deliveryHeaders` and `signature` (./dispatcher.ts, ./policy.ts).
 */
import { DELIVERY_POLICY } from './policy';
import { TOPICS } from './topics';

const minutes = (ms: number) => ms / 60_000;

/** How far a receiver should accept `X-Motcua-Timestamp` from its own clock (seconds). */
export const REPLAY_WINDOW_S = 300;

/** The delivery contract in a few paragraphs (Markdown). */
export const DELIVERY_CONTRACT = [
  'Each event is POSTed as JSON `{ eventId, topic, dossierId, createdAt, payload }` with these headers:',
  '`X-Motcua-Event-Id` (stable: de-duplicate on it), `X-Motcua-Topic`, `X-Motcua-Delivery` (the delivery id),',
  '`X-Motcua-Attempt` (1, 2, …), `X-Motcua-Timestamp` (Unix seconds when signed) and',
  '`X-Motcua-Signature: sha256=<hex>`, the HMAC-SHA256 of `"<X-Motcua-Timestamp>.<raw body>"` with the subscription\'s secret.',
  '',
  'To verify: recompute the HMAC over the raw bytes received (before any JSON parsing), compare in constant time,',
  `and refuse a timestamp more than ${REPLAY_WINDOW_S / 60} minutes from your clock (replay window);`,
  'a retry is signed anew, so its timestamp is fresh.',
  '',
  'Answer 2xx to acknowledge. 400, 409, 413, 415 and 422 concern that payload only; any other answer, or none within',
  `${DELIVERY_POLICY.timeoutMs / 1000} s, means the receiver is unwell: the rest waits, and it is tried again at least every`,
  `${minutes(DELIVERY_POLICY.probeMs)} minutes. Retries back off (30 s more than the delivery's age, at most an hour) for`,
  `${DELIVERY_POLICY.giveUpAfterMs / 86_400_000} days. Delivery is at least once; one dossier's events arrive strictly in order.`,
  'Redirects are not followed. Targets on private, loopback, link-local, unique-local, CGNAT or multicast addresses are',
  'refused unless the operator lists them in WEBHOOK_ALLOW_HOSTS.',
].join('\n');

/** The OpenAPI 3.1 `webhooks` entry: the request a subscriber receives. */
export function webhookOpenApi(): object {
  const header = (description: string, schema: object = { type: 'string' }) => ({ description, required: true, schema });
  return {
    'dossier-event': {
      post: {
        summary: 'An event delivered to a subscribed URL',
        description: DELIVERY_CONTRACT,
        tags: ['webhooks'],
        parameters: [
          { name: 'X-Motcua-Event-Id', in: 'header', ...header('Stable event id: de-duplicate on it') },
          { name: 'X-Motcua-Topic', in: 'header', ...header(`One of ${TOPICS.join(', ')}`) },
          { name: 'X-Motcua-Delivery', in: 'header', ...header('The delivery id (as in the delivery log)') },
          { name: 'X-Motcua-Attempt', in: 'header', ...header('1 for the first attempt, then 2, 3, …', { type: 'string', pattern: '^[1-9][0-9]*$' }) },
          { name: 'X-Motcua-Timestamp', in: 'header', ...header('Unix seconds when the request was signed', { type: 'string', pattern: '^[0-9]+$' }) },
          { name: 'X-Motcua-Signature', in: 'header', ...header('sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">', { type: 'string', pattern: '^sha256=[0-9a-f]{64}$' }) },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object', required: ['eventId', 'topic', 'dossierId', 'createdAt', 'payload'],
                properties: {
                  eventId: { type: 'string' }, topic: { type: 'string', enum: [...TOPICS] }, dossierId: { type: ['string', 'null'] },
                  createdAt: { type: 'string', format: 'date-time' }, payload: { type: 'object' },
                },
              },
            },
          },
        },
        responses: { '2XX': { description: 'Acknowledged: not sent again' } },
      },
    },
  };
}
