import Type from 'typebox';
import type { Api } from '../../http/api';
import type { Deps } from '../../deps';
import {
  ConnectionCreateBody, ConnectionSchema, ConnectionUpdateBody, ConnectionUpdated, ConnectionWithToken, IdParams, InboundAnswer, InboundBody, InboundList, ProvinceParams, PullSchema,
  ReconcileSchema, StatusTableBody, StatusTableSchema, SyncFigures, SyncQuery,
} from './schemas';
import {
  createConnection, getStatusTable, listConnections, listInbound, listRefusals, pullNow, putStatusTable, receiveInbound, reconcileNow, requirePortalAdmin, syncStats, updateConnection,
} from './service';
import { inboundConnection } from './inbound';

const ADMIN = ['admin'];
const READERS = ['admin', 'leader', 'desk', 'specialist'];
const TAGS = ['portal'];
const ADMIN_ONLY = { 403: 'Not an administrator of the top-level unit' };

/** The national portal (DVCQG): connection, status table, sync figures, reconciliation, inbound online dossiers. */
export function portalRoutes(api: Api, deps: Deps): void {
  api.add({
    method: 'get', path: '/api/portal/connections', summary: 'National portal connections (passwords are never listed)', tags: TAGS, access: ADMIN,
    response: Type.Object({ items: Type.Array(ConnectionSchema) }), errors: ADMIN_ONLY,
  }, async ({ user }) => {
    await requirePortalAdmin(deps, user!);
    return listConnections(deps);
  });

  api.add({
    method: 'post', path: '/api/portal/connections', summary: 'Connect to the national portal; the inbound token is returned once', tags: TAGS,
    access: ADMIN, body: ConnectionCreateBody, response: ConnectionWithToken, status: 201,
    errors: { ...ADMIN_ONLY, 422: 'Unknown province, refused or invalid URL', 503: 'The server has no SECRETS_KEY to store the password with' },
  }, async ({ user, body }) => {
    await requirePortalAdmin(deps, user!);
    return createConnection(deps, body);
  });

  api.add({
    method: 'patch', path: '/api/portal/connections/:id', summary: 'Change a portal connection: fields, password (write-only), pause or resume, a new inbound token (returned once)',
    tags: TAGS, access: ADMIN, params: IdParams, body: ConnectionUpdateBody, response: ConnectionUpdated,
    errors: { ...ADMIN_ONLY, 404: 'No such connection', 422: 'Unknown province, refused or invalid URL', 503: 'The server has no SECRETS_KEY to store the password with' },
  }, async ({ user, params, body }) => {
    await requirePortalAdmin(deps, user!);
    return updateConnection(deps, params.id, body);
  });

  api.add({
    method: 'get', path: '/api/portal/status-table/:province', summary: 'The province\'s status table (internal state → portal code 1–10)', tags: TAGS,
    access: ADMIN, params: ProvinceParams, response: StatusTableSchema, errors: { ...ADMIN_ONLY, 409: 'The stored table is not valid' },
  }, async ({ user, params }) => {
    await requirePortalAdmin(deps, user!);
    return getStatusTable(deps, params.province);
  });

  api.add({
    method: 'put', path: '/api/portal/status-table/:province', summary: 'Replace the province\'s status table (checked whole: every state, codes 1–10)',
    tags: TAGS, access: ADMIN, params: ProvinceParams, body: StatusTableBody, response: StatusTableSchema,
    errors: { ...ADMIN_ONLY, 404: 'No such unit', 422: 'A state missing or unknown, a code outside 1–10' },
  }, async ({ user, params, body }) => {
    await requirePortalAdmin(deps, user!);
    return putStatusTable(deps, user!, params.province, body);
  });

  api.add({
    method: 'post', path: '/api/portal/connections/:id/reconcile', summary: 'Compare the portal\'s view with motcua\'s and send again what differs',
    tags: TAGS, access: ADMIN, params: IdParams, response: ReconcileSchema, errors: { ...ADMIN_ONLY, 404: 'No such connection' },
  }, async ({ user, params }) => {
    await requirePortalAdmin(deps, user!);
    return reconcileNow(deps, params.id);
  });

  api.add({
    method: 'post', path: '/api/portal/connections/:id/pull', summary: 'Pull the online dossiers waiting on the portal now', tags: TAGS,
    access: ADMIN, params: IdParams, response: PullSchema, errors: { ...ADMIN_ONLY, 404: 'No such connection' },
  }, async ({ user, params }) => {
    await requirePortalAdmin(deps, user!);
    return pullNow(deps, params.id);
  });

  api.add({
    method: 'get', path: '/api/portal/inbound', summary: 'Online dossiers received from the portal, newest first, and the pulled ones refused (latest first)', tags: TAGS, access: ADMIN,
    response: InboundList, errors: ADMIN_ONLY,
  }, async ({ user }) => {
    await requirePortalAdmin(deps, user!);
    return { items: await listInbound(deps.db, 200), refused: await listRefusals(deps.db, 200) };
  });

  api.add({
    method: 'get', path: '/api/portal/sync', summary: 'Share of dossiers synced to the portal and sync lag per unit (Decision 766/QĐ-TTg)', tags: TAGS,
    access: READERS, query: SyncQuery, response: SyncFigures,
  }, async ({ user, query }) => syncStats(deps, user!, query.since));

  api.add({
    method: 'post', path: '/api/portal/inbound', summary: 'The portal pushes an online dossier (X-Portal-Token); received once by MaHoSoQG', tags: TAGS,
    access: 'public', body: InboundBody, response: InboundAnswer, status: 201,
    description: '201: received, waiting for acceptance at the desk. 200 with `duplicate: true`: this MaHoSoQG was received before (the same dossier code). '
      + '401: no or wrong X-Portal-Token. 403: the connection is disabled. 422: not valid (JSON pointers), an unknown procedure (/MaTTHC) or unit (/MaDonVi), '
      + 'or a unit outside the connection\'s province (/MaDonVi, code PORTAL_UNIT_OUTSIDE_PROVINCE). '
      + '409: this MaHoSoQG was received for a unit of another province (/MaHoSoQG, code PORTAL_ID_TAKEN).',
    errors: {
      200: 'Already received (duplicate)', 401: 'No or wrong X-Portal-Token', 403: 'The connection is disabled',
      409: 'This MaHoSoQG was received for a unit of another province',
      422: 'Invalid dossier, unknown procedure or unit, a unit outside the connection\'s province',
    },
  }, async ({ req, res, body }) => {
    const conn = await inboundConnection(deps, req.get('X-Portal-Token'));
    const r = await receiveInbound(deps, conn, body);
    res.status(r.status).json(r.body);
    return undefined;
  });
}
