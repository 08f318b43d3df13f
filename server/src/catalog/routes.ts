import { analyze, validateDefinition, type ProcedureDefinition } from '@motcua/engine';
import type { Api } from '../http/api';
import type { Deps } from '../deps';
import { procedureWithVersions, listProcedures, versionDiff, versionMetrics } from './designer';
import { createDraft, createProcedure, parseInstant, publishVersion, retireVersion, saveDraft, type RecordChange } from './lifecycle';
import { publishGate } from './gate';
import { publicRoutes } from './publicRoutes';
import {
  DefinitionBody, DiffQuery, DiffSchema, MigrationDryRunSchema, MigrationPlanBody, MigrationResultSchema, DraftBody, IdParams, ListQuery, MetricsSchema, ProcedureDetailSchema, ProcedureListSchema,
  PublishBody, PublishResultSchema, RetireResultSchema, SavedVersionSchema, ValidateResultSchema, VersionParams, VersionSchema,
} from './schemas';
import { audit, requireVersion, versionInfo, type AuditAction } from './service';
import type { AuthUser } from '../auth/service';
import { CatalogOwnerBody, CatalogOwnerSchema, catalogOwner, requireCatalogWriter, setCatalogOwner } from './owner';
import { applyMigration, migrationDryRun } from './migrations';
import { NonGeographicBody, NonGeographicSchema, nonGeographicList, setNonGeographicList } from './nonGeographic';

/**
 * Who may open the catalog's routes: designers and administrators at any unit (reading);
 * writing also needs a grant at the unit that owns the catalog or above it (./owner.ts).
 */
export const CATALOG_EDITORS = ['designer', 'admin'];

/** Routes of the catalog module: designer/admin routes, import/export, the public catalog. */
export function catalogRoutes(api: Api, deps: Deps): void {
  const tags = ['catalog'];
  const access = CATALOG_EDITORS;
  /**
   * Runs a catalog write for a writer of the owning unit; its audit entry is written in the
   * change's own transaction, so neither exists without the other.
   */
  const write = async <T>(
    user: AuthUser | null, action: AuditAction, subject: (r: T) => string, run: (record: RecordChange<T>) => Promise<T>, details: { [key: string]: unknown } = {},
  ): Promise<T> => {
    await requireCatalogWriter(deps, user!);
    const { unit } = await catalogOwner(deps);
    return run((tx, result) => audit(tx, deps.clock.now(), { actor: user!, action, subject: subject(result), units: unit ? [unit] : [], details }));
  };
  const at = (r: { procedureId: string; version: number }) => `procedure:${r.procedureId}@${r.version}`;

  api.add({
    method: 'get', path: '/api/settings/catalog-owner', summary: 'The unit that owns the procedure catalog (its designers and administrators write it)', tags, access,
    response: CatalogOwnerSchema,
  }, async () => catalogOwner(deps));

  api.add({
    method: 'put', path: '/api/settings/catalog-owner', summary: 'Name the unit that owns the procedure catalog (province administrators only)', tags, access: ['admin'],
    body: CatalogOwnerBody, response: CatalogOwnerSchema, errors: { 403: 'Not an administrator of the province', 422: 'A unit outside the province' },
  }, async ({ user, body }) => setCatalogOwner(deps, user!, body));

  api.add({
    method: 'get', path: '/api/settings/non-geographic', summary: 'The province\'s list of non-geographic procedures (national codes), or null when each definition\'s flag stands', tags, access,
    response: NonGeographicSchema,
  }, async () => nonGeographicList(deps));

  api.add({
    method: 'put', path: '/api/settings/non-geographic', summary: 'Set the province\'s list of non-geographic procedures (catalog writers); null returns to the definitions\' flags', tags, access,
    body: NonGeographicBody, response: NonGeographicSchema, errors: { 403: 'Not a catalog writer' },
  }, async ({ user, body }) => setNonGeographicList(deps, user!, body));

  api.add({
    method: 'get', path: '/api/procedures', summary: 'Procedures with their latest version and the version in force', tags, access,
    query: ListQuery, response: ProcedureListSchema,
  }, async ({ query }) => listProcedures(deps, query.q));

  api.add({
    method: 'post', path: '/api/procedures', summary: 'Create a procedure from a definition (version 1, draft)', tags, access,
    body: DefinitionBody, response: SavedVersionSchema, status: 201,
    errors: { 409: 'A procedure with this id exists', 422: 'Invalid definition (issues with JSON pointers)' },
  }, async ({ body, user }) => write(user, 'catalog.created', at, (record) => createProcedure(deps, body.definition, record)));

  api.add({
    method: 'post', path: '/api/procedures/validate', summary: 'Validate and analyse a definition without saving it', tags, access,
    body: DefinitionBody, response: ValidateResultSchema,
  }, async ({ body }) => {
    const result = validateDefinition(body.definition);
    const def = body.definition as ProcedureDefinition;
    const analysis = result.ok ? analyze(def) : null;
    // The publish gate itself (gate.ts): "publishable" means publishing now would be accepted.
    const blockers = result.ok ? (await publishGate(deps, def, deps.clock.now())).errors : [];
    const gate = blockers.filter((b) => !analysis?.findings.some((f) => f.code === b.code && f.path === b.path));
    const issues = [...result.issues, ...gate.map((b) => ({ code: b.code, path: b.path, message: b.message }))];
    return { ok: result.ok, publishable: result.ok && blockers.length === 0, issues, analysis };
  });

  api.add({
    method: 'get', path: '/api/procedures/:id', summary: 'One procedure with all its versions', tags, access,
    params: IdParams, response: ProcedureDetailSchema, errors: { 404: 'Unknown procedure' },
  }, async ({ params }) => procedureWithVersions(deps, params.id));

  api.add({
    method: 'get', path: '/api/procedures/:id/versions/:version', summary: 'One version with its definition', tags, access,
    params: VersionParams, response: VersionSchema, errors: { 404: 'Unknown procedure or version' },
  }, async ({ params }) => {
    const row = await requireVersion(deps, params.id, params.version);
    return { procedureId: row.procedureId, ...versionInfo(row), definition: row.definition };
  });

  api.add({
    method: 'post', path: '/api/procedures/:id/drafts', summary: 'Start a new draft from the latest published version (or `from`)', tags, access,
    params: IdParams, body: DraftBody, response: SavedVersionSchema, status: 201,
    errors: { 404: 'Unknown procedure or version', 409: 'The procedure already has a draft' },
  }, async ({ params, body, user }) => write(user, 'catalog.saved', at, (record) => createDraft(deps, params.id, body.from, record)));

  api.add({
    method: 'put', path: '/api/procedures/:id/versions/:version', summary: 'Save a draft (replaces its definition; the version number is set by the server)', tags, access,
    params: VersionParams, body: DefinitionBody, response: SavedVersionSchema,
    errors: { 404: 'Unknown procedure or version', 409: 'The version is published or retired: immutable', 422: 'Invalid definition' },
  }, async ({ params, body, user }) => write(user, 'catalog.saved', at, (record) => saveDraft(deps, params.id, params.version, body.definition, record)));

  api.add({
    method: 'post', path: '/api/procedures/:id/versions/:version/publish', summary: 'Publish a draft from an effective date (default now); ends the previous version', tags, access,
    params: VersionParams, body: PublishBody, response: PublishResultSchema,
    errors: { 404: 'Unknown procedure or version', 409: 'Not a draft', 422: 'Validation or analysis errors, or a bad effective date (before today without backdatingReason)' },
  }, async ({ params, body, user }) => write(user, 'catalog.published', () => `procedure:${params.id}@${params.version}`, (record) => publishVersion(deps, params.id, params.version, {
    ...(body.effectiveFrom !== undefined ? { effectiveFrom: parseInstant(body.effectiveFrom, '/effectiveFrom') } : {}),
    ...(body.backdatingReason !== undefined ? { backdatingReason: body.backdatingReason } : {}),
    by: user!.id,
  }, record), body.backdatingReason !== undefined ? { effectiveFrom: body.effectiveFrom, backdatingReason: body.backdatingReason } : {}));

  api.add({
    method: 'post', path: '/api/procedures/:id/versions/:version/retire', summary: 'Retire a published version (its end becomes now)', tags, access,
    params: VersionParams, response: RetireResultSchema,
    errors: { 404: 'Unknown procedure or version', 409: 'Not a published version' },
  }, async ({ params, user }) => write(user, 'catalog.retired', at, (record) => retireVersion(deps, params.id, params.version, record)));

  api.add({
    method: 'get', path: '/api/procedures/:id/versions/:version/metrics', summary: 'Analysis of a version: findings, metrics, SLA paths', tags, access,
    params: VersionParams, response: MetricsSchema, errors: { 404: 'Unknown procedure or version' },
  }, async ({ params }) => versionMetrics(deps, params.id, params.version));

  api.add({
    method: 'get', path: '/api/procedures/:id/diff', summary: 'What changed between two versions and what it saves', tags, access,
    params: IdParams, query: DiffQuery, response: DiffSchema, errors: { 404: 'Unknown procedure or version' },
  }, async ({ params, query }) => versionDiff(deps, params.id, query.from, query.to));

  api.add({
    method: 'post', path: '/api/procedures/:id/migrations/dry-run',
    summary: 'Every open dossier of the plan\'s old version and its fate under the plan (moves, stays, cannot move and why); writes nothing', tags, access,
    params: IdParams, body: MigrationPlanBody, response: MigrationDryRunSchema,
    errors: { 403: 'Not a catalog writer', 404: 'Unknown procedure or version', 422: 'Invalid plan (issues with JSON pointers into the plan)' },
  }, async ({ params, body, user }) => {
    await requireCatalogWriter(deps, user!);
    return migrationDryRun(deps, user!, params.id, body);
  });

  api.add({
    method: 'post', path: '/api/procedures/:id/migrations',
    summary: 'Move the open dossiers of the plan\'s old version to its new one, in batches, each with a history event; repeating it moves nothing more', tags, access,
    params: IdParams, body: MigrationPlanBody, response: MigrationResultSchema,
    errors: {
      403: 'Not a catalog writer', 404: 'Unknown procedure or version', 409: 'Unsafe: the new version is not published and in force, or the dossiers changed since the dry run',
      422: 'Invalid plan (issues with JSON pointers into the plan)',
    },
  }, async ({ params, body, user }) => write<Awaited<ReturnType<typeof applyMigration>>>(user, 'catalog.migrated', (r) => `procedure:${r.procedureId}@${r.to}`,
    async (record) => applyMigration(deps, user!, params.id, body, record), { from: body.from, to: body.to, steps: body.steps }));

  publicRoutes(api, deps);
}
