/**
 * TypeBox schemas of the catalog routes: they validate requests and document the answers
 * in the OpenAPI document.
 */
import Type from 'typebox';

export const MAX_VERSION = 1_000_000;

const Localized = Type.Object({ vi: Type.String(), en: Type.String() });
const Text = Type.Object({ vi: Type.String(), en: Type.Optional(Type.String()) });
const Duration = Type.Object({ days: Type.Optional(Type.Number()), hours: Type.Optional(Type.Number()) });
const DateOrNull = Type.Union([Type.String({ format: 'date-time' }), Type.Null()]);

export const ProcedureId = Type.String({
  pattern: '^[a-z][a-zA-Z0-9_-]*$', maxLength: 100,
  description: 'Procedure id (slug): a lowercase letter, then letters, digits, "_" or "-"',
});
const VersionNumber = Type.Integer({ minimum: 1, maximum: MAX_VERSION });

export const IdParams = Type.Object({ id: ProcedureId });
export const VersionParams = Type.Object({ id: ProcedureId, version: VersionNumber });

export const DefinitionBody = Type.Object({
  definition: Type.Unknown({ description: 'A ProcedureDefinition (see engine/schema/procedure.schema.json)' }),
}, { additionalProperties: false });

export const DraftBody = Type.Object({
  from: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_VERSION, description: 'Version to copy (default: the latest published, else the latest)' })),
}, { additionalProperties: false });

export const PublishBody = Type.Object({
  effectiveFrom: Type.Optional(Type.String({
    maxLength: 40,
    description: 'ISO 8601: 2026-04-01 (midnight, Vietnam time), 2026-04-01T08:00 (Vietnam time) or with an offset; default now',
  })),
  backdatingReason: Type.Optional(Type.String({
    minLength: 1, maxLength: 500,
    description: 'Required when effectiveFrom is before today (Vietnam time): why the version applies retroactively; recorded in the audit log',
  })),
}, { additionalProperties: false });

export const ListQuery = Type.Object({ q: Type.Optional(Type.String({ maxLength: 200 })) });
export const DiffQuery = Type.Object({ from: VersionNumber, to: VersionNumber });

export const PublicQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200, description: 'Words of the code or the name, accents optional ("dang ky khai sinh")' })),
  field: Type.Optional(Type.String({ maxLength: 200, description: 'Field (lĩnh vực), e.g. "Hộ tịch"; accents optional' })),
  level: Type.Optional(Type.Enum(['commune', 'province', 'central'])),
  onlineLevel: Type.Optional(Type.Enum(['none', 'partial', 'full'])),
  nonGeographic: Type.Optional(Type.Boolean()),
  unit: Type.Optional(Type.String({ maxLength: 50, description: 'Unit code: procedures of its level or naming it' })),
  desk: Type.Optional(Type.String({ maxLength: 50, description: 'Unit code of a desk: each procedure says whether that desk can receive it (`intake`), those it can first' })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
});

const Issue = Type.Object({
  code: Type.Optional(Type.String()), path: Type.String({ description: 'JSON pointer' }), severity: Type.Optional(Type.String()), message: Localized,
});
const Notice = Type.Object({ code: Type.String(), path: Type.String(), message: Localized });

const VersionInfoProps = {
  version: Type.Integer(),
  status: Type.Enum(['draft', 'published', 'retired']),
  effectiveFrom: DateOrNull,
  effectiveTo: DateOrNull,
  publishedAt: DateOrNull,
  publishedBy: Type.Union([Type.String(), Type.Null()]),
  createdAt: DateOrNull,
  updatedAt: DateOrNull,
};

export const SavedVersionSchema = Type.Object({
  procedureId: Type.String(), ...VersionInfoProps, definition: Type.Object({}),
  notices: Type.Array(Notice), warnings: Type.Array(Issue),
});

export const PublishResultSchema = Type.Object({
  procedureId: Type.String(), ...VersionInfoProps,
  previous: Type.Union([Type.Object({ version: Type.Integer(), effectiveTo: DateOrNull }), Type.Null()]),
  findings: Type.Array(Issue),
});

export const RetireResultSchema = Type.Object({ procedureId: Type.String(), ...VersionInfoProps });

const VersionBrief = Type.Union([Type.Object({
  version: Type.Integer(), status: Type.String(), effectiveFrom: DateOrNull, effectiveTo: DateOrNull,
}), Type.Null()]);

export const ProcedureListSchema = Type.Object({
  items: Type.Array(Type.Object({
    id: Type.String(), code: Type.String(), name: Type.String(), field: Type.String(), createdAt: DateOrNull,
    latest: VersionBrief, inForce: VersionBrief, draftVersion: Type.Union([Type.Integer(), Type.Null()]), versionCount: Type.Integer(),
  })),
  total: Type.Integer(),
});

export const ProcedureDetailSchema = Type.Object({
  id: Type.String(), code: Type.String(), name: Type.String(), field: Type.String(), createdAt: DateOrNull,
  inForce: VersionBrief, draftVersion: Type.Union([Type.Integer(), Type.Null()]),
  versions: Type.Array(Type.Object({
    ...VersionInfoProps,
    openDossiers: Type.Integer({ minimum: 0, description: 'Dossiers not yet closed that run on this version (they keep it to the end)' }),
    definition: Type.Object({}),
  })),
});

export const VersionSchema = Type.Object({ procedureId: Type.String(), ...VersionInfoProps, definition: Type.Object({}) });

export const ValidateResultSchema = Type.Object({
  ok: Type.Boolean({ description: 'The definition validates (no error issues)' }),
  publishable: Type.Boolean({ description: 'Publishing it now would be accepted: it validates, the analysis finds no error, its linked procedures are published and no other procedure in force has its national code (the same gate as publishing)' }),
  issues: Type.Array(Issue, { description: 'Pointers into the definition' }),
  analysis: Type.Union([Type.Object({}, { description: 'AnalysisReport: findings, metrics, SLA paths' }), Type.Null()]),
});

export const MetricsSchema = Type.Object({
  procedureId: Type.String(), version: Type.Integer(), status: Type.String(),
  ok: Type.Boolean(), findings: Type.Array(Issue), metrics: Type.Object({}),
  slaLongestPath: Type.Union([Type.Object({}), Type.Null()]), slaHappyPath: Type.Union([Type.Object({}), Type.Null()]),
});

export const DiffSchema = Type.Object({
  from: Type.Object({ id: Type.String(), version: Type.Integer() }), to: Type.Object({ id: Type.String(), version: Type.Integer() }),
  unchanged: Type.Boolean(), steps: Type.Object({}), actions: Type.Object({}), catalog: Type.Array(Type.Object({})),
  definition: Type.Array(Type.Object({})), metrics: Type.Object({}), summary: Localized,
});

export const CatalogSchema = Type.Object({
  exportedAt: Type.Optional(Type.String({ maxLength: 40 })),
  procedures: Type.Array(Type.Object({
    id: ProcedureId,
    versions: Type.Array(Type.Object({
      version: VersionNumber,
      status: Type.Enum(['draft', 'published', 'retired']),
      effectiveFrom: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Null()])),
      effectiveTo: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Null()])),
      definition: Type.Unknown(),
    }, { additionalProperties: false }), { minItems: 1, maxItems: 1000 }),
  }, { additionalProperties: false }), { maxItems: 10_000 }),
}, { additionalProperties: false });

export const ImportResultSchema = Type.Object({
  imported: Type.Array(Type.Object({ id: Type.String(), version: Type.Integer(), status: Type.String() })),
  skipped: Type.Array(Type.Object({ id: Type.String(), version: Type.Integer(), reason: Localized })),
  notices: Type.Array(Notice),
});

const PublicSummaryProps = {
  id: Type.String(), version: Type.Integer(), code: Type.String(), publishedCode: Type.Union([Type.String(), Type.Null()]),
  name: Text, field: Type.String(), level: Type.String(), implementingBody: Type.String(), legalDeadline: Duration,
  onlineLevel: Type.String(), postal: Type.Boolean(), nonGeographic: Type.Boolean(),
  effectiveFrom: DateOrNull, effectiveTo: DateOrNull,
};

export const PublicListSchema = Type.Object({
  items: Type.Array(Type.Object({
    ...PublicSummaryProps, feeCount: Type.Integer(),
    intake: Type.Optional(Type.Union([
      Type.Object({ receivable: Type.Literal(true), forOther: Type.Boolean({ description: 'Received here for a unit of another kind, which decides it' }) }),
      Type.Object({ receivable: Type.Literal(false), reason: Localized }),
    ], { description: 'With `desk`: whether that desk can receive the procedure, and why not' })),
  })),
  total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer(),
});

export const FieldsSchema = Type.Object({ items: Type.Array(Type.Object({ field: Type.String(), count: Type.Integer() })) });

const PublicStep = Type.Object({
  id: Type.String(), name: Text, kind: Type.String(), description: Type.Optional(Text), handledBy: Type.Optional(Text),
  sla: Type.Optional(Duration), branches: Type.Optional(Type.Array(Type.Object({ id: Type.String(), name: Text, steps: Type.Array(Type.Object({})) }))),
});

export const PublicDetailSchema = Type.Object({
  ...PublicSummaryProps,
  decidingAuthority: Type.String(), delegatedAuthority: Type.Optional(Type.String()), coordinatingBodies: Type.Array(Type.String()),
  competentUnitKinds: Type.Optional(Type.Array(Type.String(), { description: 'Kinds of unit that decide it (e.g. ["police"]); absent: the receiving unit\'s kind. A one-stop desk of another kind receives it for such a unit' })),
  deadlineNote: Type.Optional(Text),
  fees: Type.Array(Type.Object({
    id: Type.String(), name: Text, amount: Type.Number(), per: Type.String(), max: Type.Optional(Type.Number()),
    conditional: Type.Boolean({ description: 'Charged only in some cases (see the note)' }), note: Type.Optional(Text),
  })),
  documents: Type.Array(Type.Object({
    id: Type.String(), name: Text, form: Type.String(), count: Type.Integer(), template: Type.Optional(Type.String()),
    optional: Type.Boolean(), conditional: Type.Boolean({ description: 'Required only in some cases (see the note)' }), note: Type.Optional(Text),
    paperType: Type.Optional(Type.String({ description: 'Paper type shared across procedures: a stored electronic copy of this type is reused' })),
    notRequiredWhenFound: Type.Optional(Type.Union([Type.Literal('population'), Type.Literal('civil-status')], { description: 'Not asked for when the citizen\'s data is found in this shared database (with consent)' })),
  })),
  result: Text, legalBasis: Type.Array(Type.String()),
  channels: Type.Union([Type.Array(Type.String()), Type.Null()]),
  settings: Type.Optional(Type.Object({ cutoffTime: Type.Optional(Type.String()) })),
  data: Type.Optional(Type.Unknown({ description: 'The application form (tờ khai) as the JSON Schema of the dossier data: what the applicant fills in, at a desk or online' })),
  steps: Type.Array(PublicStep),
});

// ---- Migration of open dossiers (./migrations.ts)

const StepId = Type.String({ maxLength: 100 });
export const MigrationPlanBody = Type.Object({
  from: VersionNumber,
  to: VersionNumber,
  steps: Type.Record(StepId, Type.Union([StepId, Type.Null()]), {
    description: 'Old step id → new step id, or null: dossiers at that step stay on the old version. A step left out maps to the step of the same id.',
  }),
  data: Type.Optional(Type.Record(Type.String({ maxLength: 100 }), Type.Unknown(), {
    description: 'Values for data fields the new version needs and a dossier lacks (set only where the dossier has none)',
  })),
  expect: Type.Optional(Type.Object({
    moves: Type.Integer({ minimum: 0, description: 'How many dossiers the dry run said would move: applying is refused when this changed' }),
  }, { additionalProperties: false })),
}, { additionalProperties: false });

const Reason = Type.Object({
  code: Type.String(), step: Type.Optional(Type.String()), message: Localized, fields: Type.Optional(Type.Array(Type.String())),
});
const DossierFateSchema = Type.Object({
  id: Type.String(),
  applicantName: Type.String(),
  receivingUnit: Type.String(),
  steps: Type.Array(Type.String(), { description: 'The steps the dossier is at now (innermost)' }),
  fate: Type.Enum(['moves', 'stays', 'cannot', 'moved']),
  moves: Type.Optional(Type.Array(Type.Object({ from: Type.String(), to: Type.String() }))),
  reasons: Type.Optional(Type.Array(Reason)),
  notes: Type.Optional(Type.Array(Localized)),
});
const MigrationCounts = Type.Object({ open: Type.Integer(), moves: Type.Integer(), stays: Type.Integer(), cannot: Type.Integer() });
export const MigrationDryRunSchema = Type.Object({
  procedureId: Type.String(),
  from: Type.Integer(),
  to: Type.Integer(),
  issues: Type.Array(Type.Object({ code: Type.String(), path: Type.String(), severity: Type.Enum(['error', 'warning']), message: Localized })),
  resolved: Type.Record(Type.String(), Type.Union([Type.String(), Type.Null()])),
  counts: MigrationCounts,
  dossiers: Type.Array(DossierFateSchema),
});
export const MigrationResultSchema = Type.Object({
  ...MigrationDryRunSchema.properties,
  moved: Type.Integer({ description: 'Dossiers moved by this request (0 when repeated: those moved before are on the new version)' }),
  batches: Type.Integer(),
});
