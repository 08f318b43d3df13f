/**
 * What an intake takes from the citizen's data store and the shared databases instead of
 * paper (docs/papers.md): the lookups the desk made with the citizen's consent (papers the
 * procedure marks "not required when the data is found" drop out of the checklist) and the
 * digitised papers and results of the same holder reused as this dossier's copies. Both are
 * checked here, recorded on the dossier's data (so its first history event says who looked
 * what up, when, with which consent, and which stored papers stand for which checklist
 * items), and written with the intake in its transaction.
 */
import { randomUUID } from 'node:crypto';
import type { Actor, CompiledProcedure, RequiredDocument } from '@motcua/engine';
import type { Tx } from '../db/client';
import type { Deps } from '../deps';
import { HttpError } from '../http/errors';
import { issuedEntries } from './register';
import {
  attachLookups, bumpPapers, insertDocuments, lookupsForUpdate, storeEntries, type DocumentRow, type StoreEntry,
} from './repo';

/** How long a lookup may be used by an intake after it was made. */
export const LOOKUP_VALID_MS = 24 * 3600_000;

export interface ReuseRequest { paperId: string; documentId: string }

export interface SharedIntakeInput {
  applicantId?: string | undefined;
  receivingUnit: string;
  competentUnit: string;
  /** Ids of lookups made at the desk (POST /api/shared-data/lookups). */
  lookups?: string[] | undefined;
  reuse?: ReuseRequest[] | undefined;
}

/** One lookup as the dossier records it. */
export interface SharedDataUse {
  lookupId: string;
  source: 'population' | 'civil-status';
  at: string;
  by: { id: string; name: string };
  consent: unknown;
  sourceRef: string | null;
  /** The record's fields the desk had (and pre-filled from). */
  fields: string[];
  /** Checklist items not asked for because the data was found. */
  papersNotRequired: string[];
}

/** One stored paper reused as this dossier's copy. */
export interface ReusedPaper {
  paperId: string;
  documentId: string;
  fromDossier: string;
  kind: string;
  paperType: string | null;
  number: string | null;
  issuer: string | null;
  issuedOn: string | null;
}

export interface SharedIntake {
  /** Recorded on the dossier's data, hence in its first history event. */
  data: { sharedData?: SharedDataUse[]; reusedPapers?: ReusedPaper[] };
  /** Writes the reused copies, names the dossier on its lookups, bumps the counters: in the intake's transaction. */
  store(tx: Tx, dossierId: string): Promise<void>;
}

/** Whether the acting officer may see a dossier (the rule of dossiers/visibility.ts, given by the caller). */
export type SeesDossier = (row: StoreEntry['dossier']) => Promise<boolean>;

const bad = (status: number, code: string, path: string, vi: string, en: string): HttpError =>
  new HttpError(status, code, { vi, en }, [{ path, message: { vi, en } }]);

/** The paper type a checklist item accepts: its declared type, else its own id. */
export const paperTypeOf = (d: Pick<RequiredDocument, 'id' | 'paperType'>): string => d.paperType ?? d.id;

const metaOf = (doc: DocumentRow): { [k: string]: unknown } => (doc.meta ?? {}) as { [k: string]: unknown };
const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** Checks the lookups and reuses an intake names; nothing is written until `store`. */
export async function planSharedIntake(
  deps: Deps, tx: Tx, actor: Actor, proc: CompiledProcedure, input: SharedIntakeInput, sees: SeesDossier,
): Promise<SharedIntake> {
  const lookups = input.lookups ?? [];
  const reuse = input.reuse ?? [];
  if (lookups.length === 0 && reuse.length === 0) return { data: {}, store: async () => {} };
  const holder = input.applicantId;
  if (!holder) {
    throw bad(422, 'APPLICANT_ID_REQUIRED', '/applicant/id', 'Cần số định danh cá nhân của người nộp để dùng dữ liệu đã có',
      'The applicant\'s personal ID is needed to use data already held');
  }
  const catalog = proc.definition.catalog.documents;
  const now = deps.clock.now();

  const rows = await lookupsForUpdate(tx, lookups);
  const uses: SharedDataUse[] = lookups.map((id, i) => {
    const path = `/sharedData/${i}`;
    const row = rows.find((r) => r.id === id);
    if (!row) throw bad(422, 'UNKNOWN_LOOKUP', path, `Không có lần tra cứu "${id}"`, `No lookup "${id}"`);
    if (row.personalId !== holder) {
      throw bad(422, 'LOOKUP_OTHER_PERSON', path, `Lần tra cứu "${id}" là của người khác, không phải người nộp ${holder}`, `Lookup "${id}" is about someone else, not applicant ${holder}`);
    }
    if (row.unit !== input.receivingUnit) {
      throw bad(422, 'LOOKUP_OTHER_UNIT', path, `Lần tra cứu "${id}" do đơn vị khác thực hiện`, `Lookup "${id}" was made by another unit`);
    }
    if (row.dossierId !== null) {
      throw bad(409, 'LOOKUP_USED', path, `Lần tra cứu "${id}" đã dùng cho hồ sơ ${row.dossierId}`, `Lookup "${id}" was used by dossier ${row.dossierId} already`);
    }
    if (now.getTime() - Date.parse(row.at) > LOOKUP_VALID_MS) {
      throw bad(422, 'LOOKUP_STALE', path, `Lần tra cứu "${id}" đã quá 24 giờ; hãy tra cứu lại`, `Lookup "${id}" is older than 24 hours; look the person up again`);
    }
    const source = row.source as SharedDataUse['source'];
    return {
      lookupId: row.id, source, at: row.at, by: { id: row.actorId, name: row.actorName }, consent: row.consent, sourceRef: row.sourceRef,
      fields: Object.keys(row.record as object).sort(), papersNotRequired: catalog.filter((d) => d.notRequiredWhenFound === source).map((d) => d.id),
    };
  });

  const ids = reuse.map((r) => r.documentId);
  // Typed documents and signed results of the register (./register.ts) alike.
  const entries = [...(await storeEntries(tx, ids)), ...(await issuedEntries(deps, tx, ids))];
  const seen = new Set<string>();
  const reused: { paper: ReusedPaper; entry: StoreEntry }[] = [];
  for (const [i, r] of reuse.entries()) {
    const path = `/reuse/${i}`;
    const item = catalog.find((d) => d.id === r.paperId);
    if (!item) throw bad(422, 'UNKNOWN_PAPER', `${path}/paperId`, `Thủ tục không có giấy tờ "${r.paperId}"`, `The procedure lists no paper "${r.paperId}"`);
    if (seen.has(r.paperId)) throw bad(422, 'PAPER_REUSED_TWICE', `${path}/paperId`, `Giấy tờ "${r.paperId}" đã được chọn`, `Paper "${r.paperId}" is chosen twice`);
    seen.add(r.paperId);
    const entry = entries.find((e) => e.doc.id === r.documentId);
    if (!entry || (entry.doc.kind !== 'digitised' && entry.doc.kind !== 'result')) {
      throw bad(422, 'UNKNOWN_STORED_PAPER', `${path}/documentId`, `Không có bản điện tử "${r.documentId}" trong kho dữ liệu`, `No stored electronic paper "${r.documentId}"`);
    }
    if (entry.doc.holderId !== holder) {
      throw bad(422, 'STORED_PAPER_OTHER_PERSON', `${path}/documentId`, `Bản điện tử "${r.documentId}" không phải của người nộp ${holder}`, `Stored paper "${r.documentId}" does not belong to applicant ${holder}`);
    }
    if (!(await sees(entry.dossier))) {
      throw new HttpError(403, 'STORED_PAPER_FORBIDDEN', {
        vi: `Bản điện tử "${r.documentId}" thuộc hồ sơ của đơn vị khác; bạn không được dùng lại`, en: `Stored paper "${r.documentId}" belongs to another unit's dossier; you may not reuse it`,
      }, [{ path: `${path}/documentId`, message: { vi: 'Ngoài phạm vi đơn vị của bạn', en: 'Outside your units' } }]);
    }
    const meta = metaOf(entry.doc);
    const want = paperTypeOf(item);
    if (meta['paperType'] !== want) {
      throw bad(422, 'PAPER_TYPE_MISMATCH', `${path}/paperId`, `Bản điện tử là loại "${String(meta['paperType'])}", không thay được giấy tờ "${r.paperId}" (loại "${want}")`,
        `The stored paper is of type "${String(meta['paperType'])}" and cannot stand for "${r.paperId}" (type "${want}")`);
    }
    const until = text(meta['validUntil']);
    if (until && until < now.toISOString().slice(0, 10)) {
      throw bad(422, 'STORED_PAPER_EXPIRED', `${path}/documentId`, `Bản điện tử "${r.documentId}" hết giá trị sử dụng từ ${until}`, `Stored paper "${r.documentId}" is no longer valid (since ${until})`);
    }
    reused.push({
      entry,
      paper: {
        paperId: r.paperId, documentId: entry.doc.id, fromDossier: entry.dossier.id, kind: entry.doc.kind, paperType: want,
        number: text(meta['number']), issuer: text(meta['issuer']) ?? text(meta['signer']), issuedOn: text(meta['issuedOn']) ?? text(meta['date']),
      },
    });
  }

  return {
    data: { ...(uses.length ? { sharedData: uses } : {}), ...(reused.length ? { reusedPapers: reused.map((r) => r.paper) } : {}) },
    store: async (t, dossierId) => {
      const at = deps.clock.now().toISOString();
      await insertDocuments(t, reused.map(({ entry, paper }) => ({
        id: randomUUID(), dossierId, name: entry.doc.name, mime: entry.doc.mime, size: entry.doc.size, sha256: entry.doc.sha256,
        storageKey: entry.doc.storageKey, uploadedBy: actor.id, createdAt: at, kind: 'digitised', paperId: paper.paperId,
        holderId: holder, meta: { ...metaOf(entry.doc), paperType: paper.paperType, reusedAt: at }, digitisedAt: at, digitisedBy: actor.id,
        reusedFrom: entry.doc.id,
      })));
      await attachLookups(t, lookups, dossierId);
      const day = (await deps.directory.calendar(input.competentUnit)).localDate(now.getTime());
      await bumpPapers(t, input.competentUnit, day, {
        dossiersReusing: 1, papersReused: reused.length, dossiersDigitised: reused.length ? 1 : 0, lookups: uses.length,
      });
    },
  };
}
