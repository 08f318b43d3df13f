/**
 * Online submission (Decree 45/2020/NĐ-CP): a citizen's drafts with their papers, and the
 * one way an online dossier comes into motcua — `submitOnline` — used by the citizen's web
 * app (source "citizen") and by the national portal's inbound path (source "portal").
 *
 * A submission is the desk's intake (../dossiers) run by the applicant on the `online`
 * channel and NOT accepted: the dossier waits at the procedure's intake step (status 1 in
 * the portal's terms) until the desk accepts it (the legal clock starts, slip 01), asks for
 * a supplement (slip 02) or refuses it (slip 03). It is idempotent by (source, external id):
 * a retry answers the first dossier, never makes a second; the draft, the dossier, its
 * documents and the submission record are written in one transaction.
 */
import { randomUUID } from 'node:crypto';
import { holds, type Actor, type CompiledProcedure, type DossierSnapshot, type ReturnVia } from '@motcua/engine';
import type { Request, Response } from 'express';
import type { Deps } from '../deps';
import { HttpError, notFound, type Issue } from '../http/errors';
import { Limit } from '../http/limits';
import { cachedVersionInForce } from '../catalog/service';
import { createBlobStore, type BlobStore, type StagedBlob } from '../blobs';
import {
  acceptUpload, act, dossierCache, earlierAnswer, history, intake, loadDossier, prefetchIntake, rate, runOnce, storeDocument, trimmedInputs, uploadParser, withInputsAt, type DossierRow,
} from '../dossiers';
import { issuedSlip } from '../slips';
import { documentBytes } from '../papers/index';
import { startClockedJob, type ClockedJob } from '../jobs/clocked';
import { citizenActor, type Citizen } from '../citizens/service';
import { normalizeVnPhone } from '@motcua/engine/phone';
import {
  deleteDraft, deleteDraftFile, documentOf, documentsOf, draftOf, draftsOf, draftWithFiles, dossiersOf, filesOf, insertCitizenDocumentWithin,
  insertDraftFileWithin, insertDraftWithin, isSubmittedBy, recordOnlineDossier, takeExpiredDrafts, updateDraft, type DraftFileRow, type DraftRow,
} from './repo';
import { citizenDossierView, draftView, type CitizenDossierView } from './views';

export type OnlineSource = 'citizen' | 'portal';

/** A paper already stored in the blob store (a draft's upload, or one the portal path staged with `stageOnlineFile`). */
export interface StoredPaper {
  paper: string;
  name: string;
  mime: string;
  size: number;
  sha256: string;
  storageKey: string;
}

export interface OnlineInput {
  procedureId: string;
  /** The one-stop desk that receives it (for non-geographic procedures, where the citizen collects the result). */
  receivingUnit: string;
  competentUnit?: string;
  returnVia?: ReturnVia;
  applicant: { id: string; name: string; address?: string; phone?: string; email?: string };
  data: { [key: string]: unknown };
  papers: StoredPaper[];
  /** Papers handed in where the dossier was submitted, named without a file here (the national portal keeps them). */
  ticked?: string[];
}

export interface SubmitOptions {
  source: OnlineSource;
  /** The source's own id (the citizen's Idempotency-Key or draft id; the portal's dossier code): a retry answers the same dossier. */
  externalId: string;
  /**
   * Whose id `externalId` is, when the source's ids are not unique across its users (a citizen's
   * Idempotency-Key is theirs alone: two citizens may pick the same one). The key is then
   * looked up and stored under this owner only, and the submission recorded as `<owner>:<id>`.
   */
  owner?: string;
  /** Who uploaded the papers, for the documents' record (default: the applicant's ID). */
  uploadedBy?: string;
  /** What makes two requests "the same" for the idempotency check (default: the input). */
  fingerprint?: unknown;
  /** The citizen's draft this submission comes from: removed by the same statement that records it. */
  draftId?: string;
  /**
   * Look the key up before the change (default): false when the caller did, or when a stored
   * key can only be a race (it then fails the change's last statement, and the stored answer is returned).
   */
  lookFirst?: boolean;
  /** Run after the dossier is written, in the same transaction (the portal's inbound record is written there). */
  alsoInTx?: (tx: Parameters<Parameters<Deps['db']['transaction']>[0]>[0], dossierId: string) => Promise<void>;
  /** Who submits, in the history (default: the applicant as a citizen; the portal's path: the portal). */
  actor?: Actor;
}

export interface SubmitAnswer {
  status: number;
  body: CitizenDossierView;
  replayed: boolean;
}

const MAX_FILES_PER_DRAFT = 30;
/** The files a citizen may upload to one dossier: a full draft's papers, and as many again for supplements. */
export const MAX_CITIZEN_FILES_PER_DOSSIER = 2 * MAX_FILES_PER_DRAFT;
/**
 * Live drafts a citizen may hold, and the size of a draft's form (JSON, UTF-8): a draft's data
 * is not checked against the form until submission and is kept DRAFT_DAYS, and the list answers
 * every live draft at once, so without both a citizen could keep gigabytes and ask for them.
 */
export const MAX_DRAFTS_PER_CITIZEN = 20;
export const MAX_DRAFT_DATA_BYTES = 64 * 1024;

const text = (vi: string, en: string) => ({ vi, en });
const issue = (path: string, vi: string, en: string): Issue => ({ path, message: text(vi, en) });

/**
 * The procedure version in force, refused (422 with a pointer) when it is not offered online.
 * From the catalog's short-lived version list: every draft and upload request asks, and the
 * intake checks the version in force again in its transaction.
 */
export async function onlineProcedure(deps: Deps, procedureId: string): Promise<CompiledProcedure> {
  const version = await cachedVersionInForce(deps, procedureId, deps.clock.now());
  const proc = version ? await deps.directory.procedure(procedureId, version.version) : null;
  if (!proc || proc.definition.catalog.internal) throw notFound({ vi: 'thủ tục', en: 'procedure' }, procedureId);
  const c = proc.definition.catalog;
  if (c.onlineLevel === 'none' || (c.channels && !c.channels.includes('online'))) {
    const m = text(
      `Thủ tục ${c.code} không được cung cấp trực tuyến: hãy nộp hồ sơ trực tiếp${c.postal ? ' hoặc qua bưu chính' : ''} tại Bộ phận Một cửa`,
      `Procedure ${c.code} is not offered online: submit it in person${c.postal ? ' or by post' : ''} at the one-stop desk`,
    );
    throw new HttpError(422, 'NOT_ONLINE', m, [{ path: '/procedureId', message: m }]);
  }
  return proc;
}

/** Papers the procedure asks for on this data: required ones, and optional ones. */
export function papersAsked(proc: CompiledProcedure, data: { [key: string]: unknown }) {
  const scope = { data, inputs: {}, dossier: {} };
  return proc.definition.catalog.documents.filter((d) => holds(d.when, scope)).map((d) => ({ ...d, required: !d.optional }));
}

/**
 * What must still be done in person for a partial-online procedure (Decree 42/2022 levels):
 * the required papers not uploaded (originals shown at the desk), and the result collected there.
 */
export function inPersonSteps(proc: CompiledProcedure, data: { [key: string]: unknown }, uploaded: Set<string>): { vi: string; en: string }[] {
  if (proc.definition.catalog.onlineLevel !== 'partial') return [];
  const out = papersAsked(proc, data).filter((d) => d.required && !uploaded.has(d.id))
    .map((d) => text(`Mang đến Bộ phận Một cửa: ${d.name.vi}`, `Bring to the one-stop desk: ${d.name.en ?? d.name.vi}`));
  out.push(text('Nhận kết quả trực tiếp tại Bộ phận Một cửa (thủ tục trực tuyến một phần)', 'Collect the result in person at the one-stop desk (partly-online procedure)'));
  return out;
}

function checkPapers(proc: CompiledProcedure, data: { [key: string]: unknown }, papers: StoredPaper[], ticked: string[] = []): void {
  const asked = papersAsked(proc, data);
  const issues: Issue[] = [];
  const unknown = (id: string) => !proc.definition.catalog.documents.some((d) => d.id === id);
  papers.forEach((p, i) => {
    if (unknown(p.paper)) issues.push(issue(`/papers/${i}/paper`, `Thủ tục không có giấy tờ "${p.paper}"`, `The procedure lists no paper "${p.paper}"`));
  });
  ticked.forEach((id, i) => {
    if (unknown(id)) issues.push(issue(`/ticked/${i}`, `Thủ tục không có giấy tờ "${id}"`, `The procedure lists no paper "${id}"`));
  });
  if (proc.definition.catalog.onlineLevel === 'full') {
    for (const d of asked) {
      if (d.required && !papers.some((p) => p.paper === d.id) && !ticked.includes(d.id)) {
        issues.push(issue(`/papers/${d.id}`, `Thiếu giấy tờ bắt buộc: ${d.name.vi}`, `A required paper is missing: ${d.name.en ?? d.name.vi}`));
      }
    }
  }
  if (issues.length) {
    throw new HttpError(422, 'PAPERS_INVALID', text('Thành phần hồ sơ chưa đủ hoặc không đúng', 'The papers are incomplete or wrong'), issues);
  }
}

/** The engine's data issues point into the data; the online API's body holds it under /data. */
function underData(e: unknown): unknown {
  if (e instanceof HttpError && e.code === 'START_INVALID' && e.issues) {
    return new HttpError(422, 'DATA_INVALID', text('Tờ khai chưa hợp lệ: hãy sửa các ô được chỉ ra', 'The form is not valid: correct the fields shown'),
      e.issues.map((i) => ({ ...i, path: `/data${i.path === '/' ? '' : i.path}` })));
  }
  return e;
}

/**
 * Whose idempotency keys a submission's key is among: the source's, or one owner's within it
 * (migration 0025 moved the citizens' earlier answers under their owners).
 */
const onlineScope = (source: OnlineSource, owner?: string): string => (owner === undefined ? `online:${source}` : `online:${source}:${owner}`);

/**
 * Submits a dossier online, once per (source, externalId) — per owner, when given. The papers must already be in
 * the blob store (their keys become the dossier's documents). Throws 4xx with pointers:
 * procedure not online (/procedureId), papers (/papers/…), form data (/data/…), routing.
 */
export async function submitOnline(deps: Deps, input: OnlineInput, options: SubmitOptions, checked?: CompiledProcedure): Promise<SubmitAnswer> {
  // `checked`: the caller looked the procedure up for this request already (the intake reads its version in force again, uncached).
  const proc = checked && checked.definition.id === input.procedureId ? checked : await onlineProcedure(deps, input.procedureId);
  checkPapers(proc, input.data, input.papers, input.ticked);
  const actor = options.actor ?? citizenActor({ personalId: input.applicant.id, name: input.applicant.name });
  // Read before the transaction: inside it each read held its connection for a round trip.
  const prefetched = await prefetchIntake(deps, input.procedureId, input.competentUnit ?? input.receivingUnit, proc);
  const now = prefetched.at.toISOString();
  const scope = onlineScope(options.source, options.owner);
  try {
    const out = await runOnce(deps, scope, options.externalId, options.fingerprint ?? { input, source: options.source }, async (tx, d, answerFor) => {
      const r = await intake(d, tx, actor, {
        procedureId: input.procedureId, channel: 'online', receivingUnit: input.receivingUnit,
        ...(input.competentUnit ? { competentUnit: input.competentUnit } : {}),
        ...(input.returnVia ? { returnVia: input.returnVia } : {}),
        applicant: input.applicant, data: input.data,
        papers: [...new Set([...input.papers.map((p) => p.paper), ...(input.ticked ?? [])])],
        prefetched,
      });
      const papers = input.papers.map((p) => ({ id: randomUUID(), name: p.name, mime: p.mime, size: p.size, sha256: p.sha256, storageKey: p.storageKey }));
      if (options.alsoInTx) await options.alsoInTx(tx, r.row.id);
      // A new dossier's history is what the intake just wrote, its documents these papers: nothing
      // to read back, so the answer is ready before the papers are recorded, and stored with them.
      const written = await d.directory.procedure(r.row.procedureId, r.row.procedureVersion);
      const view = await citizenDossierView(d, r.row, written, r.events.map((e) => ({ payload: e, at: e.at })),
        papers.map((p) => ({ id: p.id, name: p.name, mime: p.mime, size: p.size, createdAt: now })));
      const { draftRemoved } = await recordOnlineDossier(tx, {
        dossierId: r.row.id, papers, uploadedBy: options.uploadedBy ?? `citizen:${input.applicant.id}`, at: now,
        source: options.source, externalId: options.owner === undefined ? options.externalId : `${options.owner}:${options.externalId}`,
        personalId: input.applicant.id, draftId: options.draftId ?? null,
        answer: answerFor(201, view),
      });
      // The draft went with a concurrent submission of it (under another key): one dossier per draft.
      if (options.draftId && !draftRemoved) throw draftGone(options.draftId);
      return { status: 201, body: view, notices: r.notices, answerStored: true };
    }, undefined, options.lookFirst ?? true);
    return out as SubmitAnswer;
  } catch (e) {
    throw underData(e);
  }
}

async function viewOf(deps: Deps, row: DossierRow): Promise<CitizenDossierView> {
  const proc = await deps.directory.procedure(row.procedureId, row.procedureVersion);
  return citizenDossierView(deps, row, proc, await history(deps, row.id), await documentsOf(deps.db, row.id));
}

/** Stores an uploaded paper for the portal path (checked as every upload is): the blob in place, its description. */
export async function stageOnlineFile(blobs: BlobStore, paper: string, file: { name: string; mime: string; data: Buffer }): Promise<{ paper: StoredPaper; staged: StagedBlob }> {
  const { row, staged } = await storeDocument(blobs, { dossierId: '', name: file.name, mime: file.mime, data: file.data, uploadedBy: '', createdAt: '' }, async (r) => r);
  return { paper: { paper, name: row.name, mime: row.mime, size: row.size, sha256: row.sha256, storageKey: row.storageKey }, staged };
}

// ---- Drafts

const draftGone = (id: string): HttpError => new HttpError(404, 'DRAFT_NOT_FOUND', {
  vi: `Không tìm thấy bản nháp "${id}" (có thể đã hết hạn và bị xoá, hoặc đã nộp)`, en: `No draft "${id}" (it may have expired and been removed, or been submitted)`,
});

const expiry = (deps: Deps, from: Date) => new Date(from.getTime() + deps.config.draftTtlSeconds * 1000).toISOString();

const live = (deps: Deps, d: DraftRow | null | undefined): d is DraftRow => !!d && new Date(d.expiresAt).getTime() > deps.clock.now().getTime();

async function liveDraft(deps: Deps, c: Citizen, id: string): Promise<DraftRow> {
  const d = await draftOf(deps.db, id, c.personalId);
  if (!live(deps, d)) throw draftGone(id);
  return d;
}

/** A citizen's live draft with its papers, in one statement. */
async function liveDraftWithFiles(deps: Deps, c: Citizen, id: string): Promise<{ draft: DraftRow; files: DraftFileRow[] }> {
  const found = await draftWithFiles(deps.db, id, c.personalId);
  if (!found || !live(deps, found.draft)) throw draftGone(id);
  return found;
}

// A draft's procedure never changes: kept for the uploads that follow its creation.
const DRAFT_PROCEDURE_TTL_MS = 10 * 60_000;
const draftProcedureKey = (c: Citizen, id: string) => `draft-procedure:${c.personalId}:${id}`;

/**
 * The procedure of a citizen's draft, to check an upload's paper against, kept a while (each
 * draft has a few uploads); whether the draft is still there, live and theirs is checked by
 * the statement that adds the paper.
 */
async function draftProcedure(deps: Deps, c: Citizen, id: string): Promise<string> {
  const procedureId = await deps.directory.cached(draftProcedureKey(c, id), DRAFT_PROCEDURE_TTL_MS, async () => (await draftOf(deps.db, id, c.personalId))?.procedureId ?? null);
  if (procedureId === null) throw draftGone(id);
  return procedureId;
}

const tooManyDrafts = (): HttpError => new HttpError(422, 'TOO_MANY_DRAFTS', text(
  `Bạn đã có ${MAX_DRAFTS_PER_CITIZEN} bản nháp chưa nộp, là số tối đa: hãy nộp hoặc xoá một bản nháp rồi tạo bản mới`,
  `You already have ${MAX_DRAFTS_PER_CITIZEN} drafts not yet submitted, the most allowed: submit or delete a draft, then start a new one`,
));

function checkDraftData(data: { [k: string]: unknown } | undefined): void {
  if (data === undefined || Buffer.byteLength(JSON.stringify(data), 'utf8') <= MAX_DRAFT_DATA_BYTES) return;
  const kb = MAX_DRAFT_DATA_BYTES / 1024;
  throw new HttpError(422, 'DRAFT_TOO_LARGE', text(`Tờ khai của bản nháp quá lớn (tối đa ${kb} KB)`, `The draft's form is too large (at most ${kb} KB)`),
    [issue('/data', `Tối đa ${kb} KB`, `At most ${kb} KB`)]);
}

export async function createDraft(deps: Deps, c: Citizen, body: { procedureId: string; data?: { [k: string]: unknown }; receivingUnit?: string }) {
  checkDraftData(body.data);
  const proc = await onlineProcedure(deps, body.procedureId);
  if (body.receivingUnit !== undefined) await checkDesk(deps, proc, body.receivingUnit);
  const now = deps.clock.now();
  const row = await insertDraftWithin(deps.db, {
    id: randomUUID(), personalId: c.personalId, procedureId: proc.definition.id, data: body.data ?? {}, receivingUnit: body.receivingUnit ?? null,
    updatedAt: now.toISOString(), expiresAt: expiry(deps, now),
  }, MAX_DRAFTS_PER_CITIZEN);
  if (!row) throw tooManyDrafts();
  await deps.directory.cached(draftProcedureKey(c, row.id), DRAFT_PROCEDURE_TTL_MS, async () => row.procedureId);
  return draftView(row, [], proc);
}

export async function listDrafts(deps: Deps, c: Citizen) {
  const rows = await draftsOf(deps.db, c.personalId, deps.clock.now().toISOString());
  return Promise.all(rows.map(async (r) => draftView(r, await filesOf(deps.db, r.id), null)));
}

export async function getDraft(deps: Deps, c: Citizen, id: string) {
  const { draft, files } = await liveDraftWithFiles(deps, c, id);
  return draftView(draft, files, await onlineProcedure(deps, draft.procedureId));
}

export async function saveDraft(deps: Deps, c: Citizen, id: string, body: { data?: { [k: string]: unknown }; receivingUnit?: string | null }) {
  checkDraftData(body.data);
  const d = await liveDraft(deps, c, id);
  const proc = await onlineProcedure(deps, d.procedureId);
  if (typeof body.receivingUnit === 'string') await checkDesk(deps, proc, body.receivingUnit);
  const now = deps.clock.now();
  const row = await updateDraft(deps.db, d.id, {
    ...(body.data !== undefined ? { data: body.data } : {}),
    ...(body.receivingUnit !== undefined ? { receivingUnit: body.receivingUnit } : {}),
    updatedAt: now.toISOString(), expiresAt: expiry(deps, now),
  });
  return draftView(row, await filesOf(deps.db, d.id), proc);
}

export async function removeDraft(deps: Deps, c: Citizen, id: string, blobs: BlobStore): Promise<void> {
  const { draft: d, files } = await liveDraftWithFiles(deps, c, id);
  await deleteDraft(deps.db, d.id);
  for (const f of files) await blobs.delete(f.storageKey);
}

/** Attaches a paper to a draft (multipart: `file`, `paper`, optional `name`), checked as every upload is. */
export async function addDraftFile(deps: Deps, c: Citizen, id: string, req: Request, res: Response, blobs: BlobStore, upload = uploadParser(deps)) {
  const proc = await onlineProcedure(deps, await draftProcedure(deps, c, id));
  const { file, mime, name, sha256, release } = await acceptUpload(deps, req, res, upload);
  // The bytes are a reused buffer (../dossiers/uploadStorage.ts): given back once stored or refused.
  try {
    return await storeDraftFile(deps, c, id, req, blobs, proc, { data: file.buffer, mime, name, sha256 });
  } finally {
    release();
  }
}

async function storeDraftFile(
  deps: Deps, c: Citizen, id: string, req: Request, blobs: BlobStore, proc: CompiledProcedure, file: { data: Buffer; mime: string; name: string; sha256: string },
) {
  const paper = (req.body as { paper?: unknown } | undefined)?.paper;
  if (typeof paper !== 'string' || !proc.definition.catalog.documents.some((x) => x.id === paper)) {
    throw new HttpError(422, 'UNKNOWN_PAPER', text('Hãy chọn giấy tờ trong thành phần hồ sơ của thủ tục', 'Choose a paper of the procedure\'s list'),
      [issue('/paper', 'Không có giấy tờ này trong thành phần hồ sơ', 'Not a paper of this procedure')]);
  }
  const tooMany = () => new HttpError(422, 'TOO_MANY_FILES', text(`Mỗi hồ sơ có tối đa ${MAX_FILES_PER_DRAFT} tệp`, `At most ${MAX_FILES_PER_DRAFT} files per dossier`),
    [issue('/file', 'Quá số tệp cho phép', 'Too many files')]);
  const now = deps.clock.now();
  const { row, staged } = await storeDocument(blobs, { ...file, dossierId: id, uploadedBy: c.personalId, createdAt: now.toISOString() }, async (r) => r);
  let stored: DraftFileRow | null;
  try {
    // One statement: the paper, when the draft is there, live, theirs and has room for it, and the draft's expiry moved on.
    stored = await insertDraftFileWithin(deps.db, { id: row.id, draftId: id, paper, name: row.name, mime: row.mime, size: row.size, sha256: row.sha256, storageKey: row.storageKey, createdAt: now.toISOString() },
      c.personalId, MAX_FILES_PER_DRAFT, expiry(deps, now));
  } catch (e) {
    await staged.discard();
    throw e;
  }
  if (!stored) {
    await staged.discard();
    // The draft was there a moment ago: gone since (submitted, deleted) or full.
    await liveDraft(deps, c, id);
    throw tooMany();
  }
  await staged.promote();
  return { id: stored.id, paper: stored.paper, name: stored.name, mime: stored.mime, size: stored.size, sha256: stored.sha256 };
}

export async function removeDraftFile(deps: Deps, c: Citizen, id: string, fileId: string, blobs: BlobStore): Promise<void> {
  const d = await liveDraft(deps, c, id);
  const key = await deleteDraftFile(deps.db, d.id, fileId);
  if (!key) throw notFound({ vi: 'tệp', en: 'file' }, fileId);
  await blobs.delete(key);
}

const limits = new WeakMap<Deps['db'], Limit>();
function submitLimit(deps: Deps): Limit {
  let l = limits.get(deps.db);
  if (!l || l.policy.points !== deps.config.submitLimit) {
    l = new Limit(deps.db, deps.clock, 'online-submit', { points: deps.config.submitLimit, duration: deps.config.submitWindowSeconds },
      text('lần nộp hồ sơ trực tuyến', 'online submissions'));
    limits.set(deps.db, l);
  }
  return l;
}

/**
 * Submits a citizen's draft: once per Idempotency-Key of this citizen (else once per draft), at most
 * `submitLimit` per window and citizen (429), the draft removed in the same transaction.
 */
export async function submitDraft(deps: Deps, c: Citizen, id: string, key: string | undefined, res: Response, body: { returnVia?: ReturnVia }): Promise<SubmitAnswer> {
  const externalId = key ?? `draft:${id}`;
  const fingerprint = { draft: id, returnVia: body.returnVia ?? null };
  const found = await draftWithFiles(deps.db, id, c.personalId);
  if (!found || !live(deps, found.draft)) {
    // No live draft: a retry of a submission that went through answers the same dossier (the
    // draft went with it). Keys are looked up among this citizen's only, so another citizen's
    // use of the same key is neither found nor told; the owner check below stays as a second lock.
    const earlier = await earlierAnswer(deps, onlineScope('citizen', c.personalId), externalId, fingerprint).catch((e: unknown) => {
      throw e instanceof HttpError && e.code === 'IDEMPOTENCY_KEY_REUSED' ? draftGone(id) : e;
    });
    if (earlier && (await isSubmittedBy(deps.db, (earlier.body as CitizenDossierView).id, c.personalId))) return earlier as SubmitAnswer;
    throw draftGone(id);
  }
  const { draft: d, files } = found;
  if (!d.receivingUnit) {
    throw new HttpError(422, 'NO_DESK', text('Hãy chọn nơi nộp hồ sơ (Bộ phận Một cửa)', 'Choose where to submit (the one-stop desk)'),
      [issue('/receivingUnit', 'Bắt buộc', 'Required')]);
  }
  const input: OnlineInput = {
    procedureId: d.procedureId, receivingUnit: d.receivingUnit,
    // The identity's number (VNeID gives +84…) in the national form the desk's numbers are kept in.
    applicant: { id: c.personalId, name: c.name, ...(c.phone ? { phone: normalizeVnPhone(c.phone) ?? c.phone } : {}), ...(c.email ? { email: c.email } : {}) },
    data: d.data as { [k: string]: unknown },
    papers: files.map((f) => ({ paper: f.paper, name: f.name, mime: f.mime, size: f.size, sha256: f.sha256, storageKey: f.storageKey })),
    ...(body.returnVia ? { returnVia: body.returnVia } : {}),
  };
  // Checked before counting: a form that fails is not a submission.
  const proc = await onlineProcedure(deps, d.procedureId);
  await checkDesk(deps, proc, d.receivingUnit);
  checkPapers(proc, input.data, input.papers);
  // Counted up front in one statement (429 past the limit), given back when the submission is
  // refused or turns out to be a replay: only submissions that went through count.
  const limit = submitLimit(deps);
  await limit.take(c.personalId, res);
  let out: SubmitAnswer;
  try {
    // The key is asked about only when it can matter (the draft gone above); a key stored
    // meanwhile by a concurrent retry fails the submission's last statement and answers the same.
    out = await submitOnline(deps, input, { source: 'citizen', externalId, owner: c.personalId, fingerprint, draftId: d.id, lookFirst: false }, proc);
  } catch (e) {
    // The refusal is the answer: a counter that cannot be given back (the database gone) only errs toward the limit.
    await limit.giveBack(c.personalId).catch((err: unknown) => deps.logger.warn({ err }, 'online: submission limit not given back'));
    throw e;
  }
  if (out.replayed) await limit.giveBack(c.personalId);
  return out;
}

/** Removes expired drafts and their papers; returns how many. Run by a clocked job (main.ts) and the tests. */
export async function expireDrafts(deps: Deps, blobs: BlobStore = createBlobStore(deps.config)): Promise<number> {
  let total = 0;
  for (;;) {
    const batch = await deps.db.transaction((tx) => takeExpiredDrafts(tx, deps.clock.now().toISOString(), 200));
    for (const d of batch) for (const k of d.keys) await blobs.delete(k);
    total += batch.length;
    if (batch.length < 200) return total;
  }
}

// ---- The citizen's dossiers

/** A dossier of the citizen's, else 404 (another citizen's dossier is not told apart from none). */
export async function myDossier(deps: Deps, c: Citizen, id: string): Promise<DossierRow> {
  const row = await loadDossier(deps.db, id);
  const snap = row?.snapshot as DossierSnapshot | undefined;
  if (!row || (snap?.applicant.id !== c.personalId && !(await isSubmittedBy(deps.db, id, c.personalId)))) {
    throw notFound({ vi: 'hồ sơ', en: 'dossier' }, id);
  }
  return row;
}

export async function myDossiers(deps: Deps, c: Citizen) {
  const rows = await dossiersOf(deps.db, c.personalId, 200);
  return Promise.all(rows.map((r) => viewOf(deps, r)));
}

export async function myDossierView(deps: Deps, c: Citizen, id: string) {
  return viewOf(deps, await myDossier(deps, c, id));
}

/** The applicant's actions: submitSupplement (after uploading the papers asked for) and withdraw (with a reason). */
export async function citizenAct(deps: Deps, c: Citizen, id: string, given: { step: string; action: string; inputs?: { [k: string]: unknown } }, key: string | undefined) {
  const row = await myDossier(deps, c, id);
  // A reason of spaces alone is no reason (../dossiers/actionInputs.ts, as at the desk).
  const body = { ...given, inputs: trimmedInputs(given.inputs) };
  const out = await withInputsAt('/inputs', body.inputs, () => runOnce(deps, `citizen:${c.personalId}`, key, { id, body }, async (tx, d) => {
    dossierCache(deps.database).forget(row.id);
    const r = await act(d, tx, citizenActor(c), row.id, { step: body.step, action: body.action, inputs: body.inputs });
    return { status: 200, body: await viewOf(d, r.row), notices: r.notices };
  }));
  return out as SubmitAnswer;
}

/** Attaches a paper a supplement asks for: only while the dossier waits for the citizen. */
export async function addSupplementFile(deps: Deps, c: Citizen, id: string, req: Request, res: Response, blobs: BlobStore, upload = uploadParser(deps)) {
  const row = await myDossier(deps, c, id);
  const notWaiting = () => new HttpError(409, 'NOT_WAITING', text('Hồ sơ không chờ bổ sung giấy tờ', 'The dossier is not waiting for papers'));
  if (row.closedAt || row.status !== 'waiting-citizen') throw notWaiting();
  const { file, mime, name, sha256, release } = await acceptUpload(deps, req, res, upload);
  const now = deps.clock.now().toISOString();
  try {
    const { row: doc, staged } = await storeDocument(blobs, { dossierId: row.id, name, mime, data: file.buffer, sha256, uploadedBy: `citizen:${c.personalId}`, createdAt: now },
      async (values) => {
        // Bounded as a draft's papers are: else a signed-in citizen could fill the store one
        // file at a time while the dossier waits. Still waiting is checked again with the count.
        const stored = await insertCitizenDocumentWithin(deps.db, { ...values, createdAt: now }, MAX_CITIZEN_FILES_PER_DOSSIER);
        if (stored) return stored;
        const current = await loadDossier(deps.db, row.id);
        if (!current || current.closedAt || current.status !== 'waiting-citizen') throw notWaiting();
        throw new HttpError(422, 'TOO_MANY_FILES', text(
          `Mỗi hồ sơ nhận tối đa ${MAX_CITIZEN_FILES_PER_DOSSIER} tệp do người nộp tải lên`, `A dossier takes at most ${MAX_CITIZEN_FILES_PER_DOSSIER} files uploaded by the applicant`,
        ), [issue('/file', 'Quá số tệp cho phép', 'Too many files')]);
      });
    await staged.promote();
    return { id: doc.id, name: doc.name, mime: doc.mime, size: doc.size, sha256: doc.sha256 };
  } finally {
    // The bytes are a reused buffer (../dossiers/uploadStorage.ts): given back once stored or refused.
    release();
  }
}

export async function rateMine(deps: Deps, c: Citizen, id: string, score: number, comment: string | null) {
  return rate(deps, await myDossier(deps, c, id), score, comment);
}

export async function mySlip(deps: Deps, c: Citizen, id: string, kind: Parameters<typeof issuedSlip>[2]) {
  return issuedSlip(deps, await myDossier(deps, c, id), kind);
}

export async function myDocument(deps: Deps, c: Citizen, id: string, docId: string, blobs: BlobStore) {
  const row = await myDossier(deps, c, id);
  const doc = await documentOf(deps.db, row.id, docId);
  if (!doc) throw notFound({ vi: 'tài liệu', en: 'document' }, docId);
  const data = await documentBytes(deps, blobs, doc);
  if (!data) throw notFound({ vi: 'tài liệu', en: 'document' }, docId);
  return { doc, data };
}

// ---- What the public procedure page needs to submit online

const LEVEL_KINDS: { [level: string]: string[] } = { commune: ['commune', 'ward'], province: ['province'], central: [] };

/** The desks a citizen may submit a procedure to: units of a competent kind. */
async function desksOf(deps: Deps, proc: CompiledProcedure): Promise<{ code: string; name: string }[]> {
  const c = proc.definition.catalog;
  const kinds = c.competentUnitKinds ?? LEVEL_KINDS[c.level] ?? [];
  // Geographic procedures: the citizen picks the unit where they live; non-geographic: any desk, where they will collect the result.
  return (await deps.directory.allUnits()).filter((u) => kinds.includes(u.kind)).map((u) => ({ code: u.code, name: u.name }));
}

/**
 * 422 with a pointer when `unit` is not one of the desks the procedure's page offers: a code
 * typed by hand, or a unit gone since the draft was saved (else the intake answered a bare 404
 * "no unit", for a draft that is there).
 */
async function checkDesk(deps: Deps, proc: CompiledProcedure, unit: string): Promise<void> {
  if ((await desksOf(deps, proc)).some((d) => d.code === unit)) return;
  const c = proc.definition.catalog;
  throw new HttpError(422, 'NOT_A_DESK', text(
    `Đơn vị "${unit}" không tiếp nhận thủ tục ${c.code}: hãy chọn nơi nộp trong danh sách Bộ phận Một cửa của thủ tục`,
    `Unit "${unit}" does not receive procedure ${c.code}: choose where to submit from the procedure's list of one-stop desks`,
  ), [issue('/receivingUnit', 'Không phải nơi tiếp nhận thủ tục này', 'Not a desk that receives this procedure')]);
}

/** The desks a citizen may submit a procedure to, and what else the procedure's page needs to submit it online. */
export async function onlineInfo(deps: Deps, procedureId: string) {
  const proc = await onlineProcedure(deps, procedureId);
  const c = proc.definition.catalog;
  const desks = await desksOf(deps, proc);
  return {
    procedureId: proc.definition.id, version: proc.definition.version, onlineLevel: c.onlineLevel, nonGeographic: c.nonGeographic,
    name: c.name, data: proc.definition.data ?? null,
    papers: c.documents.map((d) => ({ id: d.id, name: d.name, form: d.form, count: d.count, optional: !!d.optional, when: d.when ?? null, note: d.note ?? null })),
    fees: c.fees.map((f) => ({ id: f.id, name: f.name, amount: f.amount, when: f.when ?? null, note: f.note ?? null })),
    desks,
    inPerson: c.onlineLevel === 'partial'
      ? [text('Thủ tục trực tuyến một phần: xuất trình bản chính giấy tờ và nhận kết quả tại Bộ phận Một cửa', 'Partly online: show the original papers and collect the result at the one-stop desk')]
      : [],
    maxUploadBytes: deps.config.maxUploadBytes, allowedUploadTypes: deps.config.allowedUploadTypes,
  };
}

/** Abandoned drafts go: a clocked job every 15 minutes (main.ts). */
export function startDraftExpiry(deps: Deps, blobs: BlobStore): ClockedJob<number> {
  return startClockedJob({
    clock: deps.clock, everyMs: 15 * 60_000,
    run: async () => {
      const n = await expireDrafts(deps, blobs);
      if (n) deps.logger.info({ drafts: n }, 'online: expired drafts removed');
      return n;
    },
    failed: (err) => deps.logger.warn({ err: (err as Error).message }, 'online: draft expiry failed; trying again later'),
  });
}
