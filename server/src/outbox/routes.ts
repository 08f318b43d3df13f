import Type from 'typebox';
import type { Api } from '../http/api';
import type { Deps } from '../deps';
import { DELIVERY_CONTRACT } from './docs';
import {
  DeliveryPage, DeliveryParams, DeliveryQuery, DeliverySchema, WebhookCreateBody, WebhookParams, WebhookSchema,
  WebhookUpdateBody, WebhookWithSecret,
} from './schemas';
import {
  createSubscription, deleteSubscription, getSubscription, listDeliveries, listSubscriptions, requireWebhookAdmin,
  retryDelivery, updateSubscription,
} from './subscriptions';

const ADMIN = ['admin'];
const TAGS = ['webhooks'];

/**
 * Webhook subscriptions and their delivery log (administrators of the top-level unit).
 * What a receiver gets and how it verifies the signature: ./docs.ts (and the README).
 */
export function webhookRoutes(api: Api, deps: Deps): void {
  api.add({
    method: 'get', path: '/api/webhooks', summary: 'Webhook subscriptions (secrets are never listed)', tags: TAGS, access: ADMIN, description: DELIVERY_CONTRACT,
    response: Type.Object({ items: Type.Array(WebhookSchema) }), errors: { 403: 'Not an administrator of the top-level unit' },
  }, async ({ user }) => {
    await requireWebhookAdmin(deps, user!);
    return listSubscriptions(deps);
  });

  api.add({
    method: 'post', path: '/api/webhooks', summary: 'Subscribe a URL to topics; the secret is returned once', tags: TAGS, access: ADMIN,
    description: DELIVERY_CONTRACT, body: WebhookCreateBody, response: WebhookWithSecret, status: 201,
    errors: {
      403: 'Not an administrator of the top-level unit', 422: 'Not an http(s) URL, an internal address, short secret, unknown topic',
      503: 'The server has no SECRETS_KEY to store the secret with',
    },
  }, async ({ user, body }) => {
    await requireWebhookAdmin(deps, user!);
    return createSubscription(deps, body);
  });

  api.add({
    method: 'get', path: '/api/webhooks/:id', summary: 'A webhook subscription', tags: TAGS, access: ADMIN,
    params: WebhookParams, response: WebhookSchema, errors: { 403: 'Not an administrator of the top-level unit', 404: 'No such subscription' },
  }, async ({ user, params }) => {
    await requireWebhookAdmin(deps, user!);
    return getSubscription(deps, params.id);
  });

  api.add({
    method: 'patch', path: '/api/webhooks/:id', summary: 'Change the URL or topics, pause or resume, set or rotate the secret', tags: TAGS,
    access: ADMIN, params: WebhookParams, body: WebhookUpdateBody, response: WebhookSchema, description: DELIVERY_CONTRACT,
    errors: {
      403: 'Not an administrator of the top-level unit', 404: 'No such subscription', 422: 'Invalid URL (or an internal address), secret or topic',
      503: 'A new secret cannot be stored: the server has no SECRETS_KEY',
    },
  }, async ({ user, params, body }) => {
    await requireWebhookAdmin(deps, user!);
    return updateSubscription(deps, params.id, body);
  });

  api.add({
    method: 'delete', path: '/api/webhooks/:id', summary: 'Delete a subscription and its delivery log', tags: TAGS, access: ADMIN,
    params: WebhookParams, errors: { 403: 'Not an administrator of the top-level unit', 404: 'No such subscription' },
  }, async ({ user, params }) => {
    await requireWebhookAdmin(deps, user!);
    await deleteSubscription(deps, params.id);
  });

  api.add({
    method: 'get', path: '/api/webhooks/:id/deliveries', summary: 'Delivery log of a subscription, newest first', tags: TAGS, access: ADMIN,
    params: WebhookParams, query: DeliveryQuery, response: DeliveryPage,
    errors: { 403: 'Not an administrator of the top-level unit', 404: 'No such subscription' },
  }, async ({ user, params, query }) => {
    await requireWebhookAdmin(deps, user!);
    return listDeliveries(deps, params.id, query);
  });

  api.add({
    method: 'post', path: '/api/webhooks/:id/deliveries/:deliveryId/retry', summary: 'Send a failed delivery again now', tags: TAGS,
    access: ADMIN, params: DeliveryParams, response: DeliverySchema,
    errors: { 403: 'Not an administrator of the top-level unit', 404: 'No such subscription or delivery', 409: 'Already delivered' },
  }, async ({ user, params }) => {
    await requireWebhookAdmin(deps, user!);
    return retryDelivery(deps, params.id, params.deliveryId);
  });
}
