import { createHash, randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import multer from 'multer';
import Type from 'typebox';
import type { Api } from '../http/api';
import type { Deps } from '../deps';
import type { AuthUser } from '../auth/middleware';
import { HttpError, forbidden, notFound } from '../http/errors';
import { contentDisposition } from '../http/download';
import { createBlobStore, type BlobStore, type StagedBlob } from '../blobs';
import { runOnce } from './idempotency';
import { documentOfDossier, documentsOf, insertDocument, type DocRow, type DossierRow, type NewDocRow } from './repo';
import { visibleDossier } from './service';
import { lensesOf, sees } from './visibility';
import { withExtension } from './fileType';
import { inspectUpload } from './inspect';
import { documentBytes } from '../papers/index';
import { iso } from '../db/time';
import { BufferPool, pooledStorage, releaseUpload } from './uploadStorage';

/** Roles that may attach papers to a dossier (at one of its units). */
const UPLOAD_ROLES = ['desk', 'specialist'];
/** Room for the multipart envelope (boundaries, part headers, the `name` field) around the file. */
const MULTIPART_SLACK = 64 * 1024;
const MAX_NAME = 200;

const EXT: { [mime: string]: string } = { 'application/pdf': 'pdf', 'image/jpeg': 'jpg', 'image/png': 'png' };

/** A file name safe to store and print: no directories, no control characters, NFC, at most 200 characters. */
export function cleanName(raw: string | undefined, mime: string): string {
  const base = (raw ?? '').normalize('NFC').split(/[/\\]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const name = base.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '').trim();
  if (name === '' || name === '.' || name === '..') return `tai-lieu.${EXT[mime] ?? 'bin'}`;
  return [...name].slice(0, MAX_NAME).join('');
}

/** `Content-Disposition` with an ASCII fallback and the exact UTF-8 name (RFC 6266 / RFC 5987). */


const DocParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }), docId: Type.String({ minLength: 1, maxLength: 100 }) });
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) });
const DownloadQuery = Type.Object({
  disposition: Type.Optional(Type.Union([Type.Literal('inline'), Type.Literal('attachment')], { description: 'inline to open in the browser; attachment (default) to save' })),
});

/** The multipart form of the upload, for the OpenAPI document (multer parses the real one). */
const UploadForm = Type.Object({
  file: Type.String({ format: 'binary', description: 'PDF, JPEG or PNG (recognised by content)' }),
  name: Type.Optional(Type.String({ maxLength: MAX_NAME, description: 'Name to store; defaults to the file name' })),
  paperId: Type.Optional(Type.String({ maxLength: 100, description: 'The checklist item (catalog document id of the dossier\'s procedure) this paper is' })),
}, { required: ['file'] });

const DocumentSchema = Type.Object({
  id: Type.String(),
  dossierId: Type.String(),
  name: Type.String(),
  mime: Type.String({ description: 'Detected from the content, not the declared type' }),
  size: Type.Integer({ description: 'Bytes' }),
  sha256: Type.String({ description: 'Hex SHA-256 of the bytes; also the download ETag' }),
  uploadedBy: Type.Object({ id: Type.String(), name: Type.Union([Type.String(), Type.Null()]) }),
  createdAt: Type.String({ format: 'date-time' }),
  url: Type.String({ description: 'Download path' }),
  kind: Type.Union(['submitted', 'digitised', 'result', 'slip'].map((k) => Type.Literal(k)), {
    description: 'submitted: a paper brought by the citizen; digitised: its electronic copy (bản sao điện tử) with metadata; result: a result of the procedure; slip',
  }),
  paperId: Type.Union([Type.String(), Type.Null()], { description: 'The checklist item (catalog document id) this document is' }),
  holderId: Type.Union([Type.String(), Type.Null()], { description: 'Personal ID of the holder (digitised papers and results)' }),
  meta: Type.Record(Type.String(), Type.Unknown(), { description: 'Metadata of the kind (docs/papers.md)' }),
  digitisedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  reusedFrom: Type.Union([Type.String(), Type.Null()], { description: 'The stored document this copy was reused from (another dossier of the same holder)' }),
});


function view(row: DocRow, uploaderName: string | null) {
  return {
    id: row.id, dossierId: row.dossierId, name: row.name, mime: row.mime, size: row.size, sha256: row.sha256,
    uploadedBy: { id: row.uploadedBy, name: uploaderName }, createdAt: iso(row.createdAt),
    url: `/api/dossiers/${encodeURIComponent(row.dossierId)}/documents/${encodeURIComponent(row.id)}`,
    kind: row.kind as 'submitted' | 'digitised' | 'result' | 'slip', paperId: row.paperId, holderId: row.holderId,
    meta: (row.meta ?? {}) as { [k: string]: unknown }, digitisedAt: row.digitisedAt ? iso(row.digitisedAt) : null, reusedFrom: row.reusedFrom,
  };
}

const tooLarge = (max: number): HttpError => {
  const mb = (max / (1024 * 1024)).toLocaleString('en', { maximumFractionDigits: 2 });
  return new HttpError(413, 'FILE_TOO_LARGE', {
    vi: `Tệp vượt quá dung lượng cho phép (tối đa ${mb} MB, ${max} byte). Hãy nén hoặc chia nhỏ tệp rồi gửi lại`,
    en: `The file exceeds the allowed size (at most ${mb} MB, ${max} bytes). Compress or split it and try again`,
  }, undefined, { maxBytes: max });
};

const unsupportedType = (allowed: string[], declared: string): HttpError => new HttpError(415, 'FILE_TYPE_NOT_ALLOWED', {
  vi: `Nội dung tệp không phải loại được phép (${allowed.join(', ')}); tệp khai báo là "${declared}" nhưng nội dung không khớp. Hãy gửi bản PDF, JPEG hoặc PNG`,
  en: `The file content is not an allowed type (${allowed.join(', ')}); it was declared "${declared}" but its content does not match. Send a PDF, JPEG or PNG`,
}, undefined, { allowed });

/** 422 with a JSON pointer unless `paperId` is a checklist item of the dossier's procedure version. */
export async function checkPaperId(deps: Deps, row: Pick<DossierRow, 'procedureId' | 'procedureVersion'>, paperId: string, pointer: string): Promise<void> {
  const proc = await deps.directory.procedure(row.procedureId, row.procedureVersion);
  const ids = proc?.definition.catalog.documents.map((d) => d.id) ?? [];
  if (ids.includes(paperId)) return;
  const message = {
    vi: `Thủ tục không có giấy tờ "${paperId}" trong thành phần hồ sơ${ids.length ? ` (có: ${ids.join(', ')})` : ''}`,
    en: `The procedure lists no paper "${paperId}"${ids.length ? ` (it lists: ${ids.join(', ')})` : ''}`,
  };
  throw new HttpError(422, 'UNKNOWN_PAPER', message, [{ path: pointer, message }]);
}

/**
 * Throws 403 unless one of the user's upload roles itself sees the dossier (./visibility.ts):
 * the desk or specialist of the unit handling it, or of a step waiting for them, or the receiving
 * desk while it is open — never another officer of a receiving unit.
 */
async function mayUpload(deps: Deps, user: AuthUser, row: DossierRow): Promise<void> {
  const lenses = (await lensesOf(deps, user)).filter((l) => UPLOAD_ROLES.includes(l.role));
  if (sees(lenses, row)) return;
  throw forbidden({
    vi: `Chỉ công chức Một cửa hoặc chuyên viên của đơn vị xử lý hồ sơ ${row.id} được đính kèm tài liệu`,
    en: `Only desk officers or specialists of a unit handling dossier ${row.id} may attach documents`,
  });
}

/**
 * The answers every upload route may give besides its own: the size and type checks, and the
 * content check's time limit (./inspect.ts), as each route declares them in OpenAPI.
 */
export const UPLOAD_ERRORS: { [status: number]: string } = {
  413: 'File larger than the limit (FILE_TOO_LARGE)',
  415: 'Not multipart/form-data (NOT_MULTIPART), content not an allowed type (FILE_TYPE_NOT_ALLOWED), active content (FILE_ACTIVE_CONTENT), or its check ran out of time (FILE_UNCHECKABLE)',
  503: "The content check was stopped by another file's running out of time (CHECK_UNAVAILABLE): nothing was stored, send it again",
};

/** Parses the multipart body into memory (bounded by the size limit); maps multer's errors to 4xx. */
export function receive(upload: ReturnType<ReturnType<typeof multer>['single']>, req: Request, res: Response, max: number): Promise<Express.Multer.File | undefined> {
  return new Promise((resolve, reject) => {
    upload(req, res, (err: unknown) => {
      if (!err) {
        resolve(req.file);
        return;
      }
      const code = (err as { code?: string }).code;
      if (err instanceof multer.MulterError) {
        if (code === 'LIMIT_FILE_SIZE') return reject(tooLarge(max));
        if (code === 'LIMIT_UNEXPECTED_FILE' || code === 'LIMIT_FILE_COUNT') {
          return reject(new HttpError(422, 'UPLOAD_INVALID', {
            vi: 'Chỉ gửi một tệp, trong trường "file"', en: 'Send exactly one file, in the field "file"',
          }, [{ path: '/file', message: { vi: 'Một tệp trong trường "file"', en: 'One file in the field "file"' } }]));
        }
        return reject(new HttpError(400, 'UPLOAD_INVALID', {
          vi: `Biểu mẫu tải lên không hợp lệ: ${err.message}`, en: `Invalid upload form: ${err.message}`,
        }));
      }
      // busboy: malformed multipart (no boundary, truncated body…)
      const message = (err as Error).message ?? String(err);
      reject(new HttpError(400, 'BAD_MULTIPART', {
        vi: `Nội dung multipart/form-data không hợp lệ: ${message}`, en: `Malformed multipart/form-data body: ${message}`,
      }));
    });
  });
}

export interface NewDocument {
  dossierId: string;
  name: string;
  mime: string;
  data: Buffer;
  uploadedBy: string;
  createdAt: string;
  /** The checklist item the paper is (a paper submitted), when the uploader said. */
  paperId?: string | null;
  /** The bytes' SHA-256 when known already (an upload's is taken as it is checked, by a worker). */
  sha256?: string;
}

/**
 * Stores a document: the blob is staged first, then its row written (through `insert`, the
 * caller's transaction). When the row cannot be written the staged blob is removed again;
 * once the caller's transaction has committed, it promotes the blob into place (a crash in
 * between is settled by the orphan sweep, blobs/sweep.ts). Returns the row and the staged blob.
 */
export async function storeDocument<R = DocRow>(
  blobs: BlobStore, doc: NewDocument, insert: (row: NewDocRow) => Promise<R>,
): Promise<{ row: R; staged: StagedBlob }> {
  const id = randomUUID();
  const storageKey = `${id.slice(0, 2)}/${id}`;
  // An upload's hash was taken as it was checked (./inspect.ts); other bytes are hashed here.
  const sha256 = doc.sha256 ?? createHash('sha256').update(doc.data).digest('hex');
  const staged = await blobs.stage(storageKey, doc.data);
  try {
    const row = await insert({
      id, dossierId: doc.dossierId, name: doc.name, mime: doc.mime, size: doc.data.length, sha256, storageKey,
      uploadedBy: doc.uploadedBy, createdAt: doc.createdAt, kind: 'submitted', paperId: doc.paperId ?? null,
    });
    return { row, staged };
  } catch (e) {
    await staged.discard();
    throw e;
  }
}

/** Upload buffers reused across requests (./uploadStorage.ts): at most 64 MiB kept. */
const uploadBuffers = new BufferPool(64 * 1024 * 1024);

/**
 * A multer parser for one file within the configured size (the field `file`, an optional
 * `name`, and up to two more fields), received into a pooled buffer: see `acceptUpload`.
 */
export function uploadParser(deps: Deps) {
  return multer({
    storage: pooledStorage(uploadBuffers, deps.config.maxUploadBytes),
    limits: { fileSize: deps.config.maxUploadBytes, files: 1, fields: 4, parts: 5, fieldSize: 2048, fieldNameSize: 100, headerPairs: 50 },
    defParamCharset: 'utf8',
  }).single('file');
}

/**
 * Receives one uploaded paper and checks it as every upload is checked: multipart, within the
 * size limit, not empty, an allowed type by its content (not its name or declared type), no
 * active content; the name cleaned and given the detected type's extension. Throws the 4xx.
 * The file's bytes live in a reused buffer: the caller calls `release()` once it is done with
 * them (in a `finally`), and never keeps `file.buffer` beyond that.
 */
export async function acceptUpload(
  deps: Deps, req: Request, res: Response, upload: ReturnType<typeof uploadParser>,
): Promise<{ file: Express.Multer.File; mime: string; name: string; sha256: string; release: () => void }> {
  const max = deps.config.maxUploadBytes;
  const allowed = deps.config.allowedUploadTypes;
  if (!req.is('multipart/form-data')) {
    throw new HttpError(415, 'NOT_MULTIPART', {
      vi: 'Gửi tệp dưới dạng multipart/form-data, trong trường "file"', en: 'Send the file as multipart/form-data, in the field "file"',
    });
  }
  const declaredLength = Number(req.headers['content-length']);
  if (Number.isFinite(declaredLength) && declaredLength > max + MULTIPART_SLACK) throw tooLarge(max);
  const file = await receive(upload, req, res, max);
  try {
    return { ...(await checkUpload(file, allowed, req, deps.config.uploadCheckMs)), release: () => releaseUpload(file) };
  } catch (e) {
    releaseUpload(file);
    throw e;
  }
}

/** The checks of `acceptUpload` on a received file: the 4xx, else its type and the name to store. */
async function checkUpload(file: Express.Multer.File | undefined, allowed: string[], req: Request, checkMs: number): Promise<{ file: Express.Multer.File; mime: string; name: string; sha256: string }> {
  if (!file) {
    throw new HttpError(422, 'FILE_MISSING', { vi: 'Thiếu tệp trong trường "file"', en: 'No file in the field "file"' },
      [{ path: '/file', message: { vi: 'Bắt buộc', en: 'Required' } }]);
  }
  if (file.size === 0 || file.buffer.length === 0) {
    throw new HttpError(422, 'FILE_EMPTY', { vi: 'Tệp rỗng (0 byte)', en: 'The file is empty (0 bytes)' },
      [{ path: '/file', message: { vi: 'Tệp rỗng', en: 'Empty file' } }]);
  }
  const { detected, active, sha256 } = await inspectUpload(file.buffer, allowed, checkMs);
  if (detected === null || !allowed.includes(detected.mime)) throw unsupportedType(allowed, file.mimetype);
  const mime = detected.mime;
  if (active !== null) {
    throw new HttpError(415, 'FILE_ACTIVE_CONTENT', {
      vi: `Tệp ${EXT[mime]?.toUpperCase() ?? mime} có chứa nội dung có thể thực thi (HTML hoặc mã lệnh: "${active}") nên không được nhận. Hãy in ra PDF hoặc quét lại tài liệu rồi gửi`,
      en: `The ${EXT[mime]?.toUpperCase() ?? mime} file contains active content (HTML or script: "${active}") and is refused. Print it to PDF or scan the paper again and send that`,
    }, [{ path: '/file', message: { vi: 'Tệp đa định dạng (polyglot) hoặc có mã lệnh', en: 'Polyglot file or embedded script' } }], { allowed });
  }
  const body = (req.body ?? {}) as { name?: unknown };
  // The stored name's extension is the detected type's, whatever the name claimed (".html", ".exe").
  const name = withExtension(cleanName(typeof body.name === 'string' && body.name.trim() ? body.name : file.originalname, mime), mime);
  return { file, mime, name, sha256 };
}

/**
 * Documents of a dossier (upload with size and type limits and a checksum, list, download
 * verified against its checksum). The slips: ../slips/routes.ts.
 * The upload is multipart/form-data: field `file` and an optional `name`.
 */
export function fileRoutes(api: Api, deps: Deps, blobs: BlobStore = createBlobStore(deps.config)): void {
  const max = deps.config.maxUploadBytes;
  const allowed = deps.config.allowedUploadTypes;
  const upload = uploadParser(deps);

  api.add({
    method: 'post', path: '/api/dossiers/:id/documents',
    summary: `Attach a document: multipart/form-data with field "file" (${allowed.join(', ')} by content, at most ${max} bytes) and an optional "name"; answers its SHA-256`,
    tags: ['documents'], access: UPLOAD_ROLES, params: IdParams, status: 201, response: DocumentSchema, multipart: UploadForm,
    errors: {
      ...UPLOAD_ERRORS, 403: 'Not a desk officer or specialist of the dossier\'s units', 404: 'No such dossier', 409: 'The dossier is closed',
    },
  }, async ({ req, res, params, user }) => {
    const row = await visibleDossier(deps, user!, params.id);
    await mayUpload(deps, user!, row);
    if (row.closedAt) {
      throw new HttpError(409, 'DOSSIER_CLOSED', {
        vi: `Hồ sơ ${row.id} đã kết thúc; không đính kèm thêm tài liệu được`, en: `Dossier ${row.id} is closed; no more documents can be attached`,
      });
    }
    const { file, mime, name, sha256, release } = await acceptUpload(deps, req, res, upload);
    // The bytes are a reused buffer (uploadStorage.ts): given back once stored or refused.
    try {
      const body = (req.body ?? {}) as { name?: unknown; paperId?: unknown };
      const paperId = typeof body.paperId === 'string' && body.paperId.trim() ? body.paperId.trim() : null;
      if (paperId !== null) await checkPaperId(deps, row, paperId, '/paperId');
      const key = req.headers['idempotency-key'];
      let staged: StagedBlob | null = null;
      const out = await runOnce(deps, user!.id, typeof key === 'string' ? key : undefined, { path: req.path, sha256, name, paperId }, async (tx) => {
        const { row: doc, staged: blob } = await storeDocument(blobs, {
          dossierId: row.id, name, mime, data: file.buffer, sha256, uploadedBy: user!.id, createdAt: deps.clock.now().toISOString(), paperId,
        }, (values) => insertDocument(tx, values));
        staged = blob;
        return { status: 201, body: view(doc, user!.name), notices: [] };
      }).catch(async (e: unknown) => {
        // The transaction rolled back after the row was written (e.g. the commit failed): drop the blob too.
        await (staged as StagedBlob | null)?.discard();
        throw e;
      });
      // Committed: the blob goes in place. A concurrent retry with the same key won: keep its document, not a second copy.
      const blob = staged as StagedBlob | null;
      if (blob) await (out.replayed ? blob.discard() : blob.promote());
      if (out.replayed) res.setHeader('Idempotent-Replayed', 'true');
      res.status(out.status).json(out.body);
    } finally {
      release();
    }
  });

  api.add({
    method: 'get', path: '/api/dossiers/:id/documents', summary: 'Documents attached to a dossier, oldest first', tags: ['documents'],
    access: 'user', params: IdParams, response: Type.Array(DocumentSchema), errors: { 404: 'No such dossier' },
  }, async ({ params, user }) => {
    await visibleDossier(deps, user!, params.id);
    const rows = await documentsOf(deps.db, params.id);
    return rows.map((r) => view(r.doc, r.uploader));
  });

  api.add({
    method: 'get', path: '/api/dossiers/:id/documents/:docId',
    summary: 'Download a document (checked against its SHA-256; ETag = SHA-256; for a new tab, a link from POST /api/auth/download-link)',
    tags: ['documents'], access: 'user', params: DocParams, query: DownloadQuery, produces: 'application/octet-stream',
    errors: { 404: 'No such dossier or document', 409: 'Stored bytes do not match the checksum (DOCUMENT_CHECKSUM_MISMATCH) or are missing' },
  }, async ({ req, res, params, query, user }) => {
    await visibleDossier(deps, user!, params.id);
    const doc = await documentOfDossier(deps.db, params.id, params.docId);
    if (!doc) throw notFound({ vi: 'tài liệu', en: 'document' }, params.docId);
    const etag = `"${doc.sha256}"`;
    // A reused copy of a signed result reads the register's file (papers/register.ts).
    const data = await documentBytes(deps, blobs, doc);
    if (data === null) {
      deps.logger.error({ dossier: doc.dossierId, document: doc.id, key: doc.storageKey }, 'document blob missing');
      throw new HttpError(409, 'DOCUMENT_MISSING', {
        vi: 'Không tìm thấy nội dung tệp đã lưu; hãy báo quản trị hệ thống và tải tệp lên lại', en: 'The stored file is missing; tell the administrator and upload it again',
      });
    }
    const actual = createHash('sha256').update(data).digest('hex');
    if (actual !== doc.sha256 || data.length !== doc.size) {
      deps.logger.error({ dossier: doc.dossierId, document: doc.id, key: doc.storageKey, expected: doc.sha256, actual, size: data.length }, 'document checksum mismatch');
      throw new HttpError(409, 'DOCUMENT_CHECKSUM_MISMATCH', {
        vi: 'Nội dung tệp đã lưu không khớp mã kiểm tra (SHA-256) nên không được trả về; hãy báo quản trị hệ thống',
        en: 'The stored file does not match its SHA-256 checksum, so it is not served; tell the administrator',
      }, undefined, { sha256: doc.sha256 });
    }
    res.setHeader('ETag', etag);
    // A citizen's papers must not stay in the disk cache of a shared desk computer; the ETag still answers If-None-Match.
    res.setHeader('Cache-Control', 'private, no-store');
    if (req.headers['if-none-match']?.split(',').map((t) => t.trim()).includes(etag)) {
      res.status(304).end();
      return;
    }
    res.setHeader('Content-Type', doc.mime);
    res.setHeader('Content-Length', String(data.length));
    res.setHeader('Content-Disposition', contentDisposition(query.disposition ?? 'attachment', doc.name));
    res.status(200).end(data);
  });
}
