/**
 * The national portal connection as the administrators and the dashboard see it: connections,
 * per-province status tables, sync figures per unit, reconciliation and pulls on demand, and
 * the inbound endpoint's entry (./inbound.ts).
 */
import { randomBytes } from 'node:crypto';
import type { Static } from 'typebox';
import type { AuthUser } from '../../auth/middleware';
import type { Deps } from '../../deps';
import { iso } from '../../db/time';
import { HttpError, notFound, type Issue } from '../../http/errors';
import { requireWebhookAdmin, createSubscription, getSubscription } from '../subscriptions';
import { allowList, checkTarget, RefusedTarget } from '../targets';
import { DELIVERY_POLICY } from '../policy';
import { PortalDown, pullOnline } from './adapter';
import { hashToken, receiveInbound } from './inbound';
import { reconcile } from './reconcile';
import {
  allConnections, connectionsOf, insertConnection, listInbound, saveStatusTable, storedStatusTable, subscriptionSecret, syncFigures, type ConnectionRow,
} from './repo';
import type { ConnectionCreateBody, StatusTableBody } from './schemas';
import { checkStatusTable, DEFAULT_STATUS_TABLE, STATUS_NAMES, loadStatusTable } from './status';

export { requireWebhookAdmin as requirePortalAdmin };

async function view(deps: Deps, c: ConnectionRow) {
  const sub = await getSubscription(deps, c.subscriptionId);
  return {
    id: c.subscriptionId, province: c.province, username: c.username, agencyCode: c.agencyCode, tokenUrl: c.tokenUrl, syncUrl: sub.url,
    progressUrl: c.progressUrl, queryUrl: c.queryUrl, batchSize: c.batchSize, active: sub.active, createdAt: iso(c.createdAt)!,
  };
}

export async function createConnection(deps: Deps, body: Static<typeof ConnectionCreateBody>) {
  const issues: Issue[] = [];
  if (!(await deps.directory.unit(body.province))) issues.push({ path: '/province', message: { vi: `Không có đơn vị "${body.province}"`, en: `No unit "${body.province}"` } });
  for (const key of ['tokenUrl', 'progressUrl', 'queryUrl'] as const) {
    try {
      await checkTarget(new URL(body[key]), allowList(deps.config));
    } catch (e) {
      if (e instanceof RefusedTarget) issues.push({ path: `/${key}`, message: { vi: e.vi, en: e.en } });
      else issues.push({ path: `/${key}`, message: { vi: `"${body[key]}" không phải địa chỉ hợp lệ`, en: `"${body[key]}" is not a valid URL` } });
    }
  }
  if (issues.length) throw new HttpError(422, 'PORTAL_CONNECTION_INVALID', { vi: 'Kết nối Cổng DVCQG không hợp lệ', en: 'The portal connection is not valid' }, issues);
  // The sync URL is the subscription's (checked there, with the same guard); the password its secret.
  const sub = await createSubscription(deps, { url: body.syncUrl, secret: body.password, topics: ['dossier.progress'] });
  const inboundToken = body.inboundToken ?? `pit_${randomBytes(24).toString('base64url')}`;
  const row = await insertConnection(deps.db, {
    subscriptionId: sub.id, province: body.province, username: body.username, agencyCode: body.agencyCode, tokenUrl: body.tokenUrl,
    progressUrl: body.progressUrl, queryUrl: body.queryUrl, batchSize: body.batchSize ?? 50, inboundTokenHash: hashToken(inboundToken),
    createdAt: deps.clock.now().toISOString(),
  });
  deps.logger.info({ connection: sub.id, province: body.province }, 'national portal connection created');
  return { ...(await view(deps, row)), inboundToken };
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
    const portalId = String((item as { MaHoSoQG?: unknown })?.MaHoSoQG ?? '');
    try {
      const r = await receiveInbound(deps, item);
      if (r.body.duplicate) out.duplicates++;
      else out.received++;
    } catch (e) {
      if (!(e instanceof HttpError) || e.status >= 500) throw e;
      const message = [e.messages.vi, ...(e.issues ?? []).map((i) => `${i.path}: ${i.message.vi}`)].join('; ');
      out.refused.push({ portalId, status: e.status, message });
      deps.logger.warn({ portalId, message }, 'online dossier pulled from the portal refused');
    }
  }
  return out;
}

export { receiveInbound, listInbound };

/** The scheduled round (../jobs.ts): for each connection, pull the online dossiers waiting, then reconcile. */
export async function portalRound(deps: Deps): Promise<void> {
  for (const c of await allConnections(deps.db)) {
    const pulled = await pullNow(deps, c.subscriptionId);
    if (pulled.received || pulled.refused.length || pulled.error) deps.logger.info({ connection: c.subscriptionId, ...pulled }, 'portal: online dossiers pulled');
    const r = await reconcile(deps, c);
    if (r.resent || r.error) deps.logger.info({ connection: c.subscriptionId, resent: r.resent, error: r.error }, 'portal: reconciliation');
  }
}
