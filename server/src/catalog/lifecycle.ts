/**
 * The life of a procedure version: create (version 1 draft), save a draft, start a new
 * draft, publish with an effective date (the previous version's end set in the same
 * transaction), retire. Bus messages go out only after commit.
 */
import { localDay, localInstant, offsetSuffix, type ProcedureDefinition, type ValidationIssue } from '@motcua/engine';
import { hasNonDraft, insertProcedureIfAbsent, insertVersion, publishedBefore, reopenPublished, updateVersion, versionsOf } from './repo';
import { HttpError } from '../http/errors';
import type { Deps } from '../deps';
import type { Tx } from '../db/client';
import {
  checkDefinition, definitionInvalid, errorsOf, type Finding, type Notice,
} from './definitions';
import { publishGate } from './gate';
import {
  forgetVersions, headOf, immutable, iso, lockProcedure, ms, nowIso, requireVersion, setHead, versionInfo, type VersionRow,
} from './service';

export type VersionInfo = ReturnType<typeof versionInfo>;

/**
 * Records a change inside its own transaction (the route's audit entry): the change and its
 * record commit together or not at all.
 */
export type RecordChange<T> = (tx: Tx, result: T) => Promise<void>;
const none = async (): Promise<void> => {};

export interface SavedVersion extends VersionInfo {
  procedureId: string;
  definition: ProcedureDefinition;
  /** What the server changed in the definition it was sent (e.g. the version number). */
  notices: Notice[];
  /** Warnings of the validation (errors are refused with 422). */
  warnings: ValidationIssue[];
}

const saved = (row: VersionRow, notices: Notice[], warnings: ValidationIssue[]): SavedVersion => ({
  procedureId: row.procedureId, ...versionInfo(row), definition: row.definition as ProcedureDefinition, notices, warnings,
});

const warningsOf = (issues: ValidationIssue[]): ValidationIssue[] => issues.filter((i) => i.severity === 'warning');

const badDate = (path: string, value: string): HttpError => new HttpError(422, 'VALIDATION_FAILED', {
  vi: 'Ngày hiệu lực không hợp lệ', en: 'Invalid effective date',
}, [{ path, message: {
  vi: `"${value}" không phải ngày giờ hợp lệ; dùng dạng 2026-04-01 hoặc 2026-04-01T08:00:00+07:00`,
  en: `"${value}" is not a valid date; use 2026-04-01 or 2026-04-01T08:00:00+07:00`,
} }]);

/**
 * Parses an ISO 8601 instant. A date alone means midnight in Vietnam, a time without an
 * offset means Vietnam time (UTC+7); throws 422 pointing at `path` otherwise.
 */
export function parseInstant(value: string, path: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?$/.exec(value);
  if (!m) throw badDate(path, value);
  const [, y, mo, d, h, mi, , zone] = m;
  const probe = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (probe.getUTCMonth() !== Number(mo) - 1 || probe.getUTCDate() !== Number(d) || Number(h ?? 0) > 23 || Number(mi ?? 0) > 59) {
    throw badDate(path, value);
  }
  const text = h === undefined ? localInstant(value) : zone === undefined ? `${value}${offsetSuffix()}` : value;
  const at = new Date(text);
  if (Number.isNaN(at.getTime()) || at.getUTCFullYear() < 1900 || at.getUTCFullYear() > 9999) throw badDate(path, value);
  return at;
}

/** Creates a procedure from a definition: its id becomes the procedure id, version 1, draft. */
export async function createProcedure(deps: Deps, input: unknown, record: RecordChange<SavedVersion> = none): Promise<SavedVersion> {
  const checked = checkDefinition(input, { version: 1 }, '/definition');
  if (!checked.ok) throw definitionInvalid(errorsOf(checked.issues));
  const def = checked.definition;
  const row = await deps.db.transaction(async (tx) => {
    if (!(await insertProcedureIfAbsent(tx, { id: def.id, ...headOf(def) }))) {
      throw new HttpError(409, 'PROCEDURE_EXISTS', {
        vi: `Đã có thủ tục mã "${def.id}"; sửa bản nháp của nó hoặc tạo bản nháp mới`,
        en: `Procedure "${def.id}" already exists; edit its draft or create a new draft`,
      });
    }
    const now = nowIso(deps);
    const inserted = await insertVersion(tx, { procedureId: def.id, version: 1, status: 'draft', definition: def, createdAt: now, updatedAt: now });
    const out = saved(inserted, checked.notices, warningsOf(checked.issues));
    await record(tx, out);
    return out;
  });
  return row;
}

/** Replaces the definition of a draft; a published or retired version answers 409. */
export async function saveDraft(deps: Deps, id: string, version: number, input: unknown, record: RecordChange<SavedVersion> = none): Promise<SavedVersion> {
  const checked = checkDefinition(input, { id, version }, '/definition');
  const row = await deps.db.transaction(async (tx) => {
    await lockProcedure(tx, id);
    const current = await requireVersion(tx, id, version);
    if (current.status !== 'draft') throw immutable(id, current);
    if (!checked.ok) throw definitionInvalid(errorsOf(checked.issues));
    const updated = await updateVersion(tx, id, version, { definition: checked.definition, updatedAt: nowIso(deps) });
    // Until something is published the procedure row shows the draft's code and name.
    if (!(await hasNonDraft(tx, id))) await setHead(tx, id, checked.definition);
    const out = saved(updated!, checked.notices, warningsOf(checked.issues));
    await record(tx, out);
    return out;
  });
  return row;
}

/**
 * Starts a new draft (next version number) from `from`, else the latest published version,
 * else the latest version; 409 when the procedure already has a draft.
 */
export async function createDraft(deps: Deps, id: string, from?: number, record: RecordChange<SavedVersion> = none): Promise<SavedVersion> {
  const row = await deps.db.transaction(async (tx) => {
    await lockProcedure(tx, id);
    const rows = (await versionsOf(tx, id)).reverse();
    const draft = rows.find((r) => r.status === 'draft');
    if (draft) {
      throw new HttpError(409, 'DRAFT_EXISTS', {
        vi: `Thủ tục "${id}" đã có bản nháp (phiên bản ${draft.version}); sửa bản nháp đó`,
        en: `Procedure "${id}" already has a draft (version ${draft.version}); edit that draft`,
      }, undefined, { draftVersion: draft.version });
    }
    const base = from !== undefined ? await requireVersion(tx, id, from) : (rows.find((r) => r.status === 'published') ?? rows[0]);
    if (!base) throw new HttpError(409, 'NO_BASE_VERSION', { vi: `Thủ tục "${id}" chưa có phiên bản nào`, en: `Procedure "${id}" has no version yet` });
    const version = (rows[0]?.version ?? 0) + 1;
    const now = nowIso(deps);
    const definition = { ...(base.definition as ProcedureDefinition), version };
    const inserted = await insertVersion(tx, { procedureId: id, version, status: 'draft', definition, createdAt: now, updatedAt: now });
    const out = saved(inserted, [], []);
    await record(tx, out);
    return out;
  });
  return row;
}

export interface PublishResult extends VersionInfo {
  procedureId: string;
  /** The version in force before, whose end was set to this one's start. */
  previous: { version: number; effectiveTo: string | null } | null;
  /** Warnings and notes of the validation and analysis (errors refuse publishing). */
  findings: Finding[];
}

/**
 * An effective date before today (Vietnam time) rewrites which version was in force for
 * days already past, so it needs a stated reason (recorded in the audit log by the route).
 * A time earlier today is not backdating: effective dates are days in decisions.
 */
export function requireBackdatingReason(from: Date, now: Date, reason: string | undefined): void {
  const today = new Date(localInstant(localDay(now)));
  if (from.getTime() >= today.getTime() || (reason ?? '').trim().length > 0) return;
  throw new HttpError(422, 'EFFECTIVE_FROM_IN_PAST', {
    vi: `Ngày hiệu lực ${localDay(from)} đã qua; chọn từ hôm nay (${localDay(now)}) trở đi, hoặc ghi lý do áp dụng hồi tố (backdatingReason)`,
    en: `The effective date ${localDay(from)} is in the past; choose today (${localDay(now)}) or later, or give a backdating reason (backdatingReason)`,
  }, [{ path: '/effectiveFrom', message: { vi: 'Ngày hiệu lực đã qua, cần lý do hồi tố', en: 'Effective date in the past needs a backdating reason' } }]);
}

/**
 * Publishes a draft from `effectiveFrom` (default now): validates, analyses (error findings
 * refuse it), marks it published, and ends the previous published version at its start.
 * A date before today needs `backdatingReason`.
 */
export async function publishVersion(
  deps: Deps, id: string, version: number, options: { effectiveFrom?: Date; backdatingReason?: string; by: string }, record: RecordChange<PublishResult> = none,
): Promise<PublishResult> {
  const from = options.effectiveFrom ?? deps.clock.now();
  requireBackdatingReason(from, deps.clock.now(), options.backdatingReason);
  const result = await deps.db.transaction(async (tx) => {
    await lockProcedure(tx, id);
    const row = await requireVersion(tx, id, version);
    if (row.status !== 'draft') {
      throw new HttpError(409, 'VERSION_NOT_DRAFT', {
        vi: `Phiên bản ${version} của thủ tục "${id}" đã ${row.status === 'published' ? 'được công bố' : 'ngừng áp dụng'}; chỉ công bố được bản nháp`,
        en: `Version ${version} of procedure "${id}" is already ${row.status}; only a draft can be published`,
      }, undefined, { status: row.status });
    }
    const checked = checkDefinition(row.definition, { id, version });
    // The same gate as POST /api/procedures/validate (gate.ts).
    const analysis = checked.ok ? await publishGate(tx, checked.definition, from) : { errors: [], notes: [] };
    const blockers: Finding[] = checked.ok
      ? analysis.errors
      : errorsOf(checked.issues).map((i) => ({ ...i, severity: 'error' }));
    if (blockers.length > 0) {
      throw new HttpError(422, 'PUBLISH_BLOCKED', {
        vi: `Không công bố được phiên bản ${version}: ${blockers.length} lỗi trong định nghĩa (vị trí tính trong định nghĩa)`,
        en: `Version ${version} cannot be published: ${blockers.length} error(s) in the definition (pointers into the definition)`,
      }, blockers);
    }
    const previous = await publishedBefore(tx, id, version);
    if (previous?.effectiveFrom && ms(previous.effectiveFrom) >= from.getTime()) {
      throw new HttpError(422, 'EFFECTIVE_FROM_TOO_EARLY', {
        vi: `Ngày hiệu lực phải sau ngày hiệu lực của phiên bản ${previous.version} (${iso(previous.effectiveFrom)})`,
        en: `The effective date must be after that of version ${previous.version} (${iso(previous.effectiveFrom)})`,
      }, [{ path: '/effectiveFrom', message: { vi: 'Ngày hiệu lực quá sớm', en: 'Effective date too early' } }]);
    }
    const now = nowIso(deps);
    const published = await updateVersion(tx, id, version, {
      status: 'published', definition: checked.definition, effectiveFrom: from.toISOString(), effectiveTo: null,
      publishedAt: now, publishedBy: options.by, updatedAt: now,
    });
    let prev: PublishResult['previous'] = null;
    if (previous) {
      const end = previous.effectiveTo && ms(previous.effectiveTo) <= from.getTime() ? previous.effectiveTo : from.toISOString();
      await updateVersion(tx, id, previous.version, { effectiveTo: end, updatedAt: now });
      prev = { version: previous.version, effectiveTo: iso(end) };
    }
    await setHead(tx, id, checked.definition);
    const findings: Finding[] = [...warningsOf(checked.issues).map((i) => ({ ...i, severity: 'warning' })), ...analysis.notes];
    const out: PublishResult = { procedureId: id, ...versionInfo(published!), previous: prev, findings };
    await record(tx, out);
    return out;
  });
  forgetVersions(deps);
  deps.bus.publish({ type: 'catalog.changed', procedureId: id });
  return result;
}

/**
 * Retires a published version: its end becomes now (or stays, when already earlier). A
 * version retired before it came into force gives the previous version its end back.
 */
export async function retireVersion(
  deps: Deps, id: string, version: number, record: RecordChange<VersionInfo & { procedureId: string }> = none,
): Promise<VersionInfo & { procedureId: string }> {
  const now = deps.clock.now();
  const result = await deps.db.transaction(async (tx) => {
    await lockProcedure(tx, id);
    const row = await requireVersion(tx, id, version);
    if (row.status !== 'published') {
      throw new HttpError(409, 'VERSION_NOT_PUBLISHED', {
        vi: row.status === 'draft'
          ? `Phiên bản ${version} là bản nháp, chưa áp dụng nên không cần ngừng`
          : `Phiên bản ${version} đã ngừng áp dụng`,
        en: row.status === 'draft'
          ? `Version ${version} is a draft, never in force: there is nothing to retire`
          : `Version ${version} is already retired`,
      }, undefined, { status: row.status });
    }
    const end = row.effectiveTo && ms(row.effectiveTo) <= now.getTime() ? row.effectiveTo : now.toISOString();
    const retired = await updateVersion(tx, id, version, { status: 'retired', effectiveTo: end, updatedAt: now.toISOString() });
    if (row.effectiveFrom && ms(row.effectiveFrom) > now.getTime()) {
      // Cancelling a scheduled version: the one it would have replaced stays in force as before.
      await reopenPublished(tx, id, row.effectiveFrom, row.effectiveTo, now.toISOString());
    }
    const out = { procedureId: id, ...versionInfo(retired!) };
    await record(tx, out);
    return out;
  });
  forgetVersions(deps);
  deps.bus.publish({ type: 'catalog.changed', procedureId: id });
  return result;
}
