import type { Api } from '../http/api';
import type { Deps } from '../deps';

/** Routes of the admin module. */
export function adminRoutes(_api: Api, _deps: Deps): void {}
