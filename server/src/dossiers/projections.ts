/**
 * What the dossier routes answer, built from rows (data in, data out) and declared as
 * schemas, so the OpenAPI document — and through it the web app's types — says what each
 * route returns: the officer's view, the inbox item, the one citizen view, the history.
 */
import Type, { type Static } from 'typebox';
import {
  progress, timeliness, type AvailableAction, type Calendar, type CompiledProcedure, type DossierSnapshot,
} from '@motcua/engine';
import { iso } from '../db/time';
import type { DossierRow, Holder, HistoryEntry, InboxRow } from './repo';

const When = Type.Union([Type.String({ format: 'date-time' }), Type.Null()]);
const Text = Type.Object({ vi: Type.String(), en: Type.Optional(Type.String()) });
const Label = Type.Union([Text, Type.Null()]);
const Channel = Type.Union([Type.Literal('direct'), Type.Literal('online'), Type.Literal('postal')]);
const Progress = Type.Union([Type.Literal('not-started'), Type.Literal('paused'), Type.Literal('overdue'), Type.Literal('due-soon'), Type.Literal('within')]);
const Timeliness = Type.Union([Type.Literal('early'), Type.Literal('on-time'), Type.Literal('late')]);
const Person = Type.Object({ id: Type.String(), name: Type.Union([Type.String(), Type.Null()]) });

/** The person holding a step (claimed, or assigned by someone), or null while nobody holds it. */
const HolderSchema = Type.Union([Type.Object({
  id: Type.String(), name: Type.String(), at: Type.String({ format: 'date-time' }),
  by: Type.Union([Person, Type.Null()], { description: 'Who assigned it; null when the holder claimed it' }),
}), Type.Null()]);

const Step = Type.Object({
  step: Type.String(),
  name: Label,
  unit: Type.String(),
  role: Type.Union([Type.String(), Type.Null()]),
  dueAt: When,
  holder: HolderSchema,
});

export const InboxItemSchema = Type.Object({
  id: Type.String(), procedureId: Type.String(), procedureCode: Type.String(), field: Type.String(), applicantName: Type.String(),
  status: Type.String(), outcome: Type.Union([Type.String(), Type.Null()]), channel: Channel,
  dueAt: When, receivedAt: When, closedAt: When,
  /** `name`: the step's name in the dossier's own version (kept after that version is retired). */
  steps: Type.Array(Step),
  progress: Type.Union([Progress, Type.Null()]),
  version: Type.Integer(),
});

export const InboxPageSchema = Type.Object({
  items: Type.Array(InboxItemSchema), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer(),
});

const ActiveStepSchema = Type.Object({
  step: Type.String(), enteredAt: Type.String({ format: 'date-time' }), dueAt: When, unit: Type.String(),
  role: Type.Union([Type.String(), Type.Null()]), assignee: Type.Union([Type.String(), Type.Null()]), timeoutAt: When,
  name: Label, kind: Type.Union([Type.String(), Type.Null()]),
  holder: HolderSchema,
});

/** An action the user may take now (the engine's `AvailableAction`; its input form is a JSON Schema). */
const AvailableActionSchema = Type.Object({
  step: Type.String(), action: Type.String(), label: Text, intent: Type.String(), stepKind: Type.String(),
  inputs: Type.Unknown({ description: 'JSON Schema of the action\'s inputs, or null' }),
  effects: Type.Array(Type.Unknown()),
  onBehalfOf: Type.Optional(Type.Object({ id: Type.String(), name: Type.String(), title: Type.Optional(Type.String()) })),
  signing: Type.Optional(Type.Unknown({ description: 'The signing formula (KT., TUQ., TL.) when signing on behalf' })),
});

export const OfficerViewSchema = Type.Object({
  id: Type.String(),
  version: Type.Integer(),
  procedure: Type.Object({ id: Type.String(), version: Type.Integer(), code: Type.String(), name: Label, field: Type.String() }),
  status: Type.String(),
  outcome: Type.Union([Type.String(), Type.Null()]),
  channel: Channel,
  applicant: Type.Object({ id: Type.Optional(Type.String()), name: Type.String() }),
  routing: Type.Object({ receiving: Type.String(), competent: Type.String(), returnUnit: Type.String(), returnVia: Type.String() }),
  data: Type.Record(Type.String(), Type.Unknown()),
  clock: Type.Object({
    submittedAt: Type.String({ format: 'date-time' }), receivedAt: When, dueAt: When, originalDueAt: When, lawfulDueAt: When,
    lawfulRemainingMinutes: Type.Union([Type.Number(), Type.Null()]), extraTimeDays: Type.Number(), pausedAt: When,
    remainingMinutes: Type.Union([Type.Number(), Type.Null()]), pausedMinutes: Type.Number(), extensions: Type.Integer(),
  }),
  active: Type.Array(ActiveStepSchema),
  links: Type.Record(Type.String(), Type.Object({
    procedure: Type.String(), unit: Type.String(), outcome: Type.Union([Type.String(), Type.Null()]), dossierId: Type.Union([Type.String(), Type.Null()]),
  })),
  parentId: Type.Union([Type.String(), Type.Null()]),
  progress: Type.Union([Progress, Type.Null()]),
  timeliness: Type.Union([Timeliness, Type.Null()]),
  actions: Type.Array(AvailableActionSchema),
  rating: Type.Union([Type.Integer(), Type.Null()]),
});

/**
 * Coordination with another unit an event stands for: a linked dossier sent there by a
 * hand-off, or its answer coming back (outcome and the outputs its procedure declares).
 */
export const CoordinationSchema = Type.Object({
  kind: Type.Union([Type.Literal('sent'), Type.Literal('answered')]),
  step: Type.String({ description: 'The hand-off step (the link key)' }),
  procedure: Type.Object({ id: Type.String(), name: Label, internal: Type.Boolean({ description: 'An internal procedure: coordination between agencies' }) }),
  unit: Type.Object({ code: Type.String(), name: Type.Union([Type.String(), Type.Null()]) }),
  outcome: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  outputs: Type.Optional(Type.Array(Type.Object({ name: Type.String(), title: Label, value: Type.Unknown() }), { description: 'The answer, with the titles the linked procedure declares' })),
});

/** What an action would set in motion before it is taken: the units its hand-offs go to. */
export const PreviewSchema = Type.Object({
  handoffs: Type.Array(Type.Object({
    step: Type.String(),
    procedure: Type.Object({ id: Type.String(), name: Label, internal: Type.Boolean() }),
    unit: Type.Object({ code: Type.String(), name: Type.String(), kind: Type.String() }),
  })),
  dueAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'The appointment after the action' }),
});

export const EventSchema = Type.Object({
  seq: Type.Integer(), type: Type.String(), at: Type.String({ format: 'date-time' }),
  actor: Person,
  label: Type.Union([Text, Type.Null()], { description: 'The label of the action taken, from the dossier\'s procedure version; null for other events' }),
  payload: Type.Object({
    step: Type.Optional(Type.String()), action: Type.Optional(Type.String()), inputs: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    from: Type.Optional(Type.Array(Type.String())), to: Type.Optional(Type.Array(Type.String())),
    onBehalfOf: Type.Optional(Type.Object({ id: Type.String(), name: Type.String(), title: Type.Optional(Type.String()) })),
    capacity: Type.Optional(Type.Object({ prefix: Type.String(), lines: Type.Array(Type.String()) }, { description: 'The signing capacity recorded with the action (KT., TM., TUQ., TL., Q.)' })),
    actor: Type.Optional(Type.Object({ kind: Type.Optional(Type.String()) }, { additionalProperties: true })),
  }, { additionalProperties: true }),
  hash: Type.String(),
  inputForm: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()], {
    description: 'The JSON Schema of the action\'s form, so the history reads its inputs with their titles, order and choice labels; null when it has none',
  }),
  coordination: Type.Optional(Type.Array(CoordinationSchema)),
});

export const EventListSchema = Type.Array(EventSchema);

export const VerifySchema = Type.Object({
  ok: Type.Boolean(), length: Type.Integer(), head: Type.Optional(Type.String()),
  seq: Type.Optional(Type.Integer()), reason: Type.Optional(Type.String()),
  problems: Type.Optional(Type.Array(Type.Object({ seq: Type.Integer(), reason: Type.String() }))),
  matchesHead: Type.Boolean(),
});

/** A compact current state: in a bulk result, and sent with a 409 so the client can show what changed. */
export const BriefSchema = Type.Object({
  id: Type.String(), version: Type.Integer(), status: Type.String(), outcome: Type.Union([Type.String(), Type.Null()]),
  active: Type.Array(Type.String()), dueAt: When,
});

export const BulkResultSchema = Type.Object({
  results: Type.Array(Type.Object({
    id: Type.String(), ok: Type.Boolean(),
    dossier: Type.Optional(BriefSchema),
    error: Type.Optional(Type.Object({
      code: Type.String(), message: Text,
      issues: Type.Optional(Type.Array(Type.Object({
        path: Type.String({ description: 'JSON pointer into the request body: /items/<i>/inputs/reason' }), message: Text,
      }), { description: 'What is wrong with the item, as the single action would say it' })),
    })),
  })),
  succeeded: Type.Integer(),
  failed: Type.Integer(),
});

/** What a citizen may see of a dossier with a second factor: no applicant data, no form data, no officers. */
export const CitizenViewSchema = Type.Object({
  id: Type.String(),
  procedure: Type.Object({ code: Type.String(), name: Label }),
  status: Type.String(),
  outcome: Type.Union([Type.String(), Type.Null()]),
  submittedAt: When, receivedAt: When, dueAt: When, closedAt: When,
  current: Type.Array(Type.Object({ name: Label, since: Type.String({ format: 'date-time' }) })),
  timeline: Type.Array(Type.Object({ at: Type.String({ format: 'date-time' }), step: Type.Union([Type.String(), Type.Null()]), action: Type.Union([Type.String(), Type.Null()]) })),
  returnVia: Type.String(),
  rating: Type.Union([Type.Integer(), Type.Null()]),
  verified: Type.Literal(true),
});

/** What anyone who knows a code may see: that the dossier exists, and its status. */
export const PublicStatusSchema = Type.Object({
  id: Type.String(),
  status: Type.String(),
  verified: Type.Literal(false, { description: 'Send a second factor to POST …/lookup for the rest' }),
});

export const RatingResultSchema = Type.Object({ id: Type.String(), rating: Type.Integer() });

export type InboxItem = Static<typeof InboxItemSchema>;
export type OfficerView = Static<typeof OfficerViewSchema>;
export type CitizenView = Static<typeof CitizenViewSchema>;
export type Brief = Static<typeof BriefSchema>;

type Proc = CompiledProcedure | null | undefined;

const stepName = (proc: Proc, step: string) => proc?.steps.get(step)?.def.name ?? null;

function holderOf(row: Pick<DossierRow, 'holders'>, step: string): Static<typeof HolderSchema> {
  const h = (row.holders as Record<string, Holder> | null)?.[step];
  return h?.id && h.name && h.at ? { id: h.id, name: h.name, at: h.at, by: h.by } : null;
}

/** The dossier as an officer's screen shows it; `actions` and `links` are what this user may do now and the linked dossiers' codes. */
export function officerView(
  row: DossierRow, proc: Proc, now: Date, calendar: Calendar, actions: AvailableAction[],
  links: OfficerView['links'],
): OfficerView {
  const s = row.snapshot as DossierSnapshot;
  return {
    id: row.id,
    version: row.version,
    procedure: { id: row.procedureId, version: row.procedureVersion, code: row.procedureCode, name: proc?.definition.catalog.name ?? null, field: row.field },
    status: row.status,
    outcome: row.outcome,
    channel: row.channel as OfficerView['channel'],
    applicant: s.applicant,
    routing: s.routing,
    data: s.data,
    clock: s.clock,
    active: s.active.map((a) => ({
      ...a, name: stepName(proc, a.step), kind: proc?.steps.get(a.step)?.def.kind ?? null, holder: holderOf(row, a.step),
    })),
    links,
    parentId: row.parentId,
    progress: progress(s, now.toISOString(), calendar),
    timeliness: timeliness(s, calendar),
    actions: actions as OfficerView['actions'],
    rating: row.rating,
  };
}

/** One line of an inbox list. */
export function inboxItem(r: InboxRow, proc: Proc, now: Date, calendar: Calendar): InboxItem {
  const s = r.snapshot as DossierSnapshot;
  return {
    id: r.id, procedureId: r.procedureId, procedureCode: r.procedureCode, field: r.field, applicantName: r.applicantName,
    status: r.status, outcome: r.outcome, channel: r.channel as InboxItem['channel'],
    dueAt: iso(r.dueAt), receivedAt: iso(r.receivedAt), closedAt: iso(r.closedAt),
    steps: s.active.map((a) => ({ step: a.step, name: stepName(proc, a.step), unit: a.unit, role: a.role, dueAt: a.dueAt, holder: holderOf(r, a.step) })),
    progress: progress(s, now.toISOString(), calendar), version: r.version,
  };
}

/** A compact current state (bulk results, 409 answers). */
export function brief(row: DossierRow): Brief {
  const s = row.snapshot as DossierSnapshot;
  return { id: row.id, version: row.version, status: row.status, outcome: row.outcome, active: s.active.map((a) => a.step), dueAt: row.dueAt };
}

/** One history event as the officer's timeline shows it. */
export function eventView(
  e: HistoryEntry, label: Static<typeof EventSchema>['label'], inputForm: Static<typeof EventSchema>['inputForm'],
  coordination: Static<typeof CoordinationSchema>[] = [],
): Static<typeof EventSchema> {
  return {
    seq: e.seq, type: e.type, at: iso(e.at), actor: { id: e.actorId, name: e.actorName }, label,
    payload: e.payload as Static<typeof EventSchema>['payload'], hash: e.hash, inputForm,
    ...(coordination.length ? { coordination } : {}),
  };
}

/** The citizen's view (REST lookup, and the source of the live tracker's fields): no applicant data, no form data, no officers. */
export function citizenView(row: DossierRow, proc: Proc, events: readonly Pick<HistoryEntry, 'at' | 'payload'>[]): CitizenView {
  const s = row.snapshot as DossierSnapshot;
  return {
    id: row.id, procedure: { code: row.procedureCode, name: proc?.definition.catalog.name ?? null },
    status: row.status, outcome: row.outcome,
    submittedAt: iso(s.clock.submittedAt), receivedAt: iso(row.receivedAt), dueAt: iso(row.dueAt), closedAt: iso(row.closedAt),
    current: citizenSteps(s, proc),
    timeline: events.map((e) => ({ at: iso(e.at), step: (e.payload as { step?: string }).step ?? null, action: (e.payload as { action?: string }).action ?? null })),
    returnVia: s.routing.returnVia, rating: row.rating, verified: true,
  };
}

/** The steps a dossier is at, by name, as a citizen sees them. */
export function citizenSteps(s: DossierSnapshot, proc: Proc): CitizenView['current'] {
  return s.active.map((a) => {
    const name = stepName(proc, a.step);
    return { name: name ? { vi: name.vi, ...(name.en ? { en: name.en } : {}) } : null, since: a.enteredAt };
  });
}
