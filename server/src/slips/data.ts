/**
 * What a slip prints, taken from the dossier: its row and snapshot, its history, the units
 * and the procedure version it runs on. `buildSlipData` is pure; `slipDataFor` loads what it
 * needs (history, units, calendar, the leader's signing formula) and calls it.
 */
import {
  GLOBAL_STEP, holds, legalTimeOf, REISSUE_SLIP, replay, resolveAuthority,
  type Calendar, type CompiledProcedure, type DocumentForm, type DossierEvent, type DossierSnapshot, type Duration, type UnitScope,
} from '@motcua/engine';
import { HttpError } from '../http/errors';
import { actorOf, loadUser } from '../auth/service';
import { activeDelegationsFor } from '../admin/service';
import type { Deps } from '../deps';
import type { UnitRow } from '../directory';
import { slipTitle } from './titles';
import type { SlipData, SlipDocument, SlipHandoff, SlipKind, SlipSigning } from './types';
import type { DossierRow } from '../dossiers/repo';
import { printable } from '../http/normalise';
import { history } from '../dossiers/service';
import { headOfUnit } from './repo';
import { isPeoplesCommittee, placeOf } from './place';
import { iso as isoOrNull } from '../db/time';

export { isPeoplesCommittee, placeOf };

type Applied = Extract<DossierEvent, { type: 'action.applied' }>;

/** Everything a slip is built from; gathered by `slipDataFor`, or by a test. */
export interface SlipSource {
  row: DossierRow;
  proc: CompiledProcedure;
  /** The dossier's events, oldest first (the `payload` of its history rows). */
  events: DossierEvent[];
  units: ReadonlyMap<string, UnitRow>;
  /** The calendar the dossier's deadlines are counted in (its competent unit's). */
  calendar: Calendar;
  /** ISO instant: the issue time of slips that are a live record (form 05). */
  now: string;
  /** Base URL of the public site, for the tracking address on the receipt. */
  publicUrl: string;
  /** The leader's signing formula, when known. */
  signing?: SlipSigning;
  /**
   * Other versions of the procedure, for a history that crossed a migration (`dossier.migrated`,
   * docs/migration.md): each event is read against the version it was recorded under.
   */
  versions?: (version: number) => CompiledProcedure | null | undefined;
}

type Migrated = Extract<DossierEvent, { type: 'dossier.migrated' }>;

/**
 * The procedure version event `seq` was recorded under: the dossier's current one unless its
 * history crossed a migration, where events before a `dossier.migrated` belong to its
 * `fromVersion` and the move itself and what follows to its `toVersion`; pure.
 */
export function procAt(src: Pick<SlipSource, 'proc' | 'events' | 'versions'>, seq: number): CompiledProcedure {
  const moves = src.events.filter((e): e is Migrated => e.type === 'dossier.migrated');
  const first = moves[0];
  if (!first || !src.versions) return src.proc;
  let version = first.fromVersion;
  for (const m of moves) if (m.seq <= seq) version = m.toVersion;
  return version === src.proc.definition.version ? src.proc : src.versions(version) ?? src.proc;
}

/** A step id of an earlier version, followed through the moves recorded after event `seq` to the id it has now. */
function stepNow(events: DossierEvent[], seq: number, step: string): string {
  let id = step;
  for (const e of events) if (e.type === 'dossier.migrated' && e.seq > seq) id = e.moves.find((m) => m.from === id)?.to ?? id;
  return id;
}

const FORM_LABEL: Record<DocumentForm, string> = {
  original: 'Bản chính',
  'certified-copy': 'Bản sao có chứng thực',
  copy: 'Bản sao',
  'original-or-certified-copy': 'Bản chính hoặc bản sao có chứng thực',
  'original-for-comparison': 'Bản chính (để đối chiếu)',
};

/** What an action must mean for it to issue a slip when its definition names none. */
export const INTENT_OF: Partial<Record<SlipKind, string>> = {
  'supplement-request': 'supplement',
  refusal: 'refuse',
  apology: 'extend',
  'stop-notice': 'stop',
  'extra-time-notice': 'extra-time',
};

/** "03 ngày làm việc", "04 giờ làm việc", "Trong ngày làm việc"; pure. */
export function durationLabel(d: Duration): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  if (d.days !== undefined) return d.days === 0 ? 'Trong ngày làm việc' : `${two(d.days)} ngày làm việc`;
  if (d.hours !== undefined) return `${two(d.hours)} giờ làm việc`;
  return '';
}

/** The one-stop mechanism in force since 1 July 2025 (docs/records.md). */
const ONE_STOP_DECREE = 'Nghị định số 118/2025/NĐ-CP của Chính phủ về thực hiện thủ tục hành chính theo cơ chế một cửa, một cửa liên thông tại Bộ phận Một cửa và Cổng Dịch vụ công quốc gia (sửa đổi, bổ sung bởi Nghị định số 367/2025/NĐ-CP)';

/**
 * The issuing body's part of a document symbol (Decree 30/2020, Annex I): "UBND" for a People's
 * Committee, else the initials of its name without the locality ("Công an xã An Phú" → "CAX"); pure.
 */
export function symbolOf(unitName: string): string {
  if (isPeoplesCommittee(unitName)) return 'UBND';
  const place = placeOf(unitName);
  const body = place !== unitName && unitName.endsWith(place) ? unitName.slice(0, -place.length) : unitName;
  // "Công an xã " → "CAX": the level word belongs to the symbol, the locality does not.
  return body.trim().split(/\s+/u).map((w) => w.charAt(0).toLocaleUpperCase('vi')).join('').normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/Đ/g, 'D');
}

function resolveUnit(scope: UnitScope, routing: DossierSnapshot['routing']): string {
  if (typeof scope === 'object') return scope.unit;
  if (scope === 'receiving') return routing.receiving;
  if (scope === 'return') return routing.returnUnit;
  return routing.competent;
}

const str = (x: unknown): string | undefined => (typeof x === 'string' && x.trim() !== '' ? x : undefined);

function applied(events: DossierEvent[]): Applied[] {
  return events.filter((e): e is Applied => e.type === 'action.applied');
}

/** Whether an applied action issues `kind`: named by the action's or an entered step's effects, else by the action's intent. */
function issues(src: Pick<SlipSource, 'proc' | 'events' | 'versions'>, e: Applied, kind: SlipKind, byIntent: boolean): boolean {
  const proc = procAt(src, e.seq);
  const info = proc.actions.get(`${e.step}:${e.action}`);
  if (byIntent) return INTENT_OF[kind] !== undefined && info?.def.intent === INTENT_OF[kind];
  const named = (info?.def.effects ?? []).some((f) => f.type === 'issueSlip' && f.slip === kind);
  const onEnter = e.to.some((s) => (proc.steps.get(s)?.def.onEnter ?? []).some((f) => f.type === 'issueSlip' && f.slip === kind));
  return named || onEnter;
}

/** Whether an event is a `reissueSlip` (the built-in correction) of a slip of `kind`. */
export function isReissueOf(e: DossierEvent, kind?: SlipKind): e is Applied {
  return e.type === 'action.applied' && e.step === GLOBAL_STEP && e.action === REISSUE_SLIP && (kind === undefined || e.inputs['slip'] === kind);
}

/**
 * The latest event that issued a slip of `kind` before event `before` (all events when absent),
 * or null: a correction (`reissueSlip`) after the original issues a new slip of that kind.
 */
export function issuingEvent(src: Pick<SlipSource, 'proc' | 'events' | 'row' | 'versions'> | SlipSource, kind: SlipKind, before = Infinity): DossierEvent | null {
  const scoped = before === Infinity ? src : { ...src, events: src.events.filter((e) => e.seq < before) };
  const original = originalIssuingEvent(scoped, kind);
  if (!original) return null;
  return scoped.events.filter((e) => e.seq > original.seq && isReissueOf(e, kind)).at(-1) ?? original;
}

function originalIssuingEvent(src: Pick<SlipSource, 'proc' | 'events' | 'row' | 'versions'> | SlipSource, kind: SlipKind): DossierEvent | null {
  const list = applied(src.events);
  if (kind === 'receipt') {
    const named = list.filter((e) => issues(src, e, kind, false)).at(-1);
    if (named) return named;
    // A definition that names no receipt slip: the event that started the legal clock (the
    // first at that instant after which the clock runs: intake and acceptance may share it).
    const receivedAt = (src.row.snapshot as DossierSnapshot).clock.receivedAt;
    if (receivedAt === null) return null;
    const at = src.events.filter((e) => e.at === receivedAt);
    if (at.length < 2 || !('calendar' in src)) return at[0] ?? null;
    const after = snapshots(src as SlipSource);
    return at.find((e) => after(e.seq)?.clock.receivedAt != null) ?? at[0] ?? null;
  }
  return list.filter((e) => issues(src, e, kind, false)).at(-1)
    ?? list.filter((e) => issues(src, e, kind, true)).at(-1)
    ?? null;
}

/** Snapshots after a given event, rebuilt by the engine's replay (memoised; null when the log does not replay). */
function snapshots(src: SlipSource): (seq: number) => DossierSnapshot | null {
  const memo = new Map<number, DossierSnapshot | null>();
  return (seq) => {
    if (!memo.has(seq)) {
      // Replayed against the version the history up to `seq` ends on, through every migration on the way.
      const r = replay(procAt(src, seq), src.events.filter((e) => e.seq <= seq), { calendar: src.calendar, ...(src.versions ? { versions: src.versions } : {}) });
      memo.set(seq, r.ok ? r.value : null);
    }
    return memo.get(seq) ?? null;
  };
}

/** ISO instant normalised to what `renderSlip` accepts. */
/** Absent fields stay absent in a slip's data (undefined, not null): the issued data is hashed as it is. */
const iso = (x: string | null | undefined): string | undefined => isoOrNull(x) ?? undefined;

function timelinessOf(at: string, due: string | null, calendar: Calendar): SlipHandoff['result'] {
  if (due === null) return null;
  const t = Date.parse(at);
  const d = Date.parse(due);
  if (t > d) return 'late';
  return calendar.localDate(t) < calendar.localDate(d) ? 'early' : 'on-time';
}

/**
 * Rows of form 05: one per hand-off, i.e. per action that left some steps for others. Each
 * action is named in the words of the procedure version it was taken under (a history that
 * crossed a migration spans two), and a step moved by a migration keeps its time of entry.
 */
export function handoffsOf(src: SlipSource): SlipHandoff[] {
  const { calendar } = src;
  const s = src.row.snapshot as DossierSnapshot;
  const after = snapshots(src);
  const list = applied(src.events);
  const unitName = (code: string): string => src.units.get(code)?.name ?? code;
  const applicant = `${s.applicant.name} (người nộp hồ sơ)`;
  const entered = new Map<string, string>();
  const start = src.events[0];
  if (start?.type === 'dossier.started') entered.set(procAt(src, start.seq).definition.initial, start.at);

  const out: SlipHandoff[] = [];
  for (const ev of src.events) {
    if (ev.type === 'dossier.migrated') {
      // The steps the move renamed keep the time they were entered (the legal clock is untouched).
      const moved = new Map<string, string>();
      for (const [step, at] of entered) moved.set(ev.moves.find((m) => m.from === step)?.to ?? step, at);
      entered.clear();
      for (const [step, at] of moved) entered.set(step, at);
      continue;
    }
    if (ev.type !== 'action.applied') continue;
    const e = ev;
    const proc = procAt(src, e.seq);
    const stepName = (id: string): string => proc.steps.get(id)?.def.name.vi ?? id;
    const names = (ids: string[]): string => ids.map(stepName).join(', ');
    const roleName = (role: string): string => proc.definition.roles.find((r) => r.id === role)?.name.vi ?? role;
    const left = e.from.filter((x) => !e.to.includes(x));
    const handoff = e.from.length > 0 && e.to.length > 0 && (left.length > 0 || e.to.some((x) => !e.from.includes(x)));
    if (handoff) {
      // The due date of the step handed over: its own budget, else the appointment then in force.
      const step = proc.steps.get(e.step === '*' ? e.from[0] ?? '' : e.step);
      const since = entered.get(step?.def.id ?? '') ?? null;
      let due: string | null = null;
      if (step?.def.sla && since) due = new Date(calendar.addWorkingTime(Date.parse(since), step.def.sla)).toISOString();
      else if (!step?.def.sla) due = after(e.seq - 1)?.clock.dueAt ?? null;
      // A final step is entered and left in the same action (the machine stops): name only the steps handed over.
      // A hand-off is coordination with another unit: its row names that unit, sending and answering.
      const coordinating = (id: string): string | null => {
        const link = proc.steps.get(id)?.def.kind === 'handoff' ? s.links[stepNow(src.events, e.seq, id)] ?? s.links[id] : undefined;
        return link ? unitName(link.unit) : null;
      };
      const answeredBy = e.actor.kind === 'system' ? coordinating(e.step) : null;
      const by = answeredBy
        ? `${answeredBy} (cơ quan phối hợp) – trả lời`
        : `${e.actor.name}${e.onBehalfOf ? ` (thay ${e.onBehalfOf.name})` : ''} – ${names(left.length ? left : e.from)}`;
      const kinds = e.to.map((x) => proc.steps.get(x)?.def.kind);
      const sentTo = e.to.map(coordinating).filter((x): x is string => x !== null);
      let to: string;
      if (sentTo.length > 0) {
        to = `${sentTo.join('; ')} (cơ quan phối hợp) – ${names(e.to)}`;
      } else if (kinds.every((k) => k === 'final' || k === 'wait-citizen')) {
        to = `${applicant} – ${names(e.to)}`;
      } else {
        // The next action on a step entered here, under whatever id a later migration gave it.
        const next = list.find((n) => n.seq > e.seq && e.to.some((x) => stepNow(src.events.filter((m) => m.seq < n.seq), e.seq, x) === n.step));
        if (next) {
          to = `${next.actor.name}${next.onBehalfOf ? ` (thay ${next.onBehalfOf.name})` : ''} – ${names(e.to)}`;
        } else {
          const target = proc.steps.get(e.to[0] ?? '');
          const who = target?.def.role ? `${roleName(target.def.role)}, ${unitName(resolveUnit(target.unit, s.routing))}` : names(e.to);
          to = `${who} – ${names(e.to)}`;
        }
      }
      const label = proc.actions.get(`${e.step}:${e.action}`)?.def.label.vi ?? e.action;
      const reason = str(e.inputs['reason']);
      out.push({ from: by, to, at: new Date(e.at).toISOString(), result: timelinessOf(e.at, due, calendar), note: reason ? `${label}: ${reason}` : label });
    }
    for (const x of e.from) entered.delete(x);
    for (const x of e.to) entered.set(x, e.at);
  }
  return out;
}

/** The papers of the dossier as the catalog lists them: required ones whose condition holds on the dossier data. */
export function requiredDocuments(proc: CompiledProcedure, s: DossierSnapshot): SlipDocument[] {
  const scope = { data: s.data, inputs: {}, dossier: {} };
  return proc.definition.catalog.documents
    .filter((d) => !d.optional && holds(d.when, scope))
    .map((d) => ({ name: d.name.vi, form: FORM_LABEL[d.form] ?? d.form, count: d.count }));
}

/** The papers the desk ticked at intake, in the catalog's words at that version (`data.intakePapers`), or null when none were recorded. */
function tickedPapers(s: DossierSnapshot): SlipDocument[] | null {
  const raw = s.data['intakePapers'];
  if (!Array.isArray(raw) || raw.length === 0) return null;
  return raw.flatMap((p: { name?: { vi?: unknown } | string; form?: unknown; count?: unknown }) => {
    const name = typeof p?.name === 'string' ? p.name : typeof p?.name?.vi === 'string' ? p.name.vi : null;
    if (!name) return [];
    const form = typeof p.form === 'string' ? FORM_LABEL[p.form as DocumentForm] ?? p.form : '';
    return [{ name, form, count: typeof p.count === 'number' ? p.count : 1 }];
  });
}

/** The papers a supplement request names (catalog ids or free text). */
function requestedDocuments(proc: CompiledProcedure, inputs: { [key: string]: unknown }): SlipDocument[] {
  const raw = inputs['documents'];
  if (!Array.isArray(raw)) return [];
  return raw.filter((x): x is string => typeof x === 'string' && x.trim() !== '').map((x) => {
    const d = proc.definition.catalog.documents.find((c) => c.id === x || c.name.vi === x);
    return d ? { name: d.name.vi, form: FORM_LABEL[d.form] ?? d.form, count: d.count } : { name: x, form: '', count: 1 };
  });
}

export function notIssued(kind: SlipKind, dossier: string): HttpError {
  const name = slipTitle(kind);
  return new HttpError(409, 'SLIP_NOT_ISSUED', {
    vi: `Hồ sơ ${dossier} chưa có ${name.vi.toLocaleLowerCase('vi')}: chưa có thao tác nào lập phiếu này`,
    en: `Dossier ${dossier} has no "${name.en}": no action has issued it yet`,
  });
}

/**
 * The data of a slip of `kind` for a dossier; pure. Throws 409 `SLIP_NOT_ISSUED` when nothing
 * has issued that slip yet (no refusal slip for a dossier that was never refused).
 */
export function buildSlipData(kind: SlipKind, src: SlipSource): SlipData {
  const issuing = kind === 'control' ? null : issuingEvent(src, kind);
  if (kind !== 'control' && !issuing) throw notIssued(kind, src.row.id);
  return issuing && isReissueOf(issuing) ? reissuedData(kind, src, issuing) : slipDataAt(kind, src, issuing);
}

/**
 * A corrected slip (docs/records.md, "Corrections"): the slip it replaces, as that was issued,
 * with the corrections the `reissueSlip` event records, dated and signed by the officer who
 * reissued it, and naming the slip it replaces (its number: the sequence of the history event
 * that issued it; its date). Pure.
 */
function reissuedData(kind: SlipKind, src: SlipSource, e: Applied): SlipData {
  const prev = issuingEvent(src, kind, e.seq);
  if (!prev) throw notIssued(kind, src.row.id);
  const earlier = isReissueOf(prev) ? reissuedData(kind, src, prev) : slipDataAt(kind, src, prev);
  const { replaces: _r, ...data } = earlier;
  const reason = str(e.inputs['reason']) ?? '';
  const name = str(e.inputs['applicantName']);
  const address = str(e.inputs['applicantAddress']);
  const phone = str(e.inputs['applicantPhone']);
  const applicant = { ...data.applicant, ...(name ? { name: printable(name) } : {}), ...(address ? { address } : {}), ...(phone ? { phone } : {}) };
  const papers = e.inputs['documents'];
  const out: SlipData = {
    ...data, applicant, issuedAt: new Date(e.at).toISOString(),
    replaces: { number: String(prev.seq), issuedAt: earlier.issuedAt, reason },
  };
  if (Array.isArray(papers) && (kind === 'receipt' || kind === 'supplement-request')) out.documents = requestedDocuments(procAt(src, e.seq), { documents: papers });
  if (e.actor.kind === 'officer') out.officer = { name: printable(e.actor.name) };
  return out;
}

/** The data of the slip of `kind` issued by event `issuing` (null: form 05, live); pure. */
function slipDataAt(kind: SlipKind, src: SlipSource, issuing: DossierEvent | null): SlipData {
  const { row } = src;
  // An issued slip speaks the words of the version its event was recorded under; form 05 the current one.
  const proc = issuing ? procAt(src, issuing.seq) : src.proc;
  const current = row.snapshot as DossierSnapshot;
  const after = snapshots(src);
  // An issued slip prints the dossier as it was when the slip was issued, never as it is
  // now (docs/records.md): slip 02 of 07/09 must not show an acceptance of 08/09. Form 05 is
  // the live record of hand-offs and reads the dossier now.
  const s = issuing ? after(issuing.seq) ?? current : current;
  const catalog = proc.definition.catalog;
  const unitRow = (code: string) => src.units.get(code);
  const unitOf = (code: string): SlipData['unit'] => {
    const u = unitRow(code);
    // A People's Committee writes no superior body above its name; a police station or another agency does (docs/records.md).
    const parent = u?.parent && !isPeoplesCommittee(u.name) ? unitRow(u.parent) : undefined;
    return { name: u?.name ?? code, ...(parent ? { parentName: parent.name } : {}) };
  };
  const contact = s.data['applicantContact'] as { address?: unknown; phone?: unknown; email?: unknown } | undefined;
  // Names recorded before input was cleaned may still hold control or bidi-override characters.
  const applicant: SlipData['applicant'] = { name: printable(s.applicant.name) };
  const address = str(contact?.address);
  const phone = str(contact?.phone);
  const email = str(contact?.email);
  if (address) applicant.address = address;
  if (phone) applicant.phone = phone;
  if (email) applicant.email = email;
  const returnUnit = unitRow(s.routing.returnUnit)?.name ?? s.routing.returnUnit;
  // Where results are collected: the unit's one-stop body when it has one (since 1 July 2025 the
  // commune's "Trung tâm Phục vụ hành chính công", the same name slip 01 is issued under).
  const returnDesk = unitRow(s.routing.returnUnit)?.oneStopName ?? `Bộ phận Một cửa – ${returnUnit}`;
  // Online, only an electronic result travels; a paper result (a certificate, a certified
  // copy) is never promised online: it is collected at the desk or sent by post.
  const returnAt = s.routing.returnVia === 'post'
    ? `Qua dịch vụ bưu chính công ích, theo địa chỉ của người nộp hồ sơ (${returnUnit})`
    : s.routing.returnVia === 'online'
      ? `Kết quả điện tử: trên Cổng Dịch vụ công, tài khoản của người nộp hồ sơ. Kết quả bản giấy (nếu có): nhận tại ${returnDesk} hoặc qua dịch vụ bưu chính công ích`
      : returnDesk;

  const base = (unitCode: string, issuedAt: string): SlipData => {
    const unit = unitOf(unitCode);
    return {
      dossierCode: row.id,
      procedure: { code: catalog.code, name: catalog.name.vi, legalDeadline: durationLabel(catalog.legalDeadline) },
      unit,
      applicant,
      receivedAt: iso(s.clock.receivedAt ?? s.clock.submittedAt) as string,
      issuedAt,
      place: placeOf(unitRow(unitCode)?.name ?? unit.name),
    };
  };

  if (kind === 'control') {
    const data = base(s.routing.competent, new Date(src.now).toISOString());
    // The appointment of slip 01 and the one in force now (moved by extra time or an apology).
    const dueAt = iso(s.clock.dueAt ?? s.clock.originalDueAt);
    const originalDueAt = iso(s.clock.originalDueAt);
    if (dueAt) data.dueAt = dueAt;
    if (originalDueAt) data.originalDueAt = originalDueAt;
    data.handoffs = handoffsOf(src);
    const linked = Object.values(s.links).map((l) => unitRow(l.unit)?.name ?? l.unit);
    const coordinating = linked.length ? linked : catalog.coordinatingBodies ?? [];
    if (coordinating.length) data.coordinatingUnits = [...new Set(coordinating)];
    data.returnAt = returnAt;
    return data;
  }

  const e = issuing;
  if (!e) throw notIssued(kind, row.id);
  const step = e.type === 'action.applied' ? proc.steps.get(e.step === '*' ? e.from[0] ?? '' : e.step) : proc.steps.get(proc.definition.initial);
  const unitCode = step ? resolveUnit(step.unit, s.routing) : kind === 'receipt' || kind === 'refusal' ? s.routing.receiving : s.routing.competent;
  const data = base(unitCode, new Date(e.at).toISOString());
  const byLeader = e.type === 'action.applied' && proc.actions.get(`${e.step}:${e.action}`)?.role === 'leader';
  // Slips 01–03 are issued by the unit's one-stop body (since 1 July 2025 a commune's Public
  // Administration Service Centre, docs/records.md), headed under the unit; a leader's refusal
  // is the agency's own. The place line stays the unit's locality.
  const oneStop = unitRow(unitCode)?.oneStopName;
  if (oneStop && !byLeader && (kind === 'receipt' || kind === 'supplement-request' || kind === 'refusal')) {
    data.unit = { name: oneStop, parentName: unitRow(unitCode)?.name ?? unitCode };
  }
  // The officer who issued it; a slip the system issued (a timeout) names the unit to contact instead.
  if (e.actor.kind === 'officer') data.officer = { name: printable(e.actor.name) };
  const inputs = e.type === 'action.applied' ? e.inputs : {};
  const reason = str(inputs['reason']);
  const label = e.type === 'action.applied' ? proc.actions.get(`${e.step}:${e.action}`)?.def.label.vi : undefined;
  /** The appointment before the event at `seq` and the one it set (an apology, lawful extra time). */
  const moved = (seq: number) => {
    const before = after(seq - 1);
    const now = after(seq);
    const original = iso(before?.clock.dueAt ?? (before ? null : s.clock.originalDueAt));
    const next = iso(now?.clock.dueAt ?? (now ? null : s.clock.dueAt));
    if (original) data.originalDueAt = original;
    if (next) data.dueAt = next;
    return { before, now };
  };

  switch (kind) {
    case 'receipt': {
      const at = after(e.seq);
      const due = iso(s.clock.originalDueAt ?? at?.clock.dueAt ?? s.clock.dueAt);
      if (due) data.dueAt = due;
      data.receivedAt = new Date(s.clock.receivedAt ?? e.at).toISOString();
      // The papers the desk ticked at intake (data.intakePapers); the catalog's list when none were recorded.
      data.documents = tickedPapers(at ?? s) ?? requiredDocuments(proc, at ?? s);
      // The legal time of the dossier's case (catalog.legalDeadline.cases), as its appointment was set.
      const legalCase = (at ?? s).clock.legalCase;
      if (legalCase !== undefined && legalCase >= 0) {
        const chosen = catalog.legalDeadline.cases?.[legalCase];
        const label = durationLabel(legalTimeOf(proc.definition, legalCase));
        const note = chosen?.note?.vi.replace(/\s*\(check\)/giu, '');
        data.procedure = { ...data.procedure, legalDeadline: note ? `${label} (${note})` : label };
      }
      data.returnAt = returnAt;
      // The key is the citizen's second factor for the public lookup (docs/public-lookup.md): only the slip carries it.
      data.trackingUrl = `${src.publicUrl.replace(/\/+$/, '')}/tra-cuu/${encodeURIComponent(row.id)}?k=${encodeURIComponent(row.lookupToken)}`;
      if (s.channel === 'online') data.electronic = true;
      break;
    }
    case 'supplement-request':
      data.documents = requestedDocuments(proc, inputs);
      if (reason) data.reason = reason;
      break;
    case 'refusal':
      if (reason) data.reason = reason;
      if (byLeader && src.signing) data.signing = src.signing;
      break;
    case 'apology': {
      moved(e.seq);
      if (reason) data.reason = reason;
      if (src.signing) data.signing = src.signing;
      break;
    }
    case 'extra-time-notice': {
      const { before, now } = moved(e.seq);
      if (reason) data.reason = reason;
      const added = (now?.clock.extraTimeDays ?? 0) - (before?.clock.extraTimeDays ?? 0);
      if (catalog.extraTime && added > 0) data.extraTime = { days: added, basis: catalog.extraTime.basis };
      if (src.signing) data.signing = src.signing;
      break;
    }
    case 'stop-notice': {
      data.reason = reason ?? label ?? 'Dừng giải quyết hồ sơ';
      data.returnAt = returnAt;
      if (src.signing) data.signing = src.signing;
      const number = str(inputs['documentNumber']);
      const sector = catalog.legalBasis.find((b) => !/118\/2025|61\/2018/.test(b));
      data.document = {
        ...(number ? { number } : {}),
        symbol: `TB-${symbolOf(unitRow(unitCode)?.name ?? data.unit.name)}`,
        basis: [ONE_STOP_DECREE, ...(sector ? [sector.replace(/\s*\(check\)/giu, '')] : [])],
        recipients: ['Như trên', returnDesk, 'Lưu: VT, hồ sơ'],
      };
      break;
    }
  }
  return data;
}

/**
 * The leader's signing formula for a dossier: the officer who last acted in the leader role
 * (their own grant, or the delegation they acted under, at the time they acted), else the head
 * of the competent unit; undefined when neither is known.
 */
async function leaderSigning(deps: Deps, src: Pick<SlipSource, 'proc' | 'events' | 'versions'>, s: DossierSnapshot): Promise<SlipSigning | undefined> {
  const { proc, events } = src;
  const units = await deps.directory.unitInfos();
  const signingOf = async (userId: string, role: string, unit: string, at: string): Promise<SlipSigning | undefined> => {
    const user = await loadUser(deps, userId);
    if (!user) return undefined;
    const decision = resolveAuthority({
      actor: actorOf(user), role, unit, procedure: proc.definition.id, now: at,
      delegations: await activeDelegationsFor(deps, userId, new Date(at)), units,
    });
    return decision.ok ? { lines: decision.signing.lines, signer: decision.signing.signer } : undefined;
  };
  const actionOf = (e: Applied) => procAt(src, e.seq).actions.get(`${e.step}:${e.action}`);
  const leaderActs = applied(events).filter((e) => actionOf(e)?.role === 'leader');
  for (const e of leaderActs.reverse()) {
    const info = actionOf(e);
    if (!info) continue;
    const signing = await signingOf(e.actor.id, 'leader', resolveUnit(info.unit, s.routing), e.at);
    if (signing) return signing;
  }
  const head = await headOfUnit(deps.db, s.routing.competent);
  return head ? signingOf(head, 'leader', s.routing.competent, deps.clock.now().toISOString()) : undefined;
}

/** Loads what a slip needs for a dossier row and builds its data (see `buildSlipData`). */
export async function slipDataFor(deps: Deps, row: DossierRow, kind: SlipKind): Promise<SlipData> {
  return buildSlipData(kind, await slipSourceFor(deps, row, kind));
}

/**
 * The versions a history that crossed a migration was recorded under (docs/migration.md), as
 * `SlipSource.versions` wants them, or undefined when it never moved; reads the directory.
 */
export async function crossedVersions(deps: Deps, procedureId: string, proc: CompiledProcedure, events: DossierEvent[]): Promise<SlipSource['versions']> {
  const crossed = new Map<number, CompiledProcedure>();
  for (const e of events) {
    if (e.type !== 'dossier.migrated') continue;
    for (const v of [e.fromVersion, e.toVersion]) {
      const other = v === proc.definition.version ? proc : await deps.directory.procedure(procedureId, v);
      if (other) crossed.set(v, other);
    }
  }
  return crossed.size > 0 ? (v: number) => crossed.get(v) : undefined;
}

/**
 * Everything `buildSlipData` reads for a dossier row: its procedure version, history, units,
 * calendar and signer. `pending` are events of a transition not yet written (a slip issued
 * by the action being committed), appended to the stored history.
 */
export async function slipSourceFor(deps: Deps, row: DossierRow, kind: SlipKind, pending: DossierEvent[] = []): Promise<SlipSource> {
  const proc = await deps.directory.procedure(row.procedureId, row.procedureVersion);
  if (!proc) {
    throw new HttpError(409, 'PROCEDURE_MISSING', {
      vi: `Không tìm thấy phiên bản ${row.procedureVersion} của thủ tục ${row.procedureId}`,
      en: `Version ${row.procedureVersion} of procedure ${row.procedureId} is missing`,
    });
  }
  const s = row.snapshot as DossierSnapshot;
  const first = pending[0]?.seq ?? Infinity;
  const events = [...(await history(deps, row.id)).map((h) => h.payload as DossierEvent).filter((e) => e.seq < first), ...pending];
  const units = new Map((await deps.directory.allUnits()).map((u) => [u.code, u]));
  const versions = await crossedVersions(deps, row.procedureId, proc, events);
  const needsSigning = kind === 'control' || kind === 'apology' || kind === 'stop-notice' || kind === 'refusal' || kind === 'extra-time-notice';
  const signing = needsSigning ? await leaderSigning(deps, { proc, events, ...(versions ? { versions } : {}) }, s) : undefined;
  return {
    row, proc, events, units, ...(versions ? { versions } : {}),
    calendar: await deps.directory.calendar(row.competentUnit),
    now: deps.clock.now().toISOString(),
    publicUrl: deps.config.publicUrl,
    ...(signing ? { signing } : {}),
  };
}
