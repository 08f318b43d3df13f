/**
 * Online dossiers submitted on the national portal (or VNeID) coming into motcua: pushed by
 * the portal to POST /api/portal/inbound (authenticated by the connection's inbound token),
 * or pulled from the portal's queue ("LayHoSoTrucTuyen"). Each is received once by the
 * portal's dossier id (`MaHoSoQG`): a repeat answers with the dossier already made. It lands
 * as an online dossier at the intake step of the receiving desk — waiting for acceptance in
 * the desk's inbox — and its status goes back to the portal through the outbox like every
 * other dossier's (the record carries `MaHoSoQG`).
 */
import { createHash } from 'node:crypto';
import { eq, or, sql } from 'drizzle-orm';
import type { Actor } from '@motcua/engine';
import type { Deps } from '../../deps';
import { procedures, webhookSubscriptions } from '../../db/schema';
import { isUniqueViolation } from '../../db/errors';
import { HttpError, type Issue } from '../../http/errors';
import { submitOnline } from '../../online/service';
import { connectionByInboundToken, inboundByPortalId, insertInbound, type ConnectionRow } from './repo';
import { describeErrors, validators, type InboundDossier } from './schema';
import { inboundFromPortal, inboundPointer } from './names';

/** Who receives a portal dossier in the history: the portal itself. */
export const PORTAL_ACTOR: Actor = { id: 'dvcqg', name: 'Cổng Dịch vụ công quốc gia', kind: 'system', grants: [] };

export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** The connection whose inbound token this is; 401 otherwise. */
export async function inboundConnection(deps: Deps, token: string | undefined): Promise<ConnectionRow> {
  const conn = token ? await connectionByInboundToken(deps.db, hashToken(token)) : null;
  if (!conn) {
    throw new HttpError(401, 'PORTAL_TOKEN_INVALID', {
      vi: 'Thiếu hoặc sai mã xác thực của Cổng DVCQG (tiêu đề X-Portal-Token)', en: 'Missing or wrong portal token (X-Portal-Token header)',
    });
  }
  // A connection paused by its administrator takes nothing in (its outbound sync is paused too).
  const [sub] = await deps.db.select({ active: webhookSubscriptions.active }).from(webhookSubscriptions).where(eq(webhookSubscriptions.id, conn.subscriptionId));
  if (!sub?.active) {
    throw new HttpError(403, 'PORTAL_CONNECTION_DISABLED', {
      vi: 'Kết nối Cổng DVCQG này đang tạm dừng: không tiếp nhận hồ sơ', en: 'This portal connection is disabled: it receives no dossiers',
    });
  }
  return conn;
}

const invalid = (issues: Issue[]): HttpError =>
  new HttpError(422, 'PORTAL_DOSSIER_INVALID', { vi: 'Hồ sơ từ Cổng DVCQG không hợp lệ', en: 'The dossier from the portal is not valid' }, issues);

/** The procedure a portal code names: the national code, or the published code with its agency suffix. */
async function procedureOf(deps: Deps, code: string): Promise<string | null> {
  const national = /^\d\.\d{6}/.exec(code)?.[0] ?? code;
  const rows = await deps.db.select({ id: procedures.id }).from(procedures)
    .where(or(eq(procedures.code, code), eq(procedures.code, national))).orderBy(sql`${procedures.code} = ${code} desc`).limit(1);
  return rows[0]?.id ?? null;
}

export interface InboundResult {
  status: 200 | 201;
  body: { portalId: string; dossierId: string; duplicate: boolean };
}

/**
 * A connection speaks for one province: a dossier for a unit outside the province's territory
 * (its tree and the vertical agencies it holds) is not its to send, whatever the unit.
 */
async function outsideProvince(deps: Deps, conn: ConnectionRow, unit: string): Promise<Issue | null> {
  if ((await deps.directory.territory(conn.province)).includes(unit)) return null;
  const province = (await deps.directory.unit(conn.province))?.name ?? conn.province;
  return { path: '/MaDonVi', message: {
    vi: `Đơn vị "${unit}" không thuộc ${province} (${conn.province}): kết nối này chỉ nhận hồ sơ của các đơn vị trong tỉnh`,
    en: `Unit "${unit}" is not within ${province} (${conn.province}): this connection only receives dossiers for units of its province`,
  } };
}

/**
 * The answer to a portal id received before: the dossier made then, when it is this
 * connection's to know (its unit within the connection's province). Another province's
 * connection naming a unit of its own with the same id learns nothing of it: 409.
 */
async function duplicateOf(deps: Deps, conn: ConnectionRow, d: InboundDossier, existing: { dossierId: string; unit: string }): Promise<InboundResult> {
  if (!(await deps.directory.territory(conn.province)).includes(existing.unit)) {
    const message = {
      vi: `Mã hồ sơ "${d.MaHoSoQG}" đã được tiếp nhận cho một đơn vị ngoài tỉnh của kết nối này`,
      en: `Portal dossier "${d.MaHoSoQG}" was already received for a unit outside this connection's province`,
    };
    throw new HttpError(409, 'PORTAL_ID_TAKEN', message, [{ path: '/MaHoSoQG', message }]);
  }
  return { status: 200, body: { portalId: d.MaHoSoQG, dossierId: existing.dossierId, duplicate: true } };
}

/** Receives one online dossier from the portal through a connection, once by its portal id. */
export async function receiveInbound(deps: Deps, conn: ConnectionRow, received: unknown): Promise<InboundResult> {
  // In motcua's keys (./names.ts); every pointer answered goes back in the portal's names.
  const input = inboundFromPortal(received);
  try {
    return await receive(deps, conn, input);
  } catch (e) {
    if (e instanceof HttpError && e.issues?.length) throw new HttpError(e.status, e.code, e.messages, e.issues.map((i) => ({ ...i, path: inboundPointer(i.path) })), e.details);
    throw e;
  }
}

async function receive(deps: Deps, conn: ConnectionRow, input: unknown): Promise<InboundResult> {
  const v = validators().inbound;
  if (!v(input)) {
    throw invalid(describeErrors(v.errors).map((e) => ({ path: e.path, message: { vi: `Trường ${e.path || '(gốc)'}: ${e.message}`, en: `${e.path || '(root)'} ${e.message}` } })));
  }
  const d = input as InboundDossier;
  // Before the duplicate answer: another province's connection learns nothing of this one's dossiers.
  if (await deps.directory.unit(d.MaDonVi)) {
    const outside = await outsideProvince(deps, conn, d.MaDonVi);
    if (outside) {
      throw new HttpError(422, 'PORTAL_UNIT_OUTSIDE_PROVINCE', {
        vi: 'Hồ sơ từ Cổng DVCQG thuộc đơn vị ngoài tỉnh của kết nối', en: 'The dossier from the portal is for a unit outside the connection\'s province',
      }, [outside]);
    }
  }
  const existing = await inboundByPortalId(deps.db, d.MaHoSoQG);
  if (existing) return duplicateOf(deps, conn, d, existing);
  const issues: Issue[] = [];
  const procedureId = await procedureOf(deps, d.MaTTHC);
  if (!procedureId) {
    issues.push({ path: '/MaTTHC', message: {
      vi: `Thủ tục "${d.MaTTHC}" không có trong danh mục của tỉnh`, en: `Procedure "${d.MaTTHC}" is not in the province's catalogue`,
    } });
  }
  const unit = await deps.directory.unit(d.MaDonVi);
  if (!unit) {
    issues.push({ path: '/MaDonVi', message: { vi: `Không có đơn vị "${d.MaDonVi}"`, en: `No unit "${d.MaDonVi}"` } });
  } else if (!unit.oneStop) {
    issues.push({ path: '/MaDonVi', message: {
      vi: `Đơn vị "${d.MaDonVi}" không có Bộ phận Một cửa để tiếp nhận`, en: `Unit "${d.MaDonVi}" has no one-stop desk to receive it`,
    } });
  }
  if (!d.MaDoiTuong) {
    issues.push({ path: '/MaDoiTuong', message: {
      vi: 'Thiếu số định danh cá nhân của người nộp (MaDoiTuong): hồ sơ trực tuyến gắn với người nộp', en: 'The applicant\'s personal ID (MaDoiTuong) is missing: an online dossier belongs to its applicant',
    } });
  }
  if (issues.length) throw invalid(issues);
  const now = deps.clock.now().toISOString();
  try {
    // The online service lands it (source "portal", once by the portal's id) with the portal as the actor.
    const out = await submitOnline(deps, {
      procedureId: procedureId!, receivingUnit: d.MaDonVi,
      applicant: {
        id: d.MaDoiTuong!, name: d.ChuHoSo, ...(d.DiaChi ? { address: d.DiaChi } : {}),
        ...(d.SoDienThoai ? { phone: d.SoDienThoai } : {}), ...(d.Email ? { email: d.Email } : {}),
      },
      // `portalDossierId` must stay: the sync record's MaHoSoQG is read from it (facts.ts).
      data: { ...(d.DuLieu ?? {}), portalDossierId: d.MaHoSoQG, ...(d.TrichYeuHoSo ? { summary: d.TrichYeuHoSo } : {}) },
      papers: [], ticked: d.ThanhPhanHoSo ?? [],
    }, {
      source: 'portal', externalId: d.MaHoSoQG, uploadedBy: PORTAL_ACTOR.id, actor: PORTAL_ACTOR, fingerprint: { portalId: d.MaHoSoQG },
      alsoInTx: (tx, dossierId) => insertInbound(tx as never, { portalId: d.MaHoSoQG, dossierId, procedureCode: d.MaTTHC, unit: d.MaDonVi, payload: d, receivedAt: now }),
    });
    const dossierId = out.body.id;
    if (out.replayed) {
      // Received meanwhile (the inbound row is written in the same transaction): answered by the same rule as above.
      const again = await inboundByPortalId(deps.db, d.MaHoSoQG);
      return duplicateOf(deps, conn, d, again ?? { dossierId, unit: d.MaDonVi });
    }
    deps.logger.info({ portalId: d.MaHoSoQG, dossier: dossierId }, 'online dossier received from the national portal');
    return { status: 201, body: { portalId: d.MaHoSoQG, dossierId, duplicate: false } };
  } catch (e) {
    // The same portal dossier pushed twice at once: the other request made it.
    if (isUniqueViolation(e)) {
      const again = await inboundByPortalId(deps.db, d.MaHoSoQG);
      if (again) return duplicateOf(deps, conn, d, again);
    }
    if (e instanceof HttpError && e.status === 422) {
      // The online service's pointers (its body's /data, /papers, /ticked, /procedureId) into the portal's fields.
      const field = (path: string): string => path.replace(/^\/data(?=\/|$)/, '/DuLieu').replace(/^\/(papers|ticked)(?=\/|$)/, '/ThanhPhanHoSo').replace(/^\/procedureId$/, '/MaTTHC');
      throw new HttpError(422, e.code, e.messages, (e.issues ?? []).map((i) => ({ ...i, path: field(i.path) })));
    }
    throw e;
  }
}
