/**
 * The system of record (PostgreSQL; PGlite for the zero-setup demo). Dossier rows hold the
 * current snapshot; events are append-only and hash-chained; statistics come from rollups
 * written in the same transaction as the change they count.
 */
import { sql } from 'drizzle-orm';
import {
  bigint, bigserial, boolean, date, doublePrecision, index, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex,
} from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'string' });
const createdAt = () => ts('created_at').notNull().defaultNow();

export const units = pgTable('units', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  /** province | commune | ward | police | social-insurance | department */
  kind: text('kind').notNull(),
  parent: text('parent'),
  collectiveName: text('collective_name'),
  headTitle: text('head_title'),
  /** Has a one-stop desk (Bộ phận Một cửa, Trung tâm Phục vụ hành chính công) that may return results. */
  oneStop: boolean('one_stop').notNull().default(false),
  /**
   * The one-stop body that issues slips 01–03 in the unit's name, when it has its own (since
   * 1 July 2025 a commune's "Trung tâm Phục vụ hành chính công"); null: the unit itself.
   */
  oneStopName: text('one_stop_name'),
  /**
   * The province whose totals include this unit although it is not below the province's
   * People's Committee: a vertical agency such as the provincial police or social insurance.
   */
  province: text('province'),
  createdAt: createdAt(),
}, (t) => [index('units_parent_idx').on(t.parent)]);

export const users = pgTable('users', {
  id: text('id').primaryKey(),
  username: text('username').notNull(),
  passwordHash: text('password_hash').notNull(),
  name: text('name').notNull(),
  active: boolean('active').notNull().default(true),
  /** Bumped by logout, password change and deactivation: tokens signed with an older version are refused. */
  tokenVersion: integer('token_version').notNull().default(0),
  createdAt: createdAt(),
}, (t) => [uniqueIndex('users_username_idx').on(t.username)]);

/**
 * Failed logins per key (`account:<username>` or `address:<ip>`) in the current window,
 * shared by every server process so a guesser cannot spread attempts across them.
 */
export const loginFailures = pgTable('login_failures', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull(),
  windowStart: ts('window_start').notNull(),
});

/** A role held at a unit: designer, admin, desk, specialist, leader. */
export const grants = pgTable('grants', {
  userId: text('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  role: text('role').notNull(),
  unit: text('unit').notNull().references(() => units.code),
  position: text('position'),
  title: text('title'),
}, (t) => [primaryKey({ columns: [t.userId, t.role, t.unit] }), index('grants_unit_idx').on(t.unit)]);

export const procedures = pgTable('procedures', {
  id: text('id').primaryKey(),
  code: text('code').notNull(),
  name: text('name').notNull(),
  field: text('field').notNull(),
  createdAt: createdAt(),
});

/** draft → published (immutable, with an effective period) → retired. */
export const procedureVersions = pgTable('procedure_versions', {
  procedureId: text('procedure_id').notNull().references(() => procedures.id, { onDelete: 'cascade' }),
  version: integer('version').notNull(),
  status: text('status').notNull(),
  definition: jsonb('definition').notNull(),
  effectiveFrom: ts('effective_from'),
  effectiveTo: ts('effective_to'),
  publishedAt: ts('published_at'),
  publishedBy: text('published_by'),
  updatedAt: ts('updated_at').notNull().defaultNow(),
  createdAt: createdAt(),
}, (t) => [primaryKey({ columns: [t.procedureId, t.version] })]);

export const dossiers = pgTable('dossiers', {
  /** The dossier code `<unit>-YYMMDD-XXXX` (Circular 01/2018 Art. 19). */
  id: text('id').primaryKey(),
  procedureId: text('procedure_id').notNull(),
  procedureVersion: integer('procedure_version').notNull(),
  procedureCode: text('procedure_code').notNull(),
  field: text('field').notNull(),
  receivingUnit: text('receiving_unit').notNull(),
  competentUnit: text('competent_unit').notNull(),
  returnUnit: text('return_unit').notNull(),
  channel: text('channel').notNull(),
  status: text('status').notNull(),
  outcome: text('outcome'),
  applicantName: text('applicant_name').notNull(),
  applicantId: text('applicant_id'),
  /** Optimistic-concurrency version, equal to the snapshot's. */
  version: integer('version').notNull(),
  snapshot: jsonb('snapshot').notNull(),
  /** Units and roles of the active steps, for inboxes. */
  stepUnits: text('step_units').array().notNull().default(sql`'{}'::text[]`),
  stepRoles: text('step_roles').array().notNull().default(sql`'{}'::text[]`),
  submittedAt: ts('submitted_at').notNull(),
  receivedAt: ts('received_at'),
  dueAt: ts('due_at'),
  closedAt: ts('closed_at'),
  /** Earliest step timeout, raised by the sweeper. */
  nextTimeoutAt: ts('next_timeout_at'),
  dueSoonNotifiedAt: ts('due_soon_notified_at'),
  overdueNotifiedAt: ts('overdue_notified_at'),
  parentId: text('parent_id'),
  parentKey: text('parent_key'),
  lastHash: text('last_hash').notNull(),
  rating: integer('rating'),
  ratingComment: text('rating_comment'),
  /**
   * Who holds each active step, by step id (dossiers/repo.ts `Holder`): the person who
   * claimed it or was assigned it, or — from the engine's `assign` effect — the role and
   * unit whose officers may take it. Kept outside the snapshot: holding a step is not an
   * engine transition and never changes the dossier's version or history.
   */
  holders: jsonb('holders').notNull().default(sql`'{}'::jsonb`),
  /**
   * The random second factor of the public lookup, carried in the receipt's QR code
   * (docs/public-lookup.md). Drawn by the database at insert (122 random bits).
   */
  lookupToken: text('lookup_token').notNull().default(sql`replace(gen_random_uuid()::text, '-', '')`),
  createdAt: createdAt(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
}, (t) => [
  index('dossiers_competent_open_idx').on(t.competentUnit, t.dueAt).where(sql`${t.closedAt} is null`),
  index('dossiers_receiving_idx').on(t.receivingUnit, t.submittedAt),
  index('dossiers_step_units_idx').using('gin', t.stepUnits),
  index('dossiers_due_open_idx').on(t.dueAt).where(sql`${t.closedAt} is null`),
  index('dossiers_timeout_idx').on(t.nextTimeoutAt).where(sql`${t.nextTimeoutAt} is not null`),
  index('dossiers_parent_idx').on(t.parentId),
  // Closures by unit and time; also covers the report's "in progress at the end of a past
  // period" (closed since, received before, overdue then, by field or procedure) without
  // reading the rows.
  index('dossiers_closed_idx').on(t.competentUnit, t.closedAt, t.receivedAt, t.dueAt, t.field, t.procedureId),
]);

/** Append-only history, hash-chained over every shown column (dossiers/chain.ts). */
export const dossierEvents = pgTable('dossier_events', {
  dossierId: text('dossier_id').notNull().references(() => dossiers.id),
  seq: integer('seq').notNull(),
  type: text('type').notNull(),
  at: ts('at').notNull(),
  actorId: text('actor_id').notNull(),
  actorName: text('actor_name').notNull(),
  payload: jsonb('payload').notNull(),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
  /** The hashing rule of this event: 1 = payload only (events written before), 2 = every shown column. */
  chain: smallint('chain').notNull().default(1),
}, (t) => [primaryKey({ columns: [t.dossierId, t.seq] })]);

/**
 * Signed checkpoints of each unit's chain heads (audit/checkpoints.ts): a checkpoint lists
 * the dossiers of the unit whose history grew since its previous checkpoint, with their
 * last seq and hash, and chains to that previous checkpoint's signature. Cutting events
 * off a history shows against the last checkpoint that listed them.
 */
export const historyCheckpoints = pgTable('history_checkpoints', {
  unit: text('unit').notNull(),
  /** 1, 2, 3… per unit. */
  number: integer('number').notNull(),
  takenAt: ts('taken_at').notNull(),
  /** `[dossierId, seq, hash]` of each history that grew, sorted by dossier id. */
  heads: jsonb('heads').notNull(),
  /** The unit's previous checkpoint's signature ('' for the first). */
  prevSignature: text('prev_signature').notNull(),
  keyId: text('key_id').notNull(),
  /** Ed25519 over the canonical JSON of { unit, number, takenAt, heads, prevSignature }, base64. */
  signature: text('signature').notNull(),
}, (t) => [primaryKey({ columns: [t.unit, t.number] })]);

/** Working index of the last checkpointed head of each history (what the next checkpoint starts from); not trusted by verification. */
export const historyCheckpointed = pgTable('history_checkpointed', {
  dossierId: text('dossier_id').primaryKey(),
  seq: integer('seq').notNull(),
  hash: text('hash').notNull(),
});

/**
 * Slips as issued (docs/records.md, "Issued slips are records"): the data printed and the
 * PDF's sha256, frozen the first time the slip issued by a history event is produced and
 * never updated; a later slip of the same kind names the one it replaces.
 */
export const dossierSlips = pgTable('dossier_slips', {
  dossierId: text('dossier_id').notNull().references(() => dossiers.id),
  kind: text('kind').notNull(),
  /** The history event (seq) that issued it. */
  eventSeq: integer('event_seq').notNull(),
  issuedAt: ts('issued_at').notNull(),
  data: jsonb('data').notNull(),
  sha256: text('sha256').notNull(),
  /** The event seq of the earlier slip of the same kind this one replaces, if any. */
  replacesSeq: integer('replaces_seq'),
}, (t) => [primaryKey({ columns: [t.dossierId, t.kind, t.eventSeq] })]);

/** Running number of each unit's dossiers per day, for the dossier code. */
export const dossierCounters = pgTable('dossier_counters', {
  unit: text('unit').notNull(),
  day: text('day').notNull(),
  last: integer('last').notNull(),
}, (t) => [primaryKey({ columns: [t.unit, t.day] })]);

export const idempotencyKeys = pgTable('idempotency_keys', {
  userId: text('user_id').notNull(),
  key: text('key').notNull(),
  requestHash: text('request_hash').notNull(),
  status: integer('status').notNull(),
  body: jsonb('body').notNull(),
  createdAt: createdAt(),
}, (t) => [primaryKey({ columns: [t.userId, t.key] })]);

export const documents = pgTable('documents', {
  id: text('id').primaryKey(),
  dossierId: text('dossier_id').notNull().references(() => dossiers.id),
  name: text('name').notNull(),
  mime: text('mime').notNull(),
  size: integer('size').notNull(),
  sha256: text('sha256').notNull(),
  storageKey: text('storage_key').notNull(),
  uploadedBy: text('uploaded_by').notNull(),
  createdAt: createdAt(),
  // papers: typed documents (docs/papers.md)
  /** submitted (a paper the citizen brought) | digitised (bản sao điện tử) | result | slip. */
  kind: text('kind').notNull().default('submitted'),
  /** The checklist item (catalog document id) this document is, when it is one. */
  paperId: text('paper_id'),
  /** The holder's personal ID (số định danh cá nhân): digitised papers and results, the citizen's data store key. */
  holderId: text('holder_id'),
  /** The kind's metadata: digitised {paperType, number, issuer, issuedOn}; result {number, date, signer, validUntil, signature}. */
  meta: jsonb('meta').notNull().default(sql`'{}'::jsonb`),
  digitisedAt: ts('digitised_at'),
  digitisedBy: text('digitised_by'),
  /** The stored document a reused copy was taken from (the same bytes, another dossier). */
  reusedFrom: text('reused_from'),
}, (t) => [
  index('documents_dossier_idx').on(t.dossierId),
  index('documents_holder_idx').on(t.holderId, t.kind).where(sql`${t.holderId} is not null`),
]);

/** Written in the same transaction as every state change; dispatched to webhooks. */
export const outbox = pgTable('outbox', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  /** Stable event id for receivers to de-duplicate. */
  eventId: text('event_id').notNull(),
  topic: text('topic').notNull(),
  dossierId: text('dossier_id'),
  payload: jsonb('payload').notNull(),
  createdAt: createdAt(),
  fannedOutAt: ts('fanned_out_at'),
  /** When live screens were told of this change (progress rows only; see server/src/realtime/announcements.ts). */
  announcedAt: ts('announced_at'),
}, (t) => [
  index('outbox_pending_idx').on(t.id).where(sql`${t.fannedOutAt} is null`), uniqueIndex('outbox_event_idx').on(t.eventId),
  index('outbox_unannounced_idx').on(t.id).where(sql`${t.announcedAt} is null and ${t.topic} = 'dossier.progress'`),
  // The few events that changed a list the national portal keeps (supplement rounds, extensions, fees): the portal
  // adapter reads only these of a dossier's history, so a batch costs what it carries (server/src/outbox/portal/repo.ts).
  index('outbox_portal_changes_idx').on(t.dossierId, t.id)
    .where(sql`${t.topic} = 'dossier.progress' and (${t.payload} -> 'portal' -> 'changes') <> '[]'::jsonb`),
]);

export const webhookSubscriptions = pgTable('webhook_subscriptions', {
  id: text('id').primaryKey(),
  url: text('url').notNull(),
  secret: text('secret').notNull(),
  topics: text('topics').array().notNull(),
  active: boolean('active').notNull().default(true),
  createdAt: createdAt(),
});

export const webhookDeliveries = pgTable('webhook_deliveries', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  subscriptionId: text('subscription_id').notNull().references(() => webhookSubscriptions.id, { onDelete: 'cascade' }),
  outboxId: integer('outbox_id').notNull(),
  eventId: text('event_id').notNull(),
  /** The event's dossier: one dossier's deliveries to one subscription go strictly in outbox order. */
  dossierId: text('dossier_id'),
  status: text('status').notNull(),
  /** The process holding the current lease (null: not claimed); released at start when that process is gone. */
  claimedBy: text('claimed_by'),
  attempts: integer('attempts').notNull().default(0),
  nextAttemptAt: ts('next_attempt_at').notNull(),
  lastStatus: integer('last_status'),
  lastError: text('last_error'),
  deliveredAt: ts('delivered_at'),
  createdAt: createdAt(),
}, (t) => [
  uniqueIndex('deliveries_unique_idx').on(t.subscriptionId, t.outboxId),
  index('deliveries_due_idx').on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
  index('deliveries_order_idx').on(t.subscriptionId, t.dossierId, t.outboxId).where(sql`${t.status} = 'pending'`),
]);

export const delegations = pgTable('delegations', {
  id: text('id').primaryKey(),
  kind: text('kind').notNull(),
  fromUser: text('from_user').notNull().references(() => users.id),
  toUser: text('to_user').notNull().references(() => users.id),
  scope: jsonb('scope').notNull(),
  validFrom: ts('valid_from').notNull(),
  validTo: ts('valid_to'),
  revokedAt: ts('revoked_at'),
  decision: text('decision'),
  derivedFrom: text('derived_from'),
  createdBy: text('created_by').notNull(),
  createdAt: createdAt(),
}, (t) => [index('delegations_to_idx').on(t.toUser)]);

/**
 * Provincial parameters (tham số của tỉnh, e.g. a fee the provincial council sets): one value
 * per key and scope ('*' for the province, or a unit code) from an effective date. Rows are
 * never updated: a new value is a new row from its date, so what applied when is kept.
 */
export const parameters = pgTable('parameters', {
  id: text('id').primaryKey(),
  key: text('key').notNull(),
  scope: text('scope').notNull(),
  value: doublePrecision('value').notNull(),
  effectiveFrom: ts('effective_from').notNull(),
  note: text('note'),
  createdBy: text('created_by').notNull(),
  createdAt: createdAt(),
}, (t) => [uniqueIndex('parameters_key_scope_from_idx').on(t.key, t.scope, t.effectiveFrom)]);

/** A full calendar configuration per scope: '*' for the province, or a unit code. */
export const calendars = pgTable('calendars', {
  scope: text('scope').primaryKey(),
  config: jsonb('config').notNull(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** The counters of a rollup row (a fresh set per table: Drizzle binds a column to one table). */
const rollupCounts = () => ({
  procedureId: text('procedure_id').notNull(),
  field: text('field').notNull(),
  receivedOnline: integer('received_online').notNull().default(0),
  receivedDirect: integer('received_direct').notNull().default(0),
  receivedPostal: integer('received_postal').notNull().default(0),
  resolvedEarly: integer('resolved_early').notNull().default(0),
  resolvedOnTime: integer('resolved_on_time').notNull().default(0),
  resolvedLate: integer('resolved_late').notNull().default(0),
  refused: integer('refused').notNull().default(0),
  withdrawn: integer('withdrawn').notNull().default(0),
  /** Closed in any other way (stopped, rejected by a linked agency). */
  closedOther: integer('closed_other').notNull().default(0),
  ratingCount: integer('rating_count').notNull().default(0),
  ratingSum: integer('rating_sum').notNull().default(0),
  /** Apologies issued (form 04) for real lateness; lawful extra time is not one (docs/records.md). */
  apologies: integer('apologies').notNull().default(0),
});

/**
 * Which of a counter's rows a write adds to. Every officer of a unit receiving the same
 * procedure on the same day bumps the same counters, and a row stays locked until its
 * transaction has committed (flushed to disk), so one row per key made every such action
 * wait for the one before: at 50 concurrent clients an upsert of one row capped the
 * transactions around it near 700/s here, against 3,200/s spread over 64 rows
 * (bench/README.md, "Counters"). Live writes go to the row of their database connection
 * (`STATS_SHARD`), so two connections of a pool never wait for each other; readers sum
 * over the shards, as they sum over days. A rebuild writes shard 0 only.
 */
export const STATS_SHARDS = 16;
/** The shard a live write adds to: its connection's. */
export const STATS_SHARD = `(pg_backend_pid() % ${STATS_SHARDS})::smallint`;
const statsShard = () => smallint('shard').notNull().default(0);

/** Daily counts per competent unit and procedure, bumped in the transaction of each change. */
export const statsDaily = pgTable('stats_daily', {
  unit: text('unit').notNull(),
  day: date('day', { mode: 'string' }).notNull(),
  ...rollupCounts(),
  shard: statsShard(),
}, (t) => [primaryKey({ columns: [t.unit, t.day, t.procedureId, t.shard] })]);

/**
 * The same counts per month (`month` = its first day), bumped with the daily ones: a
 * report over whole months reads one row per unit × month × procedure instead of one per day.
 */
export const statsMonthly = pgTable('stats_monthly', {
  unit: text('unit').notNull(),
  month: date('month', { mode: 'string' }).notNull(),
  ...rollupCounts(),
  shard: statsShard(),
}, (t) => [primaryKey({ columns: [t.unit, t.month, t.procedureId, t.shard] })]);

/** Time spent per step, for the bottleneck view. */
export const statsSteps = pgTable('stats_steps', {
  unit: text('unit').notNull(),
  day: date('day', { mode: 'string' }).notNull(),
  procedureId: text('procedure_id').notNull(),
  step: text('step').notNull(),
  count: integer('count').notNull().default(0),
  totalMinutes: doublePrecision('total_minutes').notNull().default(0),
  lateCount: integer('late_count').notNull().default(0),
  shard: statsShard(),
}, (t) => [primaryKey({ columns: [t.unit, t.day, t.procedureId, t.step, t.shard] })]);

/**
 * Who changed who may do what (delegations, roles, the catalog and its owner): append-only,
 * a trigger refuses updates and deletes. `units` are the units the change concerns, so each
 * administrator reads the entries of their own subtree.
 */
export const auditLog = pgTable('audit_log', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  at: ts('at').notNull(),
  actorId: text('actor_id').notNull(),
  actorName: text('actor_name').notNull(),
  action: text('action').notNull(),
  subject: text('subject').notNull(),
  units: text('units').array().notNull().default(sql`'{}'::text[]`),
  details: jsonb('details').notNull(),
}, (t) => [index('audit_log_subject_idx').on(t.subject), index('audit_log_units_idx').using('gin', t.units)]);

/** Province-wide settings, by key (e.g. `catalog.owner`: the unit whose officers write the catalog). */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
  updatedBy: text('updated_by'),
});

/**
 * Counters of the rate limits shared by every server process (public lookup, rating): one
 * row per limited key (`<limiter>:<address or code>`), reset when `expire` has passed.
 */
export const rateLimits = pgTable('rate_limits', {
  key: text('key').primaryKey(),
  points: integer('points').notNull(),
  expire: ts('expire'),
});

// ---------------------------------------------------------------------------------------
// records (issue 13, consolidated statistics)

/**
 * Figures of another system (a ministry's central system, a city's system) for a unit and a
 * period, imported from a file in the layout of form II.06a or posted by API, so a commune's
 * report shows them as rows of their own beside motcua's. One import per source, unit and
 * period: replacing it is explicit, never a second row (stats/imports.ts).
 */
export const statsImports = pgTable('stats_imports', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  /** Short code of the source system ("bo-tu-phap", "thanh-pho"). */
  source: text('source').notNull(),
  /** Name printed on the report's row ("Trên Hệ thống tập trung của bộ"). */
  sourceName: text('source_name').notNull(),
  unit: text('unit').notNull(),
  periodFrom: date('period_from', { mode: 'string' }).notNull(),
  periodTo: date('period_to', { mode: 'string' }).notNull(),
  /** The figures (stats/imports.ts `ImportedFigures`). */
  figures: jsonb('figures').notNull(),
  /** Where they came from: `file` (name, sha256, rows read) or `api`. */
  origin: jsonb('origin').notNull(),
  importedAt: ts('imported_at').notNull(),
  importedBy: text('imported_by').notNull(),
}, (t) => [uniqueIndex('stats_imports_source_unit_period_idx').on(t.source, t.unit, t.periodFrom, t.periodTo)]);

// ---- branch citizen: citizens' sign-in (OpenID Connect), officers linked by a verified claim, online submission

/** Citizens who signed in through the SSO: the provider's verified claims, as last seen. */
export const citizens = pgTable('citizens', {
  /** Số định danh cá nhân, from the configured claim. */
  personalId: text('personal_id').primaryKey(),
  name: text('name').notNull(),
  email: text('email'),
  phone: text('phone'),
  /** Bumped by "sign out everywhere": session cookies signed with an older version are refused. */
  tokenVersion: integer('token_version').notNull().default(0),
  lastSignInAt: ts('last_sign_in_at').notNull(),
});

/** An officer account reachable through the SSO: linked by the provider's verified personal ID number, never by name. */
export const officerIdentities = pgTable('officer_identities', {
  personalId: text('personal_id').primaryKey(),
  userId: text('user_id').notNull().references(() => users.id),
  linkedAt: createdAt(),
  linkedBy: text('linked_by').notNull(),
}, (t) => [uniqueIndex('officer_identities_user_idx').on(t.userId)]);

/** A citizen's unfinished online submission; removed when submitted or when it expires. */
export const onlineDrafts = pgTable('online_drafts', {
  id: text('id').primaryKey(),
  personalId: text('personal_id').notNull(),
  procedureId: text('procedure_id').notNull(),
  data: jsonb('data').notNull(),
  receivingUnit: text('receiving_unit'),
  createdAt: createdAt(),
  updatedAt: ts('updated_at').notNull(),
  expiresAt: ts('expires_at').notNull(),
  /**
   * Its papers (rows of `online_draft_files`), counted where an upload locks the draft: a
   * count of the papers' rows in the upload's statement was read before the lock and let
   * concurrent uploads past the limit (server/src/online/repo.ts).
   */
  fileCount: integer('file_count').notNull().default(0),
}, (t) => [index('online_drafts_person_idx').on(t.personalId), index('online_drafts_expires_idx').on(t.expiresAt)]);

/** Papers uploaded to a draft: become the dossier's documents (same blob) at submission. */
export const onlineDraftFiles = pgTable('online_draft_files', {
  id: text('id').primaryKey(),
  draftId: text('draft_id').notNull().references(() => onlineDrafts.id, { onDelete: 'cascade' }),
  /** The catalog paper (requiredDocument id) it is for. */
  paper: text('paper').notNull(),
  name: text('name').notNull(),
  mime: text('mime').notNull(),
  size: integer('size').notNull(),
  sha256: text('sha256').notNull(),
  storageKey: text('storage_key').notNull(),
  createdAt: createdAt(),
}, (t) => [index('online_draft_files_draft_idx').on(t.draftId), index('online_draft_files_key_idx').on(t.storageKey)]);

/** Every online dossier, by its source and the source's own id (idempotent submission), and whose it is. */
export const onlineSubmissions = pgTable('online_submissions', {
  source: text('source').notNull(),
  externalId: text('external_id').notNull(),
  personalId: text('personal_id').notNull(),
  dossierId: text('dossier_id').notNull().references(() => dossiers.id),
  requestHash: text('request_hash').notNull(),
  createdAt: createdAt(),
}, (t) => [
  primaryKey({ columns: [t.source, t.externalId] }),
  index('online_submissions_person_idx').on(t.personalId, t.createdAt),
  uniqueIndex('online_submissions_dossier_idx').on(t.dossierId),
]);

// ---- branch portal: the national portal (DVCQG) connection, status tables, inbound online dossiers

/**
 * A connection to the national portal: a webhook subscription (its URL is the sync service,
 * its encrypted secret the portal account's password, its delivery log the sync log) with
 * what the portal adapter needs besides (server/src/outbox/portal/adapter.ts).
 */
export const portalConnections = pgTable('portal_connections', {
  subscriptionId: text('subscription_id').primaryKey().references(() => webhookSubscriptions.id, { onDelete: 'cascade' }),
  /** The province whose status table applies (a unit code of kind province). */
  province: text('province').notNull(),
  username: text('username').notNull(),
  /** The agency code the portal knows the province's system by (`madonvi`). */
  agencyCode: text('agency_code').notNull(),
  tokenUrl: text('token_url').notNull(),
  progressUrl: text('progress_url').notNull(),
  queryUrl: text('query_url').notNull(),
  batchSize: integer('batch_size').notNull().default(50),
  /** How values go on the wire: 'typed' (numbers as numbers) or 'strings' (every scalar a string, as the public clients send). */
  valueFormat: text('value_format').notNull().default('typed'),
  /** SHA-256 (hex) of the bearer token the portal pushes online dossiers with. */
  inboundTokenHash: text('inbound_token_hash'),
  createdAt: createdAt(),
});

/** A province's status table (internal state → portal code 1–10); absent: the default table. */
export const portalStatusTables = pgTable('portal_status_tables', {
  province: text('province').primaryKey(),
  codes: jsonb('codes').notNull(),
  updatedBy: text('updated_by').notNull(),
  updatedAt: ts('updated_at').notNull(),
});

/** Online dossiers received from the portal, once each by the portal's dossier id. */
export const portalInbound = pgTable('portal_inbound', {
  portalId: text('portal_id').primaryKey(),
  dossierId: text('dossier_id').notNull(),
  procedureCode: text('procedure_code').notNull(),
  unit: text('unit').notNull(),
  payload: jsonb('payload').notNull(),
  receivedAt: ts('received_at').notNull(),
}, (t) => [uniqueIndex('portal_inbound_dossier_idx').on(t.dossierId)]);

/**
 * Online dossiers a pull from the portal's queue refused (not valid, an unknown procedure or
 * unit, a unit outside the connection's province): the inbound log's visible entry of what
 * was not received. The queue offers a refused dossier again at every pull: one row per
 * connection and portal id, its count and last time kept. Nothing else of it is stored.
 */
export const portalInboundRefusals = pgTable('portal_inbound_refusals', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  subscriptionId: text('subscription_id').notNull().references(() => webhookSubscriptions.id, { onDelete: 'cascade' }),
  /** The portal's id of the dossier, or `(không có)` + a hash of it when it names none. */
  portalId: text('portal_id').notNull(),
  unit: text('unit'),
  procedureCode: text('procedure_code'),
  status: integer('status').notNull(),
  /** The error as the push would have answered it: code, vi/en message, issues with JSON pointers. */
  error: jsonb('error').notNull(),
  payload: jsonb('payload').notNull(),
  attempts: integer('attempts').notNull().default(1),
  firstAt: ts('first_at').notNull(),
  lastAt: ts('last_at').notNull(),
}, (t) => [uniqueIndex('portal_inbound_refusals_key').on(t.subscriptionId, t.portalId), index('portal_inbound_refusals_last_idx').on(t.lastAt)]);

// ---- papers: shared data lookups and digitisation counters (branch papers)

/**
 * A lookup in a shared database (the national population database, the civil-status
 * database) made at a desk with the citizen's consent: who, when, for whom, with what
 * consent, and what came back. A lookup used by an intake names its dossier.
 */
export const sharedDataLookups = pgTable('shared_data_lookups', {
  id: text('id').primaryKey(),
  /** population | civil-status */
  source: text('source').notNull(),
  personalId: text('personal_id').notNull(),
  unit: text('unit').notNull(),
  actorId: text('actor_id').notNull(),
  actorName: text('actor_name').notNull(),
  at: ts('at').notNull(),
  /** { method, at, note } as the citizen gave it (Decree 13/2023 Art. 11). */
  consent: jsonb('consent').notNull(),
  purpose: text('purpose').notNull(),
  /** The answer as received (only the fields the interface keeps). */
  record: jsonb('record').notNull(),
  /** The source's own id of the answer (traceability). */
  sourceRef: text('source_ref'),
  dossierId: text('dossier_id'),
}, (t) => [index('shared_data_lookups_person_idx').on(t.personalId, t.at), index('shared_data_lookups_dossier_idx').on(t.dossierId)]);

/**
 * Digitisation indicators (Decision 766/QĐ-TTg) per competent unit and local day, bumped in
 * the transaction of the change they count: dossiers with at least one digitised paper,
 * papers digitised, results issued and those issued electronically (signed), dossiers that
 * reused stored papers or shared data, and papers reused.
 */
export const statsPapers = pgTable('stats_papers', {
  unit: text('unit').notNull(),
  day: date('day', { mode: 'string' }).notNull(),
  dossiersDigitised: integer('dossiers_digitised').notNull().default(0),
  papersDigitised: integer('papers_digitised').notNull().default(0),
  results: integer('results').notNull().default(0),
  resultsElectronic: integer('results_electronic').notNull().default(0),
  dossiersReusing: integer('dossiers_reusing').notNull().default(0),
  papersReused: integer('papers_reused').notNull().default(0),
  lookups: integer('lookups').notNull().default(0),
}, (t) => [primaryKey({ columns: [t.unit, t.day] })]);

// ---- esign (branch esign): signing keys and certificates, electronic documents issued signed

/**
 * Certificates of the local CA, of units (the organisation's seal) and of officers (personal
 * signatures), with the private key encrypted at rest (AES-256-GCM, SECRETS_KEY; esign/keys.ts),
 * or null when a remote-signing service holds it. `revokedAt` feeds the CA's CRL.
 */
export const signingKeys = pgTable('signing_keys', {
  /** Certificate serial number, lower-case hex. */
  serial: text('serial').primaryKey(),
  /** ca | unit | officer */
  holderKind: text('holder_kind').notNull(),
  /** "ca", a unit code or a user id. */
  holder: text('holder').notNull(),
  /** The unit named in the certificate (null for the CA). */
  unit: text('unit'),
  subject: text('subject').notNull(),
  certificate: text('certificate').notNull(),
  privateKey: text('private_key'),
  notBefore: ts('not_before').notNull(),
  notAfter: ts('not_after').notNull(),
  revokedAt: ts('revoked_at'),
  createdAt: createdAt(),
}, (t) => [index('signing_keys_holder_idx').on(t.holderKind, t.holder)]);

/**
 * The register of electronic documents issued signed (results; slips when sealed): what the
 * public verification page compares a file with. `id` is the random public id printed in the
 * QR code; `sha256` is the signed file's; the file itself is kept (base64) so the citizen can
 * download it again, byte for byte.
 */
export const issuedDocuments = pgTable('issued_documents', {
  id: text('id').primaryKey(),
  dossierId: text('dossier_id').notNull().references(() => dossiers.id),
  /** result | slip */
  kind: text('kind').notNull(),
  /** The document's number, e.g. "12/2026/KQ". */
  number: text('number').notNull(),
  title: text('title').notNull(),
  unit: text('unit').notNull(),
  /** template | upload */
  source: text('source').notNull(),
  sha256: text('sha256').notNull(),
  pdf: text('pdf').notNull(),
  /** Who signed, in order: { role: personal|seal, name, serial, capacity, at }. */
  signers: jsonb('signers').notNull(),
  /** Serials of the certificates that signed it. */
  serials: text('serials').array().notNull(),
  issuedAt: ts('issued_at').notNull(),
  issuedBy: text('issued_by').notNull(),
  /** The history event that issued it. */
  eventSeq: integer('event_seq'),
  /** A result's holder (the applicant's personal ID when it was issued): the key of the citizen's data store (papers/). */
  holderId: text('holder_id'),
  /** The paper type a result is kept as in the store (the signResult effect's `paperType`), for reuse by a later checklist. */
  paperType: text('paper_type'),
}, (t) => [
  uniqueIndex('issued_documents_sha256_idx').on(t.sha256), index('issued_documents_dossier_idx').on(t.dossierId),
  index('issued_documents_holder_idx').on(t.holderId).where(sql`${t.holderId} is not null`),
]);

/** A result document the specialist uploaded, waiting for the approval that signs it (one per dossier). */
export const resultDrafts = pgTable('result_drafts', {
  dossierId: text('dossier_id').primaryKey().references(() => dossiers.id),
  pdf: text('pdf').notNull(),
  sha256: text('sha256').notNull(),
  uploadedBy: text('uploaded_by').notNull(),
  uploadedAt: ts('uploaded_at').notNull(),
});

// ---- branch pay: online payments (payments/) and citizen notifications (notifications/) ----

/**
 * One payment request of a dossier's fees (payments/service.ts): its id is the provider's
 * reference (VNPay `vnp_TxnRef`). Only one payment of a dossier ever counts as paid (the
 * partial unique index): a second successful notification is recorded as a refund owed.
 */
export const payments = pgTable('payments', {
  id: text('id').primaryKey(),
  dossierId: text('dossier_id').notNull().references(() => dossiers.id),
  /** The unit that collects the fee (the dossier's receiving unit). */
  unit: text('unit').notNull(),
  provider: text('provider').notNull(),
  /** Whole VND. */
  amount: integer('amount').notNull(),
  currency: text('currency').notNull(),
  /** The fees the engine computed, `[{ id, amount }]`, with their names at the time. */
  fees: jsonb('fees').notNull(),
  /** pending | paid | failed | cancelled | refunded */
  status: text('status').notNull(),
  /** Where the citizen's browser goes back to (our return page). */
  returnUrl: text('return_url').notNull(),
  providerRef: text('provider_ref'),
  bankCode: text('bank_code'),
  responseCode: text('response_code'),
  createdAt: ts('created_at').notNull(),
  expiresAt: ts('expires_at').notNull(),
  settledAt: ts('settled_at'),
  refundedAt: ts('refunded_at'),
  refundReason: text('refund_reason'),
  /** online (through the provider) | cash (handed in at the one-stop desk, recorded by an officer). */
  method: text('method').notNull().default('online'),
  /** The desk officer who recorded a cash payment (user id and name at the time); null for an online one. */
  recordedBy: text('recorded_by'),
  recordedByName: text('recorded_by_name'),
}, (t) => [
  index('payments_dossier_idx').on(t.dossierId),
  index('payments_unit_day_idx').on(t.unit, t.createdAt),
  uniqueIndex('payments_one_paid_idx').on(t.dossierId).where(sql`${t.status} = 'paid'`),
]);

/** Every notification (IPN) a provider sent, valid or not, with the answer given: the audit of payments. */
export const paymentNotices = pgTable('payment_notices', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  paymentId: text('payment_id'),
  receivedAt: ts('received_at').notNull(),
  params: jsonb('params').notNull(),
  rspCode: text('rsp_code').notNull(),
  message: text('message').notNull(),
}, (t) => [index('payment_notices_payment_idx').on(t.paymentId)]);

/** Texts of the citizen notifications, edited by an administrator; defaults live in notifications/templates.ts. */
export const notificationTemplates = pgTable('notification_templates', {
  event: text('event').primaryKey(),
  subject: text('subject').notNull(),
  body: text('body').notNull(),
  updatedAt: ts('updated_at').notNull(),
  updatedBy: text('updated_by').notNull(),
});

/** The channels a citizen chose for a dossier's notifications (and the contact they gave, when other than the intake's). */
export const notificationPreferences = pgTable('notification_preferences', {
  dossierId: text('dossier_id').primaryKey().references(() => dossiers.id),
  channels: text('channels').array().notNull(),
  updatedAt: ts('updated_at').notNull(),
});

/** How far the notifier has read the outbox (one row, locked while a process reads). */
export const notificationCursor = pgTable('notification_cursor', {
  name: text('name').primaryKey(),
  lastOutboxId: bigint('last_outbox_id', { mode: 'number' }).notNull(),
});

/** One message to one citizen on one channel for one outbox event: the delivery log, retried with backoff. */
export const notificationDeliveries = pgTable('notification_deliveries', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  outboxId: bigint('outbox_id', { mode: 'number' }).notNull(),
  eventId: text('event_id').notNull(),
  dossierId: text('dossier_id').notNull(),
  /** received | supplement | payment | result | apology | returned | paid */
  event: text('event').notNull(),
  channel: text('channel').notNull(),
  recipient: text('recipient').notNull(),
  subject: text('subject').notNull(),
  body: text('body').notNull(),
  /** pending | sent | failed */
  status: text('status').notNull(),
  attempts: integer('attempts').notNull().default(0),
  nextAttemptAt: ts('next_attempt_at').notNull(),
  lastError: text('last_error'),
  createdAt: ts('created_at').notNull(),
  sentAt: ts('sent_at'),
}, (t) => [
  uniqueIndex('notification_deliveries_event_idx').on(t.eventId, t.channel),
  index('notification_deliveries_due_idx').on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
  index('notification_deliveries_dossier_idx').on(t.dossierId),
]);
