import type { Api } from '../http/api';
import type { Deps } from '../deps';

/** Document upload/download and slips as PDF (stub until the module lands). */
export function fileRoutes(_api: Api, _deps: Deps): void {}
