import type { Api } from '../http/api';
import type { Deps } from '../deps';

/** Routes of the stats module. */
export function statsRoutes(_api: Api, _deps: Deps): void {}
