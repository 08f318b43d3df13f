/**
 * Signed results in the citizen's data store (docs/papers.md): the register of issued documents
 * (server/src/esign/, `issued_documents`) keeps each result signed on approval with its holder
 * (the applicant's personal ID then) and its paper type. The store shows them beside the
 * documents typed as digitised papers or results, in the same shape (a documents row as it
 * would be), so the officer's lookup, the citizen's own view and the reuse at intake read one
 * list under one visibility rule. Their bytes stay in the register: the store serves that very
 * file, byte for byte the one the verification page checks; a reused copy in a later dossier
 * names it by the storage key `issued:<id>` instead of copying it.
 */
import { createHash } from 'node:crypto';
import type { Db, Tx } from '../db/client';
import type { Deps } from '../deps';
import type { BlobStore } from '../blobs';
import { HttpError } from '../http/errors';
import { issuedPdf, issuedResultsOf, storeOf, type DocumentRow, type IssuedEntry, type StoreEntry } from './repo';

/** The storage key prefix of a document whose bytes are a signed result of the register. */
export const ISSUED_KEY = 'issued:';

/** A display and file name for a signed result: its title and number ("1/2026/KQ" → "1-2026-KQ"). */
export const issuedName = (title: string, number: string): string => `${title} ${number.replace(/[/\\]/g, '-')}.pdf`;

interface Signer { role?: string; name?: string; lines?: string[] }

/** A register result as a store entry (the documents row it would be). */
async function asEntry(deps: Deps, e: IssuedEntry): Promise<StoreEntry> {
  const i = e.issued;
  const personal = (Array.isArray(i.signers) ? (i.signers as Signer[]) : []).find((s) => s.role === 'personal');
  const date = (await deps.directory.calendar(i.unit)).localDate(Date.parse(i.issuedAt));
  const issuer = (await deps.directory.unit(i.unit))?.name ?? i.unit;
  const doc: DocumentRow = {
    id: i.id, dossierId: i.dossierId, name: issuedName(i.title, i.number), mime: 'application/pdf', size: i.size, sha256: i.sha256,
    storageKey: `${ISSUED_KEY}${i.id}`, uploadedBy: '', createdAt: i.issuedAt, kind: 'result', paperId: null, holderId: i.holderId,
    meta: {
      number: i.number, date, title: i.title, issuer, paperType: i.paperType, validUntil: null, signed: true,
      ...(personal?.name ? { signer: [...(personal.lines ?? []), personal.name].join(' ') } : {}),
    },
    digitisedAt: i.issuedAt, digitisedBy: null, reusedFrom: null,
  };
  return { doc, dossier: e.dossier };
}

/** Whether a store entry is a signed result of the register. */
export const isIssued = (doc: Pick<DocumentRow, 'storageKey'>): boolean => doc.storageKey.startsWith(ISSUED_KEY);

/** A holder's whole store: typed documents and signed results of the register, newest first. */
export async function holderStore(deps: Deps, holderId: string): Promise<StoreEntry[]> {
  const [typed, issued] = await Promise.all([storeOf(deps.db, holderId), issuedResultsOf(deps.db, holderId)]);
  const all = [...typed, ...(await Promise.all(issued.map((e) => asEntry(deps, e))))];
  const at = (e: StoreEntry): number => Date.parse(e.doc.digitisedAt ?? e.doc.createdAt);
  return all.sort((a, b) => at(b) - at(a));
}

/** Signed results of the register by id (any holder: the caller checks), as store entries. */
export async function issuedEntries(deps: Deps, db: Db | Tx, ids: string[]): Promise<StoreEntry[]> {
  return Promise.all((await issuedResultsOf(db, null, ids)).map((e) => asEntry(deps, e)));
}

/**
 * The bytes of a document: its blob, or the signed file of the register for a signed result (or
 * a reused copy of one), checked against the register's hash. Null when there are none.
 */
export async function documentBytes(deps: Deps, blobs: BlobStore, doc: Pick<DocumentRow, 'storageKey'>): Promise<Buffer | null> {
  if (!isIssued(doc)) return blobs.get(doc.storageKey);
  const row = await issuedPdf(deps.db, doc.storageKey.slice(ISSUED_KEY.length));
  if (!row) return null;
  const pdf = Buffer.from(row.pdf, 'base64');
  if (createHash('sha256').update(pdf).digest('hex') !== row.sha256) {
    throw new HttpError(409, 'DOCUMENT_CHECKSUM_MISMATCH', { vi: 'Văn bản đã lưu không khớp mã kiểm tra; hãy báo quản trị hệ thống', en: 'The stored document does not match its checksum; tell the administrator' });
  }
  return pdf;
}
