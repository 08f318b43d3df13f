/** What a dossier's page shows once the dossier has left the officer's sight (see useWatchDossier in ./live). Pure. */
import { ApiError } from '../api/client';

/**
 * The error a part of the dossier page shows for what it reads (history, documents, results):
 * none once the dossier is out of sight, when its 403 ("không thuộc đơn vị của bạn") or 404
 * only says again what the page's notice says; any other error, or any error while in sight,
 * as it is.
 */
export const tabError = (error: unknown, outOfSight: boolean): unknown =>
  (outOfSight && error instanceof ApiError && (error.status === 403 || error.status === 404) ? null : error);
