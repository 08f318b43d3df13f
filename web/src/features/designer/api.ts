/** The designer's calls to the catalog API, typed by the generated schema. */
import type { ProcedureDefinition } from '@motcua/engine';
import { api, saveBlob, unwrap } from '../../api/client';

export type ProcedureList = Awaited<ReturnType<typeof listProcedures>>;
export type ProcedureItem = ProcedureList['items'][number];
export type VersionStatus = 'draft' | 'published' | 'retired';

export const listProcedures = (q?: string) => unwrap(api.GET('/api/procedures', { params: { query: q ? { q } : {} } }));
export const getProcedure = (id: string) => unwrap(api.GET('/api/procedures/{id}', { params: { path: { id } } }));
export const getVersion = (id: string, version: number) =>
  unwrap(api.GET('/api/procedures/{id}/versions/{version}', { params: { path: { id, version } } }));
export const createProcedure = (definition: ProcedureDefinition) => unwrap(api.POST('/api/procedures', { body: { definition } }));
export const createDraft = (id: string, from?: number) =>
  unwrap(api.POST('/api/procedures/{id}/drafts', { params: { path: { id } }, body: from === undefined ? {} : { from } }));
export const saveDraft = (id: string, version: number, definition: ProcedureDefinition) =>
  unwrap(api.PUT('/api/procedures/{id}/versions/{version}', { params: { path: { id, version } }, body: { definition } }));

/** The server types a stored definition loosely (`Record<string, never>`); it is a `ProcedureDefinition`. */
export const asDefinition = (value: unknown): ProcedureDefinition => value as ProcedureDefinition;

/** Saves a definition as a `.json` file the user downloads. */
export function downloadJson(definition: ProcedureDefinition, name: string): void {
  saveBlob(new Blob([`${JSON.stringify(definition, null, 2)}\n`], { type: 'application/json' }), name);
}

/** Reads a file chosen by the user as JSON; throws with the parser's message. */
export async function readJsonFile(file: File): Promise<unknown> {
  const text = await file.text();
  return JSON.parse(text) as unknown;
}
