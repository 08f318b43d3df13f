/** Request and response schemas of the webhook routes (they validate and document the API). */
import Type from 'typebox';
import { TOPICS, TOPIC_PATTERN } from './topics';

const Url = Type.String({
  minLength: 1, maxLength: 2000, pattern: '^[Hh][Tt][Tt][Pp][Ss]?://',
  description: 'Where deliveries are POSTed: an http(s) URL', examples: ['https://dvcqg.example.gov.vn/motcua/webhook'],
});
const Secret = Type.String({
  minLength: 16, maxLength: 200,
  description: 'Shared secret for the HMAC-SHA256 signature, at least 16 characters; omitted = generated and returned once',
});
const Topic = Type.String({
  minLength: 1, maxLength: 100, pattern: TOPIC_PATTERN,
  description: `A topic (${TOPICS.join(', ')}), a prefix wildcard such as "dossier.*", or "*"`,
});
const Topics = Type.Array(Topic, { minItems: 1, maxItems: 50, uniqueItems: true });

export const WebhookCreateBody = Type.Object({
  url: Url,
  secret: Type.Optional(Secret),
  topics: Topics,
  active: Type.Optional(Type.Boolean({ default: true })),
}, { additionalProperties: false });

export const WebhookUpdateBody = Type.Object({
  url: Type.Optional(Url),
  topics: Type.Optional(Topics),
  active: Type.Optional(Type.Boolean({ description: 'false: no new deliveries are created and pending ones are held' })),
  secret: Type.Optional(Secret),
  rotateSecret: Type.Optional(Type.Boolean({ description: 'true: generate a new secret, returned once in the answer' })),
}, { additionalProperties: false, minProperties: 1 });

export const WebhookSchema = Type.Object({
  id: Type.String(),
  url: Type.String(),
  topics: Type.Array(Type.String()),
  active: Type.Boolean(),
  createdAt: Type.String(),
  pending: Type.Integer({ description: 'Deliveries not yet acknowledged' }),
});

export const WebhookWithSecret = Type.Intersect([WebhookSchema, Type.Object({
  secret: Type.String({ description: 'Shown only now: keep it to verify X-Motcua-Signature' }),
})]);

export const WebhookParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });

export const DeliveryParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 100 }),
  deliveryId: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
});

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;

export const DeliveryQuery = Type.Object({
  status: Type.Optional(Type.Union(DELIVERY_STATUSES.map((s) => Type.Literal(s)))),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const DeliverySchema = Type.Object({
  id: Type.Integer(),
  eventId: Type.String(),
  topic: Type.String(),
  dossierId: Nullable(Type.String()),
  status: Type.String(),
  attempts: Type.Integer(),
  nextAttemptAt: Nullable(Type.String({ description: 'When a pending delivery is tried next (null once delivered or failed)' })),
  lastStatus: Nullable(Type.Integer({ description: 'HTTP status of the last attempt (null: no answer)' })),
  lastError: Nullable(Type.String()),
  deliveredAt: Nullable(Type.String()),
  createdAt: Type.String({ description: 'When the delivery was queued (or queued again by a manual retry); retries stop 3 days later' }),
});

export const DeliveryPage = Type.Object({
  items: Type.Array(DeliverySchema),
  page: Type.Integer(),
  pageSize: Type.Integer(),
  hasMore: Type.Boolean(),
});
