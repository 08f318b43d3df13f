/** Request and response schemas of the admin module (they validate and document the API). */
import Type from 'typebox';
import { ROLES } from '../auth/service';

/** Unit identifiers shaped like Circular 10/2016/TT-BTTTT (QĐ 20/2020/QĐ-TTg) codes, e.g. `000.01.31.H99`. */
export const UNIT_CODE = '^[0-9]{3}\\.[0-9]{2}\\.[0-9]{2}\\.[A-Z][0-9]{2}$';
export const UNIT_KINDS = ['province', 'commune', 'ward', 'police', 'social-insurance', 'department'] as const;
export const POSITIONS = ['head', 'deputy', 'acting-head', 'internal-head', 'member'] as const;
export const DELEGATION_KINDS = ['authorisation', 'order', 'deputy', 'acting'] as const;

const lit = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const ListOf = <T extends Parameters<typeof Type.Array>[0]>(item: T) => Type.Object({ items: Type.Array(item) });

// ---- units -----------------------------------------------------------------------------

export const UnitCodeParams = Type.Object({ code: Type.String({ minLength: 1, maxLength: 50 }) });

export const UnitSchema = Type.Object({
  code: Type.String(), name: Type.String(), kind: Type.String(), parent: Type.Union([Type.String(), Type.Null()]),
  collectiveName: Type.Union([Type.String(), Type.Null()]), headTitle: Type.Union([Type.String(), Type.Null()]),
  oneStop: Type.Boolean({ description: 'Has a one-stop desk that returns results (a dossier\'s return unit must be one, or its receiving or competent unit)' }),
  oneStopName: Type.Union([Type.String(), Type.Null()], { description: 'Name of the one-stop body that issues slips 01–03 (receipt, supplement request, refusal) for this unit — since 1 July 2025 a commune\'s "Trung tâm Phục vụ hành chính công" (Decree 118/2025); null: the unit itself' }),
  province: Type.Union([Type.String(), Type.Null()], { description: 'The province whose report totals include this unit although it is not below it (provincial police, social insurance)' }),
  childCount: Type.Integer({ description: 'Number of units directly below' }),
});

export const UnitQuery = Type.Object({
  parent: Type.Optional(Type.String({ maxLength: 50, description: 'Only the units directly below this one' })),
  kind: Type.Optional(Type.String({ maxLength: 50 })),
  q: Type.Optional(Type.String({ maxLength: 200, description: 'Part of the code or name' })),
});

export const UnitCreateBody = Type.Object({
  code: Type.String({ pattern: UNIT_CODE, description: 'Identifier like 000.01.31.H99 (Circular 10/2016/TT-BTTTT)' }),
  name: Text(300),
  kind: lit(UNIT_KINDS),
  parent: Type.String({ minLength: 1, maxLength: 50, description: 'The unit this one belongs to, within your scope' }),
  collectiveName: Type.Optional(Text(200)),
  headTitle: Type.Optional(Text(100)),
  oneStop: Type.Optional(Type.Boolean({ default: false, description: 'Has a one-stop desk that returns results' })),
  oneStopName: Type.Optional(Text(300)),
}, { additionalProperties: false });

export const UnitUpdateBody = Type.Object({
  name: Type.Optional(Text(300)),
  kind: Type.Optional(lit(UNIT_KINDS)),
  parent: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
  collectiveName: Type.Optional(Nullable(Text(200))),
  headTitle: Type.Optional(Nullable(Text(100))),
  oneStop: Type.Optional(Type.Boolean()),
  oneStopName: Type.Optional(Nullable(Text(300))),
  province: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 50, description: 'A unit of kind "province"; null: none' }))),
}, { additionalProperties: false, minProperties: 1 });

// ---- users -----------------------------------------------------------------------------

export const GrantInput = Type.Object({
  role: lit(ROLES),
  unit: Type.String({ minLength: 1, maxLength: 50 }),
  position: Type.Optional(lit(POSITIONS)),
  title: Type.Optional(Text(100)),
}, { additionalProperties: false });

export const GrantOut = Type.Object({
  role: Type.String(), unit: Type.String(), position: Type.Optional(Type.String()), title: Type.Optional(Type.String()),
});

export const AdminUserSchema = Type.Object({
  id: Type.String(), username: Type.String(), name: Type.String(), active: Type.Boolean(), createdAt: Type.String(),
  grants: Type.Array(GrantOut),
});

export const UserIdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });

export const UserQuery = Type.Object({
  unit: Type.Optional(Type.String({ maxLength: 50, description: 'Users holding a role at this unit' })),
  role: Type.Optional(lit(ROLES)),
  q: Type.Optional(Type.String({ maxLength: 200, description: 'Part of the username or name' })),
  active: Type.Optional(Type.Boolean()),
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});

const Password = Type.String({ minLength: 8, maxLength: 200, description: 'At least 8 characters' });

export const UserCreateBody = Type.Object({
  username: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._@-]{2,63}$', description: '3–64 letters, digits, . _ @ -' }),
  name: Text(200),
  password: Password,
  active: Type.Optional(Type.Boolean()),
  grants: Type.Array(GrantInput, { minItems: 1, maxItems: 50 }),
}, { additionalProperties: false });

export const UserUpdateBody = Type.Object({
  name: Type.Optional(Text(200)),
  active: Type.Optional(Type.Boolean()),
  grants: Type.Optional(Type.Array(GrantInput, {
    maxItems: 50, description: 'Replaces the grants at units you administer; grants elsewhere are kept',
  })),
}, { additionalProperties: false, minProperties: 1 });

export const PasswordBody = Type.Object({ password: Password }, { additionalProperties: false });

export const OfficersQuery = Type.Object({ role: Type.Optional(lit(ROLES)) });

export const OfficerSchema = Type.Object({
  id: Type.String(), name: Type.String(), grants: Type.Array(GrantOut, { description: 'Their roles at this unit' }),
});

// ---- delegations -----------------------------------------------------------------------

const Scope = Type.Object({
  roles: Type.Optional(Type.Array(Text(50), { maxItems: 20 })),
  units: Type.Optional(Type.Array(Text(50), { maxItems: 200 })),
  procedures: Type.Optional(Type.Array(Text(100), { maxItems: 500 })),
}, { additionalProperties: false });

const DelegationFields = {
  kind: lit(DELEGATION_KINDS),
  from: Type.String({ minLength: 1, maxLength: 100, description: 'User id of the delegator' }),
  to: Type.String({ minLength: 1, maxLength: 100, description: 'User id of the delegate' }),
  scope: Scope,
  validFrom: Type.String({ maxLength: 40, description: 'ISO 8601 instant with an offset' }),
  validTo: Type.Optional(Nullable(Type.String({ maxLength: 40 }))),
  decision: Type.Optional(Text(200)),
  derivedFrom: Type.Optional(Text(100)),
};

export const DelegationCreateBody = Type.Object(DelegationFields, { additionalProperties: false });

export const DelegationPreviewBody = Type.Object({
  ...DelegationFields,
  validFrom: Type.Optional(Type.String({ maxLength: 40 })),
  role: Type.Optional(Text(50)),
  unit: Type.Optional(Text(50)),
}, { additionalProperties: false });

export const DelegationQuery = Type.Object({
  to: Type.Optional(Type.String({ maxLength: 100 })),
  from: Type.Optional(Type.String({ maxLength: 100 })),
  active: Type.Optional(Type.Boolean({ description: 'true: in force now; false: not (yet or any more)' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 200 })),
});

export const DelegationIdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });

export const SigningSchema = Type.Object({
  prefix: Type.Union([Type.String(), Type.Null()]), lines: Type.Array(Type.String()), signer: Type.String(),
});

const Person = Type.Object({ id: Type.String(), name: Type.String() });

export const DelegationSchema = Type.Object({
  id: Type.String(), kind: Type.String(), from: Person, to: Person,
  scope: Type.Object({ roles: Type.Optional(Type.Array(Type.String())), units: Type.Optional(Type.Array(Type.String())), procedures: Type.Optional(Type.Array(Type.String())) }),
  validFrom: Type.String(), validTo: Type.Union([Type.String(), Type.Null()]), revokedAt: Type.Union([Type.String(), Type.Null()]),
  decision: Type.Union([Type.String(), Type.Null()]), derivedFrom: Type.Union([Type.String(), Type.Null()]),
  status: lit(['active', 'pending', 'expired', 'revoked']),
  createdBy: Type.String(), createdAt: Type.String(),
  signing: Type.Optional(SigningSchema),
});

// ---- calendars -------------------------------------------------------------------------

const HHMM = '^([01][0-9]|2[0-4]):[0-5][0-9]$';
const DATE = '^[0-9]{4}-[0-9]{2}-[0-9]{2}$';

const DayEntry = Type.Object({
  date: Type.String({ pattern: DATE, description: 'YYYY-MM-DD' }),
  name: Type.Optional(Type.String({ maxLength: 200 })),
}, { additionalProperties: false });

const Days = Type.Array(DayEntry, { maxItems: 120 });

export const YearBody = Type.Object({
  holidays: Type.Optional(Days),
  workdays: Type.Optional(Days),
  daysOff: Type.Optional(Days),
  replaceDefaults: Type.Optional(Type.Boolean({ description: 'holidays replace the computed statutory ones for this year' })),
}, { additionalProperties: false });

export const CalendarBody = Type.Object({
  utcOffsetMinutes: Type.Integer({ minimum: -720, maximum: 840 }),
  weekend: Type.Array(Type.Integer({ minimum: 0, maximum: 6 }), { maxItems: 6, uniqueItems: true, description: '0 = Sunday … 6 = Saturday' }),
  workingHours: Type.Array(Type.Object({
    start: Type.String({ pattern: HHMM, description: 'HH:MM' }), end: Type.String({ pattern: HHMM, description: 'HH:MM' }),
  }, { additionalProperties: false }), { minItems: 1, maxItems: 6 }),
  years: Type.Optional(Type.Record(Type.String({ pattern: '^[0-9]{4}$' }), YearBody, { additionalProperties: false, maxProperties: 200 })),
  statutoryDefaults: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });

export const ScopeParams = Type.Object({
  scope: Type.String({ minLength: 1, maxLength: 50, description: "'*' for the province-wide default, or a unit code" }),
});

export const YearParams = Type.Object({
  scope: Type.String({ minLength: 1, maxLength: 50 }),
  year: Type.Integer({ minimum: 1971, maximum: 2199 }),
});

export const CalendarOut = Type.Object({
  scope: Type.String(),
  source: lit(['own', 'inherited', 'default']),
  inheritedFrom: Type.Optional(Type.String({ description: "The scope whose configuration applies ('*' or a unit code)" })),
  updatedAt: Type.Union([Type.String(), Type.Null()]),
  config: Type.Unknown(),
});

export const DaysOut = Type.Object({
  scope: Type.String(), year: Type.Integer(), workingDays: Type.Integer(),
  days: Type.Array(Type.Object({
    date: Type.String(), weekday: Type.Integer(), reason: Type.String(),
    kind: lit(['weekend', 'holiday', 'statutory', 'day-off']),
  })),
  workdays: Type.Array(Type.Object({ date: Type.String(), name: Type.Optional(Type.String()) })),
});
