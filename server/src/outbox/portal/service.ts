/**
 * The national portal connection as the administrators and the dashboard see it: connections,
 * per-province status tables, sync figures per unit, reconciliation and pulls on demand, and
 * the inbound endpoint's entry (./inbound.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Static } from 'typebox';
import type { AuthUser } from '../../auth/middleware';
import type { Deps } from '../../deps';
import { iso } from '../../db/time';
import { HttpError, notFound, type Issue } from '../../http/errors';
import { requireWebhookAdmin, createSubscription, getSubscription, updateSubscription } from '../subscriptions';
import { allowList, checkTarget, RefusedTarget } from '../targets';
import { DELIVERY_POLICY } from '../policy';
import { PortalDown, pullOnline } from './adapter';
import { INBOUND_NAMES } from './names';
import { hashToken, receiveInbound } from './inbound';
import { reconcile } from './reconcile';
import {
  allConnections, connectionsOf, insertConnection, updateConnectionRow, listInbound, listRefusals, recordRefusal, saveStatusTable, storedStatusTable, subscriptionSecret, syncFigures, type ConnectionRow,
} from './repo';
import type { ConnectionCreateBody, ConnectionUpdateBody, StatusTableBody } from './schemas';
import { checkStatusTable, DEFAULT_STATUS_TABLE, STATUS_NAMES, loadStatusTable } from './status';

export { requireWebhookAdmin as requirePortalAdmin };

const newInboundToken = (): string => `pit_${randomBytes(24).toString('base64url')}`;

async function view(deps: Deps, c: ConnectionRow) {
  const sub = await getSubscription(deps, c.subscriptionId);
  return {
    id: c.subscriptionId, province: c.province, username: c.username, agencyCode: c.agencyCode, tokenUrl: c.tokenUrl, syncUrl: sub.url,
    progressUrl: c.progressUrl, queryUrl: c.queryUrl, batchSize: c.batchSize, valueFormat: c.valueFormat === 'strings' ? 'strings' : 'typed', active: sub.active, createdAt: iso(c.createdAt)!,
  };
}

export async function createConnection(deps: Deps, body: Static<typeof ConnectionCreateBody>) {
  const issues: Issue[] = [];
  if (!(await deps.directory.unit(body.province))) issues.push({ path: '/province', message: { vi: `Không có đơn vị "${body.province}"`, en: `No unit "${body.province}"` } });
  await checkUrls(deps, body, issues);
  if (issues.length) throw new HttpError(422, 'PORTAL_CONNECTION_INVALID', { vi: 'Kết nối Cổng DVCQG không hợp lệ', en: 'The portal connection is not valid' }, issues);
  // The sync URL is the subscription's (checked there, with the same guard); the password its secret.
  const sub = await createSubscription(deps, { url: body.syncUrl, secret: body.password, topics: ['dossier.progress'] });
  const inboundToken = body.inboundToken ?? newInboundToken();
  const row = await insertConnection(deps.db, {
    subscriptionId: sub.id, province: body.province, username: body.username, agencyCode: body.agencyCode, tokenUrl: body.tokenUrl,
    progressUrl: body.progressUrl, queryUrl: body.queryUrl, batchSize: body.batchSize ?? 50, valueFormat: body.valueFormat ?? 'typed', inboundTokenHash: hashToken(inboundToken),
    createdAt: deps.clock.now().toISOString(),
  });
  deps.logger.info({ connection: sub.id, province: body.province }, 'national portal connection created');
  return { ...(await view(deps, row)), inboundToken };
}

async function checkUrls(deps: Deps, body: Partial<Record<'tokenUrl' | 'progressUrl' | 'queryUrl', string>>, issues: Issue[]): Promise<void> {
  for (const key of ['tokenUrl', 'progressUrl', 'queryUrl'] as const) {
    const value = body[key];
    if (value === undefined) continue;
    try {
      await checkTarget(new URL(value), allowList(deps.config));
    } catch (e) {
      if (e instanceof RefusedTarget) issues.push({ path: `/${key}`, message: { vi: e.vi, en: e.en } });
      else issues.push({ path: `/${key}`, message: { vi: `"${value}" không phải địa chỉ hợp lệ`, en: `"${value}" is not a valid URL` } });
    }
  }
}

/** Changes a connection: its fields, the password (write-only), pause or resume, a new inbound token (returned once). */
export async function updateConnection(deps: Deps, id: string, body: Static<typeof ConnectionUpdateBody>) {
  await connection(deps, id);
  const issues: Issue[] = [];
  if (body.province !== undefined && !(await deps.directory.unit(body.province))) {
    issues.push({ path: '/province', message: { vi: `Không có đơn vị "${body.province}"`, en: `No unit "${body.province}"` } });
  }
  await checkUrls(deps, body, issues);
  if (issues.length) throw new HttpError(422, 'PORTAL_CONNECTION_INVALID', { vi: 'Kết nối Cổng DVCQG không hợp lệ', en: 'The portal connection is not valid' }, issues);
  // The sync URL, the password and the pause are the subscription's (its own guard checks the URL).
  if (body.syncUrl !== undefined || body.password !== undefined || body.active !== undefined) {
    try {
      await updateSubscription(deps, id, {
        ...(body.syncUrl !== undefined ? { url: body.syncUrl } : {}), ...(body.password !== undefined ? { secret: body.password } : {}),
        ...(body.active !== undefined ? { active: body.active } : {}),
      });
    } catch (e) {
      // The subscription's pointers into this body's fields.
      if (!(e instanceof HttpError) || !e.issues) throw e;
      const field = (p: string): string => p.replace(/^\/url(?=\/|$)/, '/syncUrl').replace(/^\/secret(?=\/|$)/, '/password');
      throw new HttpError(e.status, e.code, e.messages, e.issues.map((i) => ({ ...i, path: field(i.path) })), e.details);
    }
  }
  const inboundToken = body.rotateInboundToken ? newInboundToken() : undefined;
  const row = await updateConnectionRow(deps.db, id, {
    ...(body.province !== undefined ? { province: body.province } : {}), ...(body.username !== undefined ? { username: body.username } : {}),
    ...(body.agencyCode !== undefined ? { agencyCode: body.agencyCode } : {}), ...(body.tokenUrl !== undefined ? { tokenUrl: body.tokenUrl } : {}),
    ...(body.progressUrl !== undefined ? { progressUrl: body.progressUrl } : {}), ...(body.queryUrl !== undefined ? { queryUrl: body.queryUrl } : {}),
    ...(body.batchSize !== undefined ? { batchSize: body.batchSize } : {}), ...(body.valueFormat !== undefined ? { valueFormat: body.valueFormat } : {}), ...(inboundToken ? { inboundTokenHash: hashToken(inboundToken) } : {}),
  });
  if (!row) throw notFound({ vi: 'kết nối Cổng DVCQG', en: 'portal connection' }, id);
  deps.logger.info({ connection: id, fields: Object.keys(body).filter((k) => k !== 'password') }, 'national portal connection changed');
  return { ...(await view(deps, row)), ...(inboundToken ? { inboundToken } : {}) };
}

export async function listConnections(deps: Deps) {
  return { items: await Promise.all((await allConnections(deps.db)).map((c) => view(deps, c))) };
}

async function connection(deps: Deps, id: string): Promise<ConnectionRow> {
  const c = (await connectionsOf(deps.db, [id])).get(id);
  if (!c) throw notFound({ vi: 'kết nối Cổng DVCQG', en: 'portal connection' }, id);
  return c;
}

export async function getStatusTable(deps: Deps, province: string) {
  const stored = await storedStatusTable(deps.db, province);
  let codes = DEFAULT_STATUS_TABLE;
  if (stored !== null) {
    try {
      codes = loadStatusTable(stored);
    } catch (e) {
      throw new HttpError(409, 'PORTAL_STATUS_TABLE_BROKEN', {
        vi: 'Bảng trạng thái đã lưu không hợp lệ: hãy lưu lại một bảng đúng', en: 'The stored status table is not valid: save a correct one',
      }, undefined, { error: (e as Error).message });
    }
  }
  return { province, codes, names: Object.fromEntries(Object.entries(STATUS_NAMES).map(([k, v]) => [k, v])), isDefault: stored === null };
}

export async function putStatusTable(deps: Deps, user: AuthUser, province: string, body: Static<typeof StatusTableBody>) {
  if (!(await deps.directory.unit(province))) throw notFound({ vi: 'đơn vị', en: 'unit' }, province);
  const issues = checkStatusTable(body.codes).map((i) => ({ path: `/codes${i.path}`, message: i.message }));
  if (issues.length) throw new HttpError(422, 'PORTAL_STATUS_TABLE_INVALID', { vi: 'Bảng trạng thái không hợp lệ', en: 'The status table is not valid' }, issues);
  await saveStatusTable(deps.db, province, body.codes, user.id, deps.clock.now().toISOString());
  deps.logger.info({ province, by: user.id }, 'portal status table saved');
  return getStatusTable(deps, province);
}

/** Share synced and sync lag per unit the user sees (Decision 766/QĐ-TTg, public disclosure group). */
export async function syncStats(deps: Deps, user: AuthUser, sinceIso: string | undefined) {
  const since = sinceIso ? new Date(sinceIso).toISOString() : new Date(deps.clock.now().getTime() - 30 * 86_400_000).toISOString();
  const [conn] = await allConnections(deps.db);
  if (!conn) return { connected: false, since, units: [] };
  // The units whose dossiers the user sees (as auth's visibleUnits: administrators and leaders, the units below too).
  const visible = new Set<string>();
  for (const g of user.grants) {
    if (g.role === 'admin' || g.role === 'leader') for (const u of await deps.directory.subtree(g.unit)) visible.add(u);
    else visible.add(g.unit);
  }
  const rows = (await syncFigures(deps.db, conn.subscriptionId, since)).filter((r) => visible.has(r.unit));
  const units = [];
  for (const r of rows) {
    units.push({ ...r, name: (await deps.directory.unit(r.unit))?.name ?? r.unit, share: r.dossiers ? Math.round((r.synced / r.dossiers) * 1000) / 1000 : null });
  }
  return { connected: true, since, units };
}

export async function reconcileNow(deps: Deps, id: string) {
  return reconcile(deps, await connection(deps, id));
}

/** Pulls the online dossiers waiting on the portal and receives each (once by its portal id). */
export async function pullNow(deps: Deps, id: string) {
  const conn = await connection(deps, id);
  const out = { received: 0, duplicates: 0, refused: [] as { portalId: string; status: number; message: string }[], error: null as string | null };
  let items: unknown[];
  try {
    items = await pullOnline(deps, conn, await subscriptionSecret(deps, conn.subscriptionId), { timeoutMs: DELIVERY_POLICY.timeoutMs });
  } catch (e) {
    if (!(e instanceof PortalDown)) throw e;
    out.error = e.message;
    return out;
  }
  for (const item of items) {
    const named = (item as { [k: string]: unknown } | null)?.[INBOUND_NAMES.MaHoSoQG];
    const portalId = typeof named === 'string' && named ? named.slice(0, 100) : `(không có)${createHash('sha256').update(JSON.stringify(item ?? null)).digest('hex').slice(0, 16)}`;
    try {
      const r = await receiveInbound(deps, conn, item);
      if (r.body.duplicate) out.duplicates++;
      else out.received++;
    } catch (e) {
      if (!(e instanceof HttpError) || e.status >= 500) throw e;
      const message = [e.messages.vi, ...(e.issues ?? []).map((i) => `${i.path}: ${i.message.vi}`)].join('; ');
      out.refused.push({ portalId, status: e.status, message });
      // The inbound log's visible entry: a pull has no one to answer, so the refusal is kept (not the dossier).
      const field = (k: string): string | null => {
        const v = (item as Record<string, unknown> | null)?.[k];
        return typeof v === 'string' ? v.slice(0, 100) : null;
      };
      await recordRefusal(deps.db, {
        subscriptionId: conn.subscriptionId, portalId, unit: field('MaDonVi'), procedureCode: field('MaTTHC'), status: e.status,
        error: { code: e.code, message: e.messages, issues: (e.issues ?? []).map((i) => ({ path: i.path, message: i.message })) }, payload: item ?? null,
      }, deps.clock.now().toISOString());
      deps.logger.warn({ portalId, message }, 'online dossier pulled from the portal refused');
    }
  }
  return out;
}

export { receiveInbound, listInbound, listRefusals };

/** The scheduled round (../jobs.ts): for each connection, pull the online dossiers waiting, then reconcile. */
export async function portalRound(deps: Deps): Promise<void> {
  for (const c of await allConnections(deps.db)) {
    const pulled = await pullNow(deps, c.subscriptionId);
    if (pulled.received || pulled.refused.length || pulled.error) deps.logger.info({ connection: c.subscriptionId, ...pulled }, 'portal: online dossiers pulled');
    const r = await reconcile(deps, c);
    if (r.resent || r.error) deps.logger.info({ connection: c.subscriptionId, resent: r.resent, error: r.error }, 'portal: reconciliation');
  }
}
