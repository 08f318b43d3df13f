/**
 * What a citizen sees of their dossier ("Hồ sơ của tôi"): the status in the portal's terms
 * and in plain Vietnamese, a timeline in words (not step ids), the papers asked for, the
 * actions open to them, the slips, the fees due and the payment entry point.
 */
import Type, { type Static } from 'typebox';
import { availableActions, feesDue, type CompiledProcedure, type DossierEvent, type DossierSnapshot } from '@motcua/engine';
import type { Deps } from '../deps';
import type { DossierRow } from '../dossiers';
import { slipTitle } from '../slips';
import { citizenActor } from '../citizens/service';
import { paymentEntry } from './payHook';
import type { DraftFileRow, DraftRow } from './repo';
import { iso } from '../db/time';

const Text = Type.Object({ vi: Type.String(), en: Type.Optional(Type.String()) });
const When = Type.Union([Type.String({ format: 'date-time' }), Type.Null()]);

export const CitizenDossierSchema = Type.Object({
  id: Type.String(),
  procedure: Type.Object({ id: Type.String(), code: Type.String(), name: Type.Union([Text, Type.Null()]) }),
  /** The national portal's status code: 1 waiting for the desk, 2 being handled, 3 waiting for a supplement, 4 returned, 5 refused/withdrawn/stopped. */
  portalStatus: Type.Integer(),
  statusText: Text,
  status: Type.String(), outcome: Type.Union([Type.String(), Type.Null()]), channel: Type.String(),
  submittedAt: Type.String({ format: 'date-time' }), receivedAt: When, dueAt: When, closedAt: When,
  receivingUnit: Type.Object({ code: Type.String(), name: Type.Union([Type.String(), Type.Null()]) }),
  timeline: Type.Array(Type.Object({ at: Type.String({ format: 'date-time' }), text: Text })),
  papersAsked: Type.Array(Type.Object({ reason: Type.Union([Type.String(), Type.Null()]), documents: Type.Array(Type.String()), at: Type.String({ format: 'date-time' }) })),
  actions: Type.Array(Type.Object({ step: Type.String(), action: Type.String(), label: Text, intent: Type.String(), inputs: Type.Unknown() })),
  slips: Type.Array(Type.Object({ kind: Type.String(), title: Text, url: Type.String() })),
  documents: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), mime: Type.String(), size: Type.Integer(), createdAt: Type.String(), url: Type.String() })),
  fees: Type.Array(Type.Object({ id: Type.String(), name: Text, amount: Type.Integer() })),
  feesTotal: Type.Integer(),
  /** Where the citizen pays (the payments module's hook, ./payHook.ts); null when nothing is to be paid online. */
  payment: Type.Union([Type.Object({ href: Type.String(), amount: Type.Integer() }), Type.Null()]),
  rating: Type.Union([Type.Integer(), Type.Null()]),
  mayRate: Type.Boolean(),
});
export type CitizenDossierView = Static<typeof CitizenDossierSchema>;


function portalStatus(row: DossierRow, s: DossierSnapshot, proc: CompiledProcedure | null): { code: number; text: { vi: string; en: string } } {
  if (row.closedAt) {
    if (row.outcome === 'approved') return { code: 4, text: { vi: 'Đã trả kết quả', en: 'Result returned' } };
    if (row.outcome === 'refused') return { code: 5, text: { vi: 'Bị từ chối tiếp nhận', en: 'Refused at intake' } };
    if (row.outcome === 'withdrawn') return { code: 5, text: { vi: 'Đã rút hồ sơ', en: 'Withdrawn' } };
    if (row.outcome === 'rejected') return { code: 4, text: { vi: 'Đã có kết quả: không giải quyết', en: 'Decided: not granted' } };
    return { code: 5, text: { vi: 'Đã dừng giải quyết', en: 'Stopped' } };
  }
  if (row.status === 'waiting-citizen') return { code: 3, text: { vi: 'Chờ bạn bổ sung giấy tờ', en: 'Waiting for your papers' } };
  const atIntake = s.active.some((a) => proc?.steps.get(a.step)?.def.kind === 'intake');
  if (s.clock.receivedAt === null && atIntake) return { code: 1, text: { vi: 'Đã nộp, chờ Bộ phận Một cửa tiếp nhận', en: 'Submitted, waiting for the desk to accept it' } };
  return { code: 2, text: { vi: 'Đang giải quyết', en: 'Being handled' } };
}

/** One history event in words a citizen reads. */
function eventText(e: DossierEvent, proc: CompiledProcedure | null): { vi: string; en: string } {
  if (e.type === 'dossier.started') {
    return e.input.channel === 'online'
      ? { vi: 'Bạn đã nộp hồ sơ trực tuyến', en: 'You submitted the dossier online' }
      : { vi: 'Hồ sơ được nộp tại Bộ phận Một cửa', en: 'The dossier was handed in at the desk' };
  }
  if (e.type === 'action.applied') {
    const info = proc?.actions.get(`${e.step}:${e.action}`);
    const intent = info?.def.intent;
    const stepKind = proc?.steps.get(e.step)?.def.kind;
    if (stepKind === 'intake' && intent === 'proceed') return { vi: 'Bộ phận Một cửa đã tiếp nhận hồ sơ; thời hạn giải quyết bắt đầu', en: 'The desk accepted the dossier; the processing time starts' };
    if (intent === 'supplement') return { vi: 'Cơ quan yêu cầu bổ sung, hoàn thiện hồ sơ (phiếu mẫu 02)', en: 'The office asked for more papers (slip 02)' };
    if (intent === 'refuse') return { vi: 'Hồ sơ bị từ chối tiếp nhận (phiếu mẫu 03)', en: 'The dossier was refused (slip 03)' };
    if (intent === 'withdraw') return { vi: 'Hồ sơ đã được rút', en: 'The dossier was withdrawn' };
    if (intent === 'extend') return { vi: 'Cơ quan xin lỗi và hẹn lại ngày trả kết quả (phiếu mẫu 04)', en: 'The office apologised and set a new date (slip 04)' };
    if (intent === 'extra-time') return { vi: 'Thời hạn được kéo dài theo quy định của luật', en: 'The time was lawfully extended' };
    // A stop ends the dossier (the supplement's time ran out, or the office stopped it): "Đang xử lý" would say the opposite.
    if (intent === 'stop') return { vi: 'Hồ sơ bị dừng giải quyết (thông báo dừng giải quyết)', en: 'Handling of the dossier stopped (stop notice)' };
    if (stepKind === 'wait-citizen' && intent === 'proceed') return { vi: 'Đã nộp giấy tờ bổ sung; hồ sơ được giải quyết tiếp', en: 'Papers supplied; handling resumes' };
    if (stepKind === 'return-result') return { vi: 'Đã trả kết quả', en: 'The result was returned' };
    if (stepKind === 'approval') return { vi: 'Lãnh đạo đã xem xét hồ sơ', en: 'The head of office reviewed the dossier' };
    const step = proc?.steps.get(e.step)?.def.name;
    return { vi: `Đang xử lý: ${step?.vi ?? e.step}`, en: `Being handled: ${step?.en ?? step?.vi ?? e.step}` };
  }
  return { vi: 'Cập nhật hồ sơ', en: 'Dossier updated' };
}

/** Events the citizen is told of (not internal marks). */
const shown = (e: DossierEvent) => e.type === 'dossier.started' || e.type === 'action.applied';

export async function citizenDossierView(
  deps: Deps, row: DossierRow, proc: CompiledProcedure | null, events: readonly { payload: unknown; at: string }[],
  docs: { id: string; name: string; mime: string; size: number; createdAt: string }[],
): Promise<CitizenDossierView> {
  const s = row.snapshot as DossierSnapshot;
  const status = portalStatus(row, s, proc);
  const evs = events.map((e) => e.payload as DossierEvent);
  const papersAsked = evs.flatMap((e) => {
    if (e.type !== 'action.applied' || proc?.actions.get(`${e.step}:${e.action}`)?.def.intent !== 'supplement') return [];
    const inputs = (e.inputs ?? {}) as { reason?: unknown; documents?: unknown };
    const raw = Array.isArray(inputs.documents) ? inputs.documents.map(String) : typeof inputs.documents === 'string' ? [inputs.documents] : [];
    // The desk picks papers from the procedure's list (ids) or types them: the citizen reads names.
    const docsAsked = raw.map((x) => proc?.definition.catalog.documents.find((c) => c.id === x)?.name.vi ?? x);
    return [{ reason: typeof inputs.reason === 'string' ? inputs.reason : null, documents: docsAsked, at: e.at }];
  });
  const slips = [...new Set(evs.flatMap((e) => (e.type === 'action.applied' ? (e.slips ?? []).map((x) => x.kind) : [])))]
    .map((kind) => ({ kind, title: slipTitle(kind), url: `/api/me/dossiers/${encodeURIComponent(row.id)}/slips/${kind}` }));
  const actions = proc && !row.closedAt ? availableActions(proc, s, {
    now: deps.clock.now().toISOString(), actor: citizenActor({ personalId: s.applicant.id ?? '', name: s.applicant.name }),
    calendar: await deps.directory.calendar(row.competentUnit), units: await deps.directory.unitInfos(),
  }).map((a) => ({ step: a.step, action: a.action, label: a.label, intent: a.intent, inputs: a.inputs })) : [];
  const scope = { data: s.data, inputs: {}, dossier: {} };
  const due = proc ? feesDue(proc.definition, undefined, scope, s.parameters) : [];
  const fees = due.map((f) => ({ id: f.id, amount: f.amount, name: proc!.definition.catalog.fees.find((x) => x.id === f.id)?.name ?? { vi: f.id } }));
  const feesTotal = fees.reduce((n, f) => n + f.amount, 0);
  const unit = await deps.directory.unit(row.receivingUnit);
  return {
    id: row.id,
    procedure: { id: row.procedureId, code: row.procedureCode, name: proc?.definition.catalog.name ?? null },
    portalStatus: status.code, statusText: status.text, status: row.status, outcome: row.outcome, channel: row.channel,
    submittedAt: new Date(row.submittedAt).toISOString(), receivedAt: iso(row.receivedAt), dueAt: iso(row.dueAt), closedAt: iso(row.closedAt),
    receivingUnit: { code: row.receivingUnit, name: unit?.name ?? null },
    timeline: evs.filter(shown).map((e) => ({ at: new Date(e.at).toISOString(), text: eventText(e, proc) })),
    papersAsked, actions, slips,
    documents: docs.map((d) => ({ id: d.id, name: d.name, mime: d.mime, size: d.size, createdAt: new Date(d.createdAt).toISOString(), url: `/api/me/dossiers/${encodeURIComponent(row.id)}/documents/${encodeURIComponent(d.id)}` })),
    fees, feesTotal,
    payment: await paymentEntry(deps, row),
    rating: row.rating,
    mayRate: !!row.closedAt && row.outcome === 'approved' && row.rating === null,
  };
}

export const DraftSchema = Type.Object({
  id: Type.String(), procedureId: Type.String(), data: Type.Unknown(), receivingUnit: Type.Union([Type.String(), Type.Null()]),
  updatedAt: Type.String({ format: 'date-time' }), expiresAt: Type.String({ format: 'date-time' }),
  files: Type.Array(Type.Object({ id: Type.String(), paper: Type.String(), name: Type.String(), mime: Type.String(), size: Type.Integer(), sha256: Type.String() })),
  procedureName: Type.Union([Text, Type.Null()]),
});

export function draftView(row: DraftRow, files: DraftFileRow[], proc: CompiledProcedure | null): Static<typeof DraftSchema> {
  return {
    id: row.id, procedureId: row.procedureId, data: row.data, receivingUnit: row.receivingUnit,
    updatedAt: new Date(row.updatedAt).toISOString(), expiresAt: new Date(row.expiresAt).toISOString(),
    files: files.map((f) => ({ id: f.id, paper: f.paper, name: f.name, mime: f.mime, size: f.size, sha256: f.sha256 })),
    procedureName: proc?.definition.catalog.name ?? null,
  };
}
