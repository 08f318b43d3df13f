import type { Api } from '../http/api';
import type { Deps } from '../deps';

/** Webhook subscriptions and their delivery log. */
export function webhookRoutes(_api: Api, _deps: Deps): void {}
