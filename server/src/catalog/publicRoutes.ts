import Type from 'typebox';
import { audit } from './service';
import { catalogOwner, requireCatalogWriter } from './owner';
import type { Api } from '../http/api';
import type { Deps } from '../deps';
import { catalogFields, publicProcedure, searchCatalog } from './public';
import { CatalogSchema, FieldsSchema, IdParams, ImportResultSchema, PublicDetailSchema, PublicListSchema, PublicQuery } from './schemas';
import { exportCatalog, importCatalog } from './transfer';

const PublicUnitsSchema = Type.Array(Type.Object({
  code: Type.String(), name: Type.String(), kind: Type.String(), parent: Type.Union([Type.String(), Type.Null()]),
  depth: Type.Integer({ description: 'Levels below the top unit, for indenting' }),
}));

/** The public catalog (no login) and the import/export of a whole catalog (administrators). */
export function publicRoutes(api: Api, deps: Deps): void {
  api.add({
    method: 'get', path: '/api/public/procedures', summary: 'Search the procedures in force (accent-insensitive), with filters and pages', tags: ['public'], access: 'public',
    query: PublicQuery, response: PublicListSchema, errors: { 404: 'Unknown unit' },
  }, async ({ query }) => searchCatalog(deps, query));

  api.add({
    method: 'get', path: '/api/public/procedures/:id', summary: 'A procedure in force: documents, fees, deadline, steps', tags: ['public'], access: 'public',
    params: IdParams, response: PublicDetailSchema, errors: { 404: 'No such procedure in force' },
  }, async ({ params }) => publicProcedure(deps, params.id));

  api.add({
    method: 'get', path: '/api/public/fields', summary: 'Fields (lĩnh vực) of the procedures in force, with counts', tags: ['public'], access: 'public',
    response: FieldsSchema,
  }, async () => catalogFields(deps));

  api.add({
    method: 'get', path: '/api/public/units', summary: 'Agencies (đơn vị), parents before children: names for pickers and filters', tags: ['public'], access: 'public',
    response: PublicUnitsSchema,
  }, async () => {
    const all = await deps.directory.allUnits();
    const byParent = new Map<string | null, typeof all>();
    for (const u of all) byParent.set(u.parent, [...(byParent.get(u.parent) ?? []), u]);
    const codes = new Set(all.map((u) => u.code));
    const out: { code: string; name: string; kind: string; parent: string | null; depth: number }[] = [];
    const walk = (parent: string | null, depth: number): void => {
      for (const u of (byParent.get(parent) ?? []).sort((a, b) => a.code.localeCompare(b.code))) {
        out.push({ code: u.code, name: u.name, kind: u.kind, parent: u.parent, depth });
        if (depth < 20) walk(u.code, depth + 1);
      }
    };
    walk(null, 0);
    // Units whose parent is unknown still appear, at the top.
    for (const u of all) if (u.parent !== null && !codes.has(u.parent)) { out.push({ code: u.code, name: u.name, kind: u.kind, parent: u.parent, depth: 0 }); walk(u.code, 1); }
    return out;
  });

  api.add({
    method: 'get', path: '/api/catalog/export', summary: 'Export the whole catalog: every procedure and version', tags: ['catalog'], access: ['admin'],
    response: CatalogSchema,
  }, async () => exportCatalog(deps));

  api.add({
    method: 'post', path: '/api/catalog/import', summary: 'Import a catalog (the export shape): all or nothing; published versions never overwritten', tags: ['catalog'], access: ['admin'],
    body: CatalogSchema, response: ImportResultSchema,
    errors: { 422: 'Some definition is invalid: nothing imported (issues with JSON pointers into the body)' },
  }, async ({ body, user }) => {
    await requireCatalogWriter(deps, user!);
    const { unit } = await catalogOwner(deps);
    // The audit entry commits with the import or not at all.
    return importCatalog(deps, body, user!.id, (tx, result) => audit(tx, deps.clock.now(), {
      actor: user!, action: 'catalog.imported', subject: 'catalog', units: unit ? [unit] : [], details: { ...result },
    }));
  });
}
