/**
 * Form 06 of Circular 01/2018/TT-VPCP, the tracking book (Sổ theo dõi hồ sơ) a one-stop desk
 * keeps: one row per dossier it received in a period, from receipt through hand-over to the
 * handling agency, the result coming back and its return to the applicant. `bookEntry` is
 * pure; `trackingBook` loads the dossiers and their histories.
 */
import { localDayWindow, type CompiledProcedure, type DossierEvent, type DossierSnapshot, type Outcome } from '@motcua/engine';
import type { Deps } from '../deps';
import type { DossierRow } from '../dossiers/repo';
import { history } from '../dossiers/service';
import { HttpError } from '../http/errors';
import { printable } from '../http/normalise';
import { crossedVersions, isPeoplesCommittee, placeOf, procAt, type SlipSource } from './data';
import { receivedAtDesk } from './repo';

/**
 * Rows a book prints at once. Laying out a row takes about a millisecond of the event loop
 * (a PDF of 400 rows held it for half a second), so a desk's whole record held every other
 * request for minutes; 2,000 rows is a month of a busy desk, some 200 pages.
 */
export const BOOK_MAX_ENTRIES = 2000;

export interface BookEntry {
  code: string;
  procedure: string;
  sets: number;
  applicant: string;
  /** Address and phone. */
  contact: string;
  /** Lead agency (cơ quan chủ trì giải quyết). */
  handlingUnit: string;
  /** ISO instants; null while it has not happened. */
  receivedAt: string;
  dueAt: string | null;
  sentAt: string | null;
  resultBackAt: string | null;
  returnedAt: string | null;
  note: string;
}

export interface TrackingBook {
  /** The unit keeping the book, headed like its slips 01–03 (its one-stop body under it, when set). */
  unit: { code: string; name: string; parentName?: string };
  place: string;
  /** Local dates YYYY-MM-DD, inclusive. */
  from: string;
  to: string;
  generatedAt: string;
  entries: BookEntry[];
}

const OUTCOME_NOTE: Record<Outcome, string> = {
  approved: '',
  rejected: 'Không giải quyết (có văn bản trả lời)',
  refused: 'Từ chối tiếp nhận',
  withdrawn: 'Công dân rút hồ sơ',
  stopped: 'Dừng giải quyết',
};

type Applied = Extract<DossierEvent, { type: 'action.applied' }>;

/** One row of the book for a dossier, from its row, history and procedure; pure. */
export function bookEntry(
  row: DossierRow, events: DossierEvent[], proc: CompiledProcedure | null, unitName: (code: string) => string,
  versions?: SlipSource['versions'],
): BookEntry {
  const s = row.snapshot as DossierSnapshot;
  // Each event's steps are read in the version it was recorded under: a dossier moved to a new
  // version (docs/migration.md) keeps step ids in its history that the new version may not have.
  const procOf = (e: Applied): CompiledProcedure | null => (proc ? procAt({ proc, events, ...(versions ? { versions } : {}) }, e.seq) : null);
  const atDesk = (e: Applied) => (step: string): boolean => procOf(e)?.steps.get(step)?.def.role === 'desk';
  const handling = (e: Applied) => (step: string): boolean => {
    const def = procOf(e)?.steps.get(step)?.def;
    return def !== undefined && def.role !== 'desk' && def.kind !== 'final' && def.kind !== 'wait-citizen';
  };
  const applied = events.filter((e): e is Applied => e.type === 'action.applied');
  // Handed to the handling agency: the desk's step left for a step of someone else's.
  const sent = applied.find((e) => e.from.some(atDesk(e)) && e.to.some(handling(e)));
  // The result back at the desk: after the hand-over, a handler's step left for a desk step.
  const back = sent ? applied.find((e) => e.seq > sent.seq && e.from.some((x) => !atDesk(e)(x)) && e.to.some(atDesk(e))) : undefined;
  const contact = s.data['applicantContact'] as { address?: unknown; phone?: unknown } | undefined;
  const parts = [contact?.address, contact?.phone].filter((x): x is string => typeof x === 'string' && x.trim() !== '');
  const notes = [
    s.outcome ? OUTCOME_NOTE[s.outcome] : '',
    s.channel === 'online' ? 'Nộp trực tuyến' : s.channel === 'postal' ? 'Nộp qua bưu chính' : '',
  ].filter(Boolean);
  const sets = Number(s.data['sets']);
  return {
    code: row.id,
    procedure: proc?.definition.catalog.name.vi ?? row.procedureId,
    sets: Number.isInteger(sets) && sets > 0 ? sets : 1,
    applicant: printable(s.applicant.name),
    contact: parts.join('; '),
    handlingUnit: unitName(s.routing.competent),
    receivedAt: new Date(s.clock.receivedAt ?? s.clock.submittedAt).toISOString(),
    dueAt: s.clock.originalDueAt ? new Date(s.clock.originalDueAt).toISOString() : null,
    sentAt: sent ? new Date(sent.at).toISOString() : null,
    resultBackAt: back ? new Date(back.at).toISOString() : null,
    returnedAt: s.closedAt && s.outcome === 'approved' ? new Date(s.closedAt).toISOString() : null,
    note: notes.join('; '),
  };
}


/** The book of the dossiers `unit`'s desk received from `from` to `to` (local dates, inclusive). */
export async function trackingBook(deps: Deps, unit: string, from: string, to: string): Promise<TrackingBook> {
  const units = new Map((await deps.directory.allUnits()).map((u) => [u.code, u]));
  const own = units.get(unit);
  const name = own?.name ?? unit;
  const rows = await receivedAtDesk(deps.db, unit, localDayWindow(from).start, localDayWindow(to).end, BOOK_MAX_ENTRIES + 1);
  if (rows.length > BOOK_MAX_ENTRIES) {
    const message = {
      vi: `Sổ theo dõi hồ sơ từ ${from} đến ${to} có hơn ${BOOK_MAX_ENTRIES} hồ sơ; hãy in từng khoảng thời gian ngắn hơn (ví dụ từng tháng)`,
      en: `The tracking book from ${from} to ${to} holds more than ${BOOK_MAX_ENTRIES} dossiers; print it over shorter periods (a month at a time, say)`,
    };
    throw new HttpError(422, 'BOOK_TOO_LARGE', message, [{ path: '/to', message }]);
  }
  const entries: BookEntry[] = [];
  for (const row of rows) {
    const proc = await deps.directory.procedure(row.procedureId, row.procedureVersion);
    const events = (await history(deps, row.id)).map((h) => h.payload as DossierEvent);
    const versions = proc ? await crossedVersions(deps, row.procedureId, proc, events) : undefined;
    entries.push(bookEntry(row, events, proc, (code) => units.get(code)?.name ?? code, versions));
  }
  const parent = own?.parent && !isPeoplesCommittee(name) ? units.get(own.parent)?.name : undefined;
  const heading = own?.oneStopName
    ? { code: unit, name: own.oneStopName, parentName: name }
    : { code: unit, name, ...(parent ? { parentName: parent } : {}) };
  return { unit: heading, place: placeOf(name), from, to, generatedAt: deps.clock.now().toISOString(), entries };
}
