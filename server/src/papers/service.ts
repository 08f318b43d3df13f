/**
 * Typed documents and the citizen's data store (docs/papers.md): digitising a paper at the
 * desk with its metadata, recording a result, reading a holder's store (officers through the
 * dossier visibility rule, the citizen their own), and looking a citizen up in the shared
 * databases with their consent. Counters of the digitisation indicators are bumped in the
 * same transaction as the change they count.
 */
import { randomUUID } from 'node:crypto';
import type { Deps } from '../deps';
import type { BlobStore } from '../blobs';
import type { AuthUser } from '../auth/middleware';
import { HttpError, forbidden, notFound } from '../http/errors';
import { versionMetaInForce } from '../catalog/service';
import { lensesOf, sees, visibleDossier, type DossierRow } from '../dossiers/service';
import { CitizenDataError, createCitizenData, type CitizenData, type LookupRequest, type SharedDataSource } from '../citizen-data/index';
import {
  bumpPapers, digitisedCount, documentOf, insertLookup, lockDossier, storeEntryOf, typeDocument, type DocumentRow, type StoreEntry,
} from './repo';
import { documentBytes, holderStore, isIssued, issuedEntries } from './register';
import { LOOKUP_VALID_MS, paperTypeOf } from './intake';
import { countResult } from './results';

const DIGITISE_ROLES = ['desk', 'specialist'];
const RESULT_ROLES = ['specialist', 'leader'];

const issue = (status: number, code: string, path: string, vi: string, en: string): HttpError =>
  new HttpError(status, code, { vi, en }, [{ path, message: { vi, en } }]);

/** Throws 403 unless one of the user's lenses with these roles sees the dossier. */
async function mayType(deps: Deps, user: AuthUser, row: DossierRow, roles: string[], what: { vi: string; en: string }): Promise<void> {
  const lenses = (await lensesOf(deps, user)).filter((l) => roles.includes(l.role));
  if (sees(lenses, row)) return;
  throw forbidden({ vi: `Bạn không được ${what.vi} của hồ sơ ${row.id}`, en: `You may not ${what.en} of dossier ${row.id}` });
}

/** The submitted document of an open dossier the user may type, inside no transaction yet. */
async function typable(deps: Deps, row: DossierRow, docId: string): Promise<DocumentRow> {
  if (row.closedAt) {
    throw new HttpError(409, 'DOSSIER_CLOSED', { vi: `Hồ sơ ${row.id} đã kết thúc`, en: `Dossier ${row.id} is closed` });
  }
  const doc = await documentOf(deps.db, row.id, docId);
  if (!doc) throw notFound({ vi: 'tài liệu', en: 'document' }, docId);
  if (doc.kind !== 'submitted') throw alreadyTyped(doc);
  return doc;
}

const alreadyTyped = (doc: DocumentRow): HttpError => new HttpError(409, 'DOCUMENT_ALREADY_TYPED', {
  vi: `Tài liệu "${doc.name}" đã được ghi nhận là ${doc.kind === 'result' ? 'kết quả' : 'bản sao điện tử'}; thông tin đã ghi không sửa được — hãy tải lên bản mới`,
  en: `Document "${doc.name}" is recorded as ${doc.kind === 'result' ? 'a result' : 'a digitised copy'} already; what was recorded cannot change — upload a new one`,
});

const todayIn = async (deps: Deps, unit: string): Promise<string> => (await deps.directory.calendar(unit)).localDate(deps.clock.now().getTime());

export interface DigitiseInput { paperId: string; paperType?: string; number: string; issuer: string; issuedOn: string; holderId: string; validUntil?: string }

/**
 * Marks a submitted document as the digitised copy (bản sao điện tử) of a checklist paper,
 * with its metadata; a record from then on. 422 with a JSON pointer for wrong metadata.
 */
export async function digitise(deps: Deps, user: AuthUser, dossierId: string, docId: string, body: DigitiseInput) {
  const row = await visibleDossier(deps, user, dossierId);
  await mayType(deps, user, row, DIGITISE_ROLES, { vi: 'số hóa giấy tờ', en: 'digitise the papers' });
  await typable(deps, row, docId);
  const proc = await deps.directory.procedure(row.procedureId, row.procedureVersion);
  const catalog = proc?.definition.catalog.documents ?? [];
  const item = catalog.find((d) => d.id === body.paperId);
  if (!item) {
    throw issue(422, 'UNKNOWN_PAPER', '/paperId', `Thủ tục không có giấy tờ "${body.paperId}" (có: ${catalog.map((d) => d.id).join(', ')})`,
      `The procedure lists no paper "${body.paperId}" (it lists: ${catalog.map((d) => d.id).join(', ')})`);
  }
  const paperType = body.paperType ?? paperTypeOf(item);
  if (item.paperType && paperType !== item.paperType) {
    throw issue(422, 'PAPER_TYPE_MISMATCH', '/paperType', `Giấy tờ "${item.id}" là loại "${item.paperType}", không phải "${paperType}"`,
      `Paper "${item.id}" is of type "${item.paperType}", not "${paperType}"`);
  }
  const today = await todayIn(deps, row.competentUnit);
  if (body.issuedOn > today) {
    throw issue(422, 'ISSUED_IN_FUTURE', '/issuedOn', `Ngày cấp ${body.issuedOn} sau hôm nay (${today})`, `Issue date ${body.issuedOn} is after today (${today})`);
  }
  if (body.validUntil !== undefined && body.validUntil < body.issuedOn) {
    throw issue(422, 'VALID_BEFORE_ISSUE', '/validUntil', `Hạn sử dụng ${body.validUntil} trước ngày cấp ${body.issuedOn}`, `Valid-until ${body.validUntil} is before the issue date ${body.issuedOn}`);
  }
  const now = deps.clock.now().toISOString();
  const meta = {
    paperType, number: body.number.trim(), issuer: body.issuer.trim(), issuedOn: body.issuedOn, ...(body.validUntil ? { validUntil: body.validUntil } : {}),
  };
  const doc = await deps.db.transaction(async (tx) => {
    await lockDossier(tx, row.id);
    const first = (await digitisedCount(tx, row.id)) === 0;
    const typed = await typeDocument(tx, row.id, docId, { kind: 'digitised', paperId: item.id, holderId: body.holderId, meta, digitisedAt: now, digitisedBy: user.id });
    if (!typed) throw alreadyTyped((await documentOf(tx, row.id, docId))!);
    await bumpPapers(tx, row.competentUnit, today, { papersDigitised: 1, dossiersDigitised: first ? 1 : 0 });
    return typed;
  });
  return documentView(doc, user.name);
}

export interface ResultInput { number: string; date: string; signer: string; validUntil?: string; paperType?: string }

/** Marks a document as the dossier's result (number, date, signer, validity), kept in the holder's store. */
export async function recordResult(deps: Deps, user: AuthUser, dossierId: string, docId: string, body: ResultInput) {
  const row = await visibleDossier(deps, user, dossierId);
  await mayType(deps, user, row, RESULT_ROLES, { vi: 'ghi nhận kết quả', en: 'record the result' });
  await typable(deps, row, docId);
  const today = await todayIn(deps, row.competentUnit);
  if (body.date > today) throw issue(422, 'RESULT_IN_FUTURE', '/date', `Ngày ${body.date} sau hôm nay (${today})`, `Date ${body.date} is after today (${today})`);
  if (body.validUntil !== undefined && body.validUntil < body.date) {
    throw issue(422, 'VALID_BEFORE_ISSUE', '/validUntil', `Hạn sử dụng ${body.validUntil} trước ngày ký ${body.date}`, `Valid-until ${body.validUntil} is before the date ${body.date}`);
  }
  const holder = /^\d{12}$/.test(row.applicantId ?? '') ? row.applicantId : null;
  const meta = {
    number: body.number.trim(), date: body.date, signer: body.signer.trim(), validUntil: body.validUntil ?? null,
    paperType: body.paperType ?? null, issuer: (await deps.directory.unit(row.competentUnit))?.name ?? row.competentUnit,
  };
  const doc = await deps.db.transaction(async (tx) => {
    await countResult(tx, row, today, 'document');
    const typed = await typeDocument(tx, row.id, docId, { kind: 'result', paperId: null, holderId: holder, meta, digitisedAt: deps.clock.now().toISOString(), digitisedBy: user.id });
    if (!typed) throw alreadyTyped((await documentOf(tx, row.id, docId))!);
    return typed;
  });
  return documentView(doc, user.name);
}

/** A typed document as the dossier's list shows it (the same shape as dossiers/files.ts answers). */
function documentView(row: DocumentRow, uploader: string | null) {
  return {
    id: row.id, dossierId: row.dossierId, name: row.name, mime: row.mime, size: row.size, sha256: row.sha256,
    uploadedBy: { id: row.uploadedBy, name: uploader }, createdAt: new Date(row.createdAt).toISOString(),
    url: `/api/dossiers/${encodeURIComponent(row.dossierId)}/documents/${encodeURIComponent(row.id)}`,
    kind: row.kind as 'digitised' | 'result', paperId: row.paperId, holderId: row.holderId, meta: row.meta as { [k: string]: unknown },
    digitisedAt: row.digitisedAt ? new Date(row.digitisedAt).toISOString() : null, reusedFrom: row.reusedFrom,
  };
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function entryView(e: StoreEntry, url: string) {
  const m = (e.doc.meta ?? {}) as { [k: string]: unknown };
  return {
    documentId: e.doc.id, kind: e.doc.kind as 'digitised' | 'result', name: e.doc.name, mime: e.doc.mime, size: e.doc.size, sha256: e.doc.sha256,
    holderId: e.doc.holderId ?? '', paperType: str(m['paperType']), number: str(m['number']), issuer: str(m['issuer']) ?? str(m['signer']),
    issuedOn: str(m['issuedOn']) ?? str(m['date']), validUntil: str(m['validUntil']), dossierId: e.dossier.id, unit: e.dossier.competentUnit,
    storedAt: new Date(e.doc.digitisedAt ?? e.doc.createdAt).toISOString(), url,
    // A result signed through the register: its id is the one its QR code opens on the verification page.
    signed: isIssued(e.doc), verifyId: isIssued(e.doc) ? e.doc.id : null,
  };
}

/**
 * A holder's store as an officer reads it: the entries from dossiers the officer may see
 * (dossiers/visibility.ts: unit, delegation, non-geographic desk). Entries out of reach are left
 * out, and nothing tells them apart from none: that a person has papers at another unit is
 * itself personal data (the dossiers' own rule answers 404 for a dossier out of reach).
 */
export async function officerStore(deps: Deps, user: AuthUser, personalId: string) {
  const entries = await holderStore(deps, personalId);
  if (entries.length === 0) return [];
  const lenses = await lensesOf(deps, user);
  return entries.filter((e) => sees(lenses, e.dossier as unknown as DossierRow))
    .map((e) => entryView(e, `/api/dossiers/${encodeURIComponent(e.dossier.id)}/${isIssued(e.doc) ? 'results' : 'documents'}/${encodeURIComponent(e.doc.id)}`));
}

/** The citizen's own store (every entry, whichever unit holds it), for their signed-in session. */
export async function citizenStore(deps: Deps, personalId: string) {
  const entries = await holderStore(deps, personalId);
  return entries.map((e) => entryView(e, `/api/me/papers/${encodeURIComponent(e.doc.id)}`));
}

/**
 * One paper of the citizen's own store, with its bytes: 404 when the document is not an entry
 * of their store (another holder's paper answers the same as one that does not exist).
 */
export async function citizenPaper(deps: Deps, personalId: string, documentId: string, blobs: BlobStore) {
  const entry = (await storeEntryOf(deps.db, personalId, documentId))
    ?? (await issuedEntries(deps, deps.db, [documentId])).find((e) => e.doc.holderId === personalId) ?? null;
  const data = entry ? await documentBytes(deps, blobs, entry.doc) : null;
  if (!entry || !data) throw notFound({ vi: 'giấy tờ', en: 'paper' }, documentId);
  return { doc: entry.doc, data };
}

// ---- Shared databases

let cached: { key: string; data: CitizenData | null } | null = null;
function citizenData(deps: Deps): CitizenData | null {
  const key = `${deps.config.citizenDataUrl ?? ''} ${deps.config.citizenDataToken ?? ''}`;
  if (cached?.key !== key) cached = { key, data: createCitizenData(deps.config) };
  return cached.data;
}

const MARITAL = { single: 'never-married', married: 'married', divorced: 'divorced', widowed: 'widowed' } as const;

export interface LookupInput {
  source: SharedDataSource;
  personalId: string;
  unit: string;
  purpose: string;
  procedureId?: string;
  consent?: { given: boolean; method: 'written' | 'vneid' | 'at-desk'; note?: string };
}

function failure(e: CitizenDataError): HttpError {
  const name = e.source === 'population' ? { vi: 'Cơ sở dữ liệu quốc gia về dân cư', en: 'the national population database' } : { vi: 'Cơ sở dữ liệu hộ tịch', en: 'the civil-status database' };
  switch (e.failure) {
    case 'not-configured': return new HttpError(503, 'CITIZEN_DATA_NOT_CONFIGURED', { vi: `Chưa cấu hình kết nối ${name.vi}`, en: `No connection to ${name.en} is configured` });
    case 'unavailable': return new HttpError(503, 'CITIZEN_DATA_UNAVAILABLE', { vi: `${name.vi} đang không trả lời; hãy thử lại sau hoặc nhận giấy tờ bản giấy`, en: `${name.en} is not answering; try again later or take the paper` });
    case 'refused': return new HttpError(502, 'CITIZEN_DATA_REFUSED', { vi: `${name.vi} từ chối yêu cầu tra cứu`, en: `${name.en} refused the lookup` });
    default: return new HttpError(502, 'CITIZEN_DATA_BAD_ANSWER', { vi: `${name.vi} trả lời không đúng định dạng; không dùng được dữ liệu này, không có gì được lưu`, en: `${name.en} answered outside its contract; the data cannot be used and nothing was stored` });
  }
}

/**
 * Looks a citizen up in a shared database for a desk, with their consent (refused without):
 * the answer is recorded (who, when, consent, what came back) for an intake to use within
 * 24 hours. 404 for an unknown person, 502/503 when the database fails; nothing stored then.
 */
export async function lookup(deps: Deps, user: AuthUser, body: LookupInput) {
  if (!user.grants.some((g) => g.role === 'desk' && g.unit === body.unit)) {
    throw forbidden({ vi: `Chỉ công chức Một cửa của đơn vị ${body.unit} được tra cứu cho đơn vị này`, en: `Only desk officers of unit ${body.unit} may look up for it` });
  }
  if (!body.consent || body.consent.given !== true) {
    throw issue(422, 'CONSENT_REQUIRED', body.consent ? '/consent/given' : '/consent',
      'Cần sự đồng ý của công dân trước khi tra cứu dữ liệu cá nhân (Nghị định 13/2023/NĐ-CP, Điều 11); hãy hỏi và ghi nhận sự đồng ý',
      'The citizen\'s consent is needed before their personal data is looked up (Decree 13/2023/NĐ-CP Art. 11); ask and record it');
  }
  let papersNotRequired: string[] = [];
  if (body.procedureId) {
    const version = await versionMetaInForce(deps.db, body.procedureId, deps.clock.now());
    const proc = version ? await deps.directory.procedure(body.procedureId, version.version) : null;
    if (!proc) throw issue(404, 'UNKNOWN_PROCEDURE', '/procedureId', `Không có thủ tục "${body.procedureId}" đang có hiệu lực`, `No procedure "${body.procedureId}" in force`);
    papersNotRequired = proc.definition.catalog.documents.filter((d) => d.notRequiredWhenFound === body.source).map((d) => d.id);
  }
  const data = citizenData(deps);
  if (!data) throw failure(new CitizenDataError('not-configured', body.source, 'no address'));
  const now = deps.clock.now().toISOString();
  const consent = { method: body.consent.method, at: now, ...(body.consent.note ? { note: body.consent.note } : {}) };
  const req: LookupRequest = { personalId: body.personalId, purpose: body.purpose, unit: body.unit, officer: { id: user.id, name: user.name }, consent };
  let found;
  try {
    found = body.source === 'population' ? await data.person(req) : await data.civilStatus(req);
  } catch (e) {
    if (e instanceof CitizenDataError) {
      deps.logger.warn({ source: e.source, failure: e.failure, detail: e.message }, 'shared-data lookup failed');
      throw failure(e);
    }
    throw e;
  }
  if (!found) {
    throw issue(404, 'PERSON_NOT_FOUND', '/personalId', `Không tìm thấy công dân có số định danh ${body.personalId}; hãy kiểm tra lại số hoặc nhận giấy tờ bản giấy`,
      `No citizen with personal ID ${body.personalId}; check the number or take the paper`);
  }
  const record = found.record as unknown as { [k: string]: unknown };
  const row = await insertLookup(deps.db, {
    id: randomUUID(), source: body.source, personalId: body.personalId, unit: body.unit, actorId: user.id, actorName: user.name, at: now,
    consent, purpose: body.purpose, record, sourceRef: found.sourceRef,
  });
  const prefill = body.source === 'population'
    ? (() => {
      const p = found.record as { fullName: string; dateOfBirth: string; sex: string; currentAddress: string | null; permanentAddress: string | null };
      const address = p.currentAddress ?? p.permanentAddress;
      return { applicant: { name: p.fullName, ...(address ? { address } : {}) }, data: { personName: p.fullName, dateOfBirth: p.dateOfBirth, personalId: body.personalId, sex: p.sex } };
    })()
    : { applicant: {}, data: { maritalStatus: MARITAL[(found.record as { maritalStatus: keyof typeof MARITAL }).maritalStatus] } };
  return {
    id: row.id, source: body.source, personalId: body.personalId, at: new Date(row.at).toISOString(), by: { id: user.id, name: user.name }, consent,
    record, prefill, papersNotRequired, validUntil: new Date(Date.parse(now) + LOOKUP_VALID_MS).toISOString(),
  };
}
