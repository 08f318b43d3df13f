import Type from 'typebox';

const Id = Type.String({ minLength: 1, maxLength: 200 });

export const IntakeBody = Type.Object({
  procedureId: Type.String({ minLength: 1, maxLength: 100, description: 'Procedure id (slug) in the catalog' }),
  channel: Type.Union([Type.Literal('direct'), Type.Literal('online'), Type.Literal('postal')]),
  receivingUnit: Type.String({ minLength: 1, maxLength: 50 }),
  competentUnit: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
  returnUnit: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
  returnVia: Type.Optional(Type.Union([Type.Literal('desk'), Type.Literal('post'), Type.Literal('online')])),
  applicant: Type.Object({
    id: Type.Optional(Type.String({ maxLength: 50, description: 'Citizen ID or tax code' })),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    address: Type.Optional(Type.String({ maxLength: 500 })),
    phone: Type.Optional(Type.String({ maxLength: 30 })),
    email: Type.Optional(Type.String({ maxLength: 200 })),
  }, { additionalProperties: false }),
  data: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  papers: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
    maxItems: 100, uniqueItems: true,
    description: 'Ids of the catalog\'s papers the desk received (the intake checklist); kept with the dossier as `data.intakePapers`',
  })),
  accept: Type.Optional(Type.Boolean({ description: 'Accept at once (one click at the desk): applies the intake step\'s accept action' })),
  sharedData: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
    maxItems: 4, uniqueItems: true,
    description: 'Ids of lookups in the shared databases made at this desk with the citizen\'s consent (POST /api/shared-data/lookups): recorded in the history; papers the procedure marks `notRequiredWhenFound` are not asked for',
  })),
  reuse: Type.Optional(Type.Array(Type.Object({
    paperId: Type.String({ minLength: 1, maxLength: 100, description: 'The checklist item' }),
    documentId: Type.String({ minLength: 1, maxLength: 100, description: 'A digitised paper or result in the applicant\'s data store (GET /api/citizens/{personalId}/papers)' }),
  }, { additionalProperties: false }), { maxItems: 50, description: 'Stored electronic papers of the applicant reused instead of asking for the paper again (recorded in the history)' })),
}, { additionalProperties: false });

export const ActionBody = Type.Object({
  step: Type.String({ minLength: 1, maxLength: 100, description: 'Step id, or * for a global action' }),
  action: Type.String({ minLength: 1, maxLength: 100 }),
  inputs: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  expectedVersion: Type.Optional(Type.Integer({ minimum: 1, description: 'The version you saw; a different one answers 409' })),
}, { additionalProperties: false });

export const BulkBody = Type.Object({
  items: Type.Array(Type.Object({
    id: Id,
    step: Type.String({ minLength: 1 }),
    action: Type.String({ minLength: 1 }),
    inputs: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    expectedVersion: Type.Optional(Type.Integer({ minimum: 1 })),
  }, { additionalProperties: false }), { minItems: 1, maxItems: 100 }),
}, { additionalProperties: false });

export const IdParams = Type.Object({ id: Id });

export const InboxQuery = Type.Object({
  box: Type.Optional(Type.Union(['mine', 'held', 'unit', 'due-soon', 'overdue', 'waiting', 'closed', 'all'].map((b) => Type.Literal(b)), {
    description: '`held`: open dossiers with a step you hold (claimed or assigned to you)',
  })),
  q: Type.Optional(Type.String({ maxLength: 200 })),
  procedureId: Type.Optional(Type.String({ maxLength: 100 })),
  unit: Type.Optional(Type.String({ maxLength: 50 })),
  channel: Type.Optional(Type.Union(['direct', 'online', 'postal'].map((c) => Type.Literal(c)), { description: 'How the dossier was submitted' })),
  page: Type.Optional(Type.Integer({ minimum: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
});

/** The second factor of the public lookup (docs/public-lookup.md): one of them. */
const FactorProps = {
  key: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'The token of the receipt\'s QR code (`k` in /tra-cuu/<code>?k=…)' })),
  last4: Type.Optional(Type.String({ pattern: '^[0-9]{4}$', description: 'The last 4 digits of the applicant\'s phone number or ID number' })),
  applicantId: Type.Optional(Type.String({ maxLength: 50, description: 'The applicant\'s whole ID number' })),
};

export const LookupBody = Type.Object(FactorProps, { additionalProperties: false });

export const RatingBody = Type.Object({
  score: Type.Integer({ minimum: 1, maximum: 5 }),
  comment: Type.Optional(Type.String({ maxLength: 2000 })),
  ...FactorProps,
}, { additionalProperties: false });

export const ClaimBody = Type.Object({
  step: Type.String({ minLength: 1, maxLength: 100, description: 'The active step to take' }),
}, { additionalProperties: false });

export const AssignBody = Type.Object({
  step: Type.String({ minLength: 1, maxLength: 100, description: 'The active step to hand over' }),
  officerId: Type.String({ minLength: 1, maxLength: 200, description: 'The officer who will hold it (the step\'s role at its unit)' }),
}, { additionalProperties: false });
