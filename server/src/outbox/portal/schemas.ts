/** Request and response schemas of the portal routes (they validate and document the API). */
import Type from 'typebox';
import { INTERNAL_STATES } from './status';

const Url = Type.String({ minLength: 1, maxLength: 2000, pattern: '^[Hh][Tt][Tt][Pp][Ss]?://' });

const ValueFormat = Type.Union([Type.Literal('typed'), Type.Literal('strings')], { description: "How values go on the wire: 'typed' (numbers and 0/1 as JSON numbers, the default) or 'strings' (every value a string, as the public clients send it)" });

export const ConnectionCreateBody = Type.Object({
  province: Type.String({ minLength: 1, maxLength: 60, description: 'Unit code of the province whose status table applies' }),
  username: Type.String({ minLength: 1, maxLength: 200, description: 'The portal account' }),
  password: Type.String({ minLength: 8, maxLength: 500, description: 'The portal account\'s password (stored encrypted, never listed)' }),
  agencyCode: Type.String({ minLength: 1, maxLength: 60, description: 'The code the portal knows the province\'s system by (madonvi)' }),
  tokenUrl: Url,
  syncUrl: Url,
  progressUrl: Url,
  queryUrl: Url,
  batchSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  valueFormat: Type.Optional(ValueFormat),
  inboundToken: Type.Optional(Type.String({ minLength: 24, maxLength: 200, description: 'The token the portal pushes online dossiers with; omitted = generated and returned once' })),
}, { additionalProperties: false });

export const ConnectionUpdateBody = Type.Object({
  province: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
  username: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  password: Type.Optional(Type.String({ minLength: 8, maxLength: 500, description: 'A new password for the portal account (write-only)' })),
  agencyCode: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
  tokenUrl: Type.Optional(Url),
  syncUrl: Type.Optional(Url),
  progressUrl: Type.Optional(Url),
  queryUrl: Type.Optional(Url),
  batchSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  valueFormat: Type.Optional(ValueFormat),
  active: Type.Optional(Type.Boolean({ description: 'false pauses the sync (deliveries wait) and refuses inbound pushes' })),
  rotateInboundToken: Type.Optional(Type.Boolean({ description: 'true: a new inbound token, returned once; the old one stops working' })),
}, { additionalProperties: false });

export const ConnectionSchema = Type.Object({
  id: Type.String(),
  province: Type.String(),
  username: Type.String(),
  agencyCode: Type.String(),
  tokenUrl: Type.String(),
  syncUrl: Type.String(),
  progressUrl: Type.String(),
  queryUrl: Type.String(),
  batchSize: Type.Integer(),
  valueFormat: ValueFormat,
  active: Type.Boolean(),
  createdAt: Type.String(),
});

export const ConnectionWithToken = Type.Intersect([ConnectionSchema, Type.Object({
  inboundToken: Type.String({ description: 'Shown only now: the portal sends it as X-Portal-Token' }),
})]);

export const ConnectionUpdated = Type.Intersect([ConnectionSchema, Type.Object({
  inboundToken: Type.Optional(Type.String({ description: 'Only when rotated: shown only now' })),
})]);

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
export const ProvinceParams = Type.Object({ province: Type.String({ minLength: 1, maxLength: 60 }) });

export const StatusCodes = Type.Object(Object.fromEntries(INTERNAL_STATES.map((s) => [s, Type.Integer({ minimum: 1, maximum: 10 })])), {
  additionalProperties: false, description: 'Internal state → portal status code 1–10',
});

export const StatusTableBody = Type.Object({ codes: Type.Record(Type.String(), Type.Unknown()) }, { additionalProperties: false });

export const StatusTableSchema = Type.Object({
  province: Type.String(),
  codes: StatusCodes,
  names: Type.Record(Type.String(), Type.String(), { description: 'Code → Vietnamese name' }),
  isDefault: Type.Boolean(),
});

export const SyncQuery = Type.Object({
  since: Type.Optional(Type.String({ format: 'date-time', description: 'Dossiers submitted since (default: 30 days ago)' })),
});

export const SyncFigures = Type.Object({
  connected: Type.Boolean(),
  since: Type.String(),
  units: Type.Array(Type.Object({
    unit: Type.String(), name: Type.String(), dossiers: Type.Integer(), synced: Type.Integer(), pending: Type.Integer(), failed: Type.Integer(),
    share: Type.Union([Type.Number(), Type.Null()], { description: 'synced ÷ dossiers (Decision 766: share of dossiers synced to the portal)' }),
    lagAvgS: Type.Union([Type.Number(), Type.Null()]), lagMaxS: Type.Union([Type.Number(), Type.Null()]),
  })),
});

export const ReconcileSchema = Type.Object({
  checked: Type.Integer(), inFlight: Type.Integer(), resent: Type.Integer(), error: Type.Union([Type.String(), Type.Null()]),
  // path: a JSON pointer (RFC 6901) into the sync record, "/QuaTrinhXuLy/i" a progress entry, "" the whole record.
  differences: Type.Array(Type.Object({ dossierId: Type.String(), path: Type.String(), portal: Type.Unknown(), motcua: Type.Unknown() })),
});

export const PullSchema = Type.Object({
  received: Type.Integer(), duplicates: Type.Integer(),
  refused: Type.Array(Type.Object({ portalId: Type.String(), status: Type.Integer(), message: Type.String() })),
  error: Type.Union([Type.String(), Type.Null()]),
});

export const InboundAnswer = Type.Object({ portalId: Type.String(), dossierId: Type.String(), duplicate: Type.Boolean() });

export const InboundBody = Type.Unknown({ description: 'An online dossier (validated against the inbound JSON Schema, see docs/portal.md)' });

const Text2 = Type.Object({ vi: Type.String(), en: Type.String() });

export const InboundList = Type.Object({
  items: Type.Array(Type.Object({
    portalId: Type.String(), dossierId: Type.String(), procedureCode: Type.String(), unit: Type.String(), receivedAt: Type.String(),
    status: Type.Union([Type.String(), Type.Null()]),
  })),
  refused: Type.Array(Type.Object({
    connection: Type.String(), portalId: Type.String(), unit: Type.Union([Type.String(), Type.Null()]), procedureCode: Type.Union([Type.String(), Type.Null()]),
    status: Type.Integer(),
    error: Type.Object({ code: Type.String(), message: Text2, issues: Type.Array(Type.Object({ path: Type.String(), message: Text2 })) }),
    attempts: Type.Integer({ description: 'How many pulls found it' }), firstAt: Type.String(), lastAt: Type.String(),
  }), { description: 'Dossiers a pull refused (nothing of them stored but this entry): not valid, unknown procedure or unit, a unit outside the province' }),
});
