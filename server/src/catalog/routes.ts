import type { Api } from '../http/api';
import type { Deps } from '../deps';

/** Routes of the catalog module. */
export function catalogRoutes(_api: Api, _deps: Deps): void {}
