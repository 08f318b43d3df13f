import Type from 'typebox';

const PersonalId = Type.String({ pattern: '^[0-9]{12}$', description: 'The 12-digit personal ID (số định danh cá nhân)' });
const Day = Type.String({ format: 'date', description: 'YYYY-MM-DD' });

export const DocParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }), docId: Type.String({ minLength: 1, maxLength: 100 }) });
export const PersonParams = Type.Object({ personalId: PersonalId });

export const DigitiseBody = Type.Object({
  paperId: Type.String({ minLength: 1, maxLength: 100, description: 'The checklist item (catalog document id) the paper is' }),
  paperType: Type.Optional(Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 60, description: 'Defaults to the checklist item\'s paper type (else its id)' })),
  number: Type.String({ minLength: 1, maxLength: 100, description: 'Số, ký hiệu of the paper' }),
  issuer: Type.String({ minLength: 1, maxLength: 300, description: 'Cơ quan cấp' }),
  issuedOn: Day,
  holderId: PersonalId,
  validUntil: Type.Optional(Day),
}, { additionalProperties: false });

export const ResultBody = Type.Object({
  number: Type.String({ minLength: 1, maxLength: 100, description: 'Số, ký hiệu of the result' }),
  date: Day,
  signer: Type.String({ minLength: 1, maxLength: 200, description: 'Who signed (name and title)' }),
  validUntil: Type.Optional(Day),
  paperType: Type.Optional(Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 60, description: 'The paper type the result is for later reuse (e.g. xac-nhan-tinh-trang-hon-nhan)' })),
}, { additionalProperties: false });

export const Consent = Type.Object({
  given: Type.Boolean({ description: 'The citizen agreed to this lookup (Decree 13/2023/NĐ-CP Art. 11)' }),
  method: Type.Union([Type.Literal('written'), Type.Literal('vneid'), Type.Literal('at-desk')], { description: 'How: a signed form, on VNeID, or stated at the desk and recorded by the officer' }),
  note: Type.Optional(Type.String({ maxLength: 500 })),
}, { additionalProperties: false });

export const LookupBody = Type.Object({
  source: Type.Union([Type.Literal('population'), Type.Literal('civil-status')]),
  personalId: PersonalId,
  unit: Type.String({ minLength: 1, maxLength: 50, description: 'The desk\'s unit' }),
  purpose: Type.String({ minLength: 1, maxLength: 300, description: 'Why (sent to the database), e.g. the procedure' }),
  procedureId: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Answers which of its checklist items the data makes unnecessary' })),
  consent: Type.Optional(Consent),
}, { additionalProperties: false });

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const StoreEntrySchema = Type.Object({
  documentId: Type.String(),
  kind: Type.Union([Type.Literal('digitised'), Type.Literal('result')]),
  name: Type.String(),
  mime: Type.String(),
  size: Type.Integer(),
  sha256: Type.String(),
  holderId: Type.String(),
  paperType: Nullable(Type.String()),
  number: Nullable(Type.String()),
  issuer: Nullable(Type.String({ description: 'Issuer (digitised) or signer (result)' })),
  issuedOn: Nullable(Type.String()),
  validUntil: Nullable(Type.String()),
  dossierId: Type.String(),
  unit: Type.String({ description: 'The competent unit of the dossier it came from' }),
  storedAt: Type.String(),
  url: Type.String({ description: 'Download path (through the dossier it came from)' }),
  signed: Type.Boolean({ description: 'A result signed and issued through the signing register (PAdES): the file served is the signed one' }),
  verifyId: Nullable(Type.String({ description: 'A signed result\'s register id: /xac-thuc/{verifyId} is its public verification page' })),
});

export const LookupSchema = Type.Object({
  id: Type.String(),
  source: Type.Union([Type.Literal('population'), Type.Literal('civil-status')]),
  personalId: Type.String(),
  at: Type.String(),
  by: Type.Object({ id: Type.String(), name: Type.String() }),
  consent: Type.Object({ method: Type.String(), at: Type.String(), note: Type.Optional(Type.String()) }),
  record: Type.Record(Type.String(), Type.Unknown()),
  prefill: Type.Object({
    applicant: Type.Object({ name: Type.Optional(Type.String()), address: Type.Optional(Type.String()) }),
    data: Type.Record(Type.String(), Type.Unknown()),
  }),
  papersNotRequired: Type.Array(Type.String(), { description: 'Checklist items of `procedureId` not asked for once this lookup is used' }),
  validUntil: Type.String({ description: 'An intake may use the lookup until then' }),
});
