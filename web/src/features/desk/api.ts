/** Data of the desk screens through React Query, under the keys live updates invalidate. */
import { useQueries, useQuery } from '@tanstack/react-query';
import { allSteps } from '@motcua/engine/steps';
import { api, ApiError, unwrap } from '../../api/client';
import type { components, paths } from '../../api/client';
import type { BulkResult, DossierEventView, DossierView, InboxPage, VerifyResult } from './types';
import { BOXES, inboxQuery, type InboxFilter } from './logic';
import type { Role } from '../../app/auth';

export type PublicProcedure = paths['/api/public/procedures']['get']['responses'][200]['content']['application/json']['items'][number];
export type ProcedureDetail = paths['/api/public/procedures/{id}']['get']['responses'][200]['content']['application/json'];
export type { components };

/**
 * An answer read as the given shape (./types.ts): the generated types of the dossier
 * answers leave the actions' forms open, which ./types.ts narrows to the engine's type.
 */
export async function unwrapAs<T>(call: Promise<{ data?: unknown; error?: unknown; response: Response }>): Promise<T> {
  return (await unwrap(call)) as T;
}

export const PAGE_SIZE = 50;

export const keys = {
  inbox: (f: InboxFilter) => ['dossiers', 'list', inboxQuery(f, PAGE_SIZE)] as const,
  count: (box: string, f: InboxFilter) => ['dossiers', 'count', box, f.unit, f.procedureId, f.q] as const,
  dossier: (id: string) => ['dossier', id] as const,
  events: (id: string) => ['dossier', id, 'events'] as const,
  verify: (id: string) => ['dossier', id, 'verify'] as const,
  documents: (id: string) => ['dossier', id, 'documents'] as const,
};

export function useInbox(f: InboxFilter) {
  return useQuery({
    queryKey: keys.inbox(f),
    queryFn: () => unwrapAs<InboxPage>(api.GET('/api/dossiers', { params: { query: inboxQuery(f, PAGE_SIZE) } })),
    placeholderData: (previous) => previous,
  });
}

/** The number of dossiers in each view with the same filters (one tiny page each). */
export function useBoxCounts(f: InboxFilter): Partial<Record<string, number>> {
  const boxes = BOXES.filter((b) => b !== 'closed');
  const results = useQueries({
    queries: boxes.map((box) => ({
      queryKey: keys.count(box, f),
      queryFn: () => unwrapAs<InboxPage>(api.GET('/api/dossiers', { params: { query: { ...inboxQuery({ ...f, box, page: 1 }, 1) } } })),
    })),
  });
  const out: Partial<Record<string, number>> = {};
  boxes.forEach((b, n) => { const total = results[n]?.data?.total; if (total !== undefined) out[b] = total; });
  return out;
}

/** Every procedure in force (a commune has a few hundred): for pickers and for naming procedures in lists. */
export function useProceduresInForce() {
  return useQuery({
    queryKey: ['public', 'procedures', 'all'],
    queryFn: async () => {
      const first = await unwrap(api.GET('/api/public/procedures', { params: { query: { pageSize: 100, page: 1 } } }));
      const items = [...first.items];
      const pages = Math.ceil(first.total / 100);
      for (let page = 2; page <= pages; page++) {
        const next = await unwrap(api.GET('/api/public/procedures', { params: { query: { pageSize: 100, page } } }));
        items.push(...next.items);
      }
      return items;
    },
  });
}

export function procedureDetailQuery(id: string) {
  return {
    queryKey: ['public', 'procedure', id] as const,
    queryFn: () => unwrap(api.GET('/api/public/procedures/{id}', { params: { path: { id } } })),
  };
}

/** Step names of the procedures in view, by procedure id then step id (from the public catalog). */
export function useStepNames(procedureIds: readonly string[]): Map<string, Map<string, ProcedureDetail['steps'][number]['name']>> {
  const ids = [...new Set(procedureIds)].sort();
  const results = useQueries({ queries: ids.map((id) => ({ ...procedureDetailQuery(id), retry: false })) });
  const out = new Map<string, Map<string, ProcedureDetail['steps'][number]['name']>>();
  ids.forEach((id, n) => {
    const detail = results[n]?.data;
    if (!detail) return;
    const steps = new Map<string, ProcedureDetail['steps'][number]['name']>();
    // The API schema types branch steps as plain objects (a recursive schema); they are steps.
    type Named = { id: string; name: ProcedureDetail['steps'][number]['name']; branches?: { steps: Named[] }[] };
    for (const s of allSteps(detail.steps as Named[])) steps.set(s.id, s.name);
    out.set(id, steps);
  });
  return out;
}

export function useDossier(id: string) {
  return useQuery({
    queryKey: keys.dossier(id),
    queryFn: () => unwrapAs<DossierView>(api.GET('/api/dossiers/{id}', { params: { path: { id } } })),
  });
}

export function useEvents(id: string) {
  return useQuery({
    queryKey: keys.events(id),
    queryFn: () => unwrapAs<DossierEventView[]>(api.GET('/api/dossiers/{id}/events', { params: { path: { id } } })),
  });
}

export function useVerify(id: string) {
  return useQuery({
    queryKey: keys.verify(id),
    queryFn: () => unwrapAs<VerifyResult>(api.GET('/api/dossiers/{id}/verify', { params: { path: { id } } })),
  });
}

export function useDocuments(id: string) {
  return useQuery({
    queryKey: keys.documents(id),
    queryFn: () => unwrap(api.GET('/api/dossiers/{id}/documents', { params: { path: { id } } })),
  });
}

/** Takes an action on one dossier; the key makes a retry of the same click harmless. */
export function postAction(id: string, body: { step: string; action: string; inputs: { [k: string]: unknown }; expectedVersion: number }, idempotencyKey: string) {
  return unwrapAs<DossierView>(api.POST('/api/dossiers/{id}/actions', {
    params: { path: { id }, header: { 'Idempotency-Key': idempotencyKey } },
    body,
  }));
}

export type ActionPreview = paths['/api/dossiers/{id}/preview']['post']['responses'][200]['content']['application/json'];

/** What an action would set in motion, nothing written: the units its hand-offs go to. */
export function postPreview(id: string, body: { step: string; action: string; inputs: { [k: string]: unknown } }) {
  return unwrapAs<ActionPreview>(api.POST('/api/dossiers/{id}/preview', { params: { path: { id } }, body }));
}

/** Takes an active step oneself. */
export function postClaim(id: string, step: string) {
  return unwrap(api.POST('/api/dossiers/{id}/claim', { params: { path: { id } }, body: { step } })) as Promise<DossierView>;
}

/** Hands an active step to a named officer of its role at its unit. */
export function postAssign(id: string, step: string, officerId: string) {
  return unwrap(api.POST('/api/dossiers/{id}/assign', { params: { path: { id } }, body: { step, officerId } })) as Promise<DossierView>;
}

/** The active officers holding a role at a unit (who a step may be assigned to). */
export function useOfficers(unit: string, role: string | null, enabled: boolean) {
  return useQuery({
    queryKey: ['officers', unit, role],
    queryFn: () => unwrap(api.GET('/api/units/{code}/officers', { params: { path: { code: unit }, query: role ? { role: role as Role } : {} } })),
    enabled: enabled && role !== null,
    retry: false,
  });
}

export function postBulk(items: { id: string; step: string; action: string; inputs?: { [k: string]: unknown }; expectedVersion?: number }[], idempotencyKey: string) {
  return unwrapAs<BulkResult>(api.POST('/api/dossiers/bulk-actions', { params: { header: { 'Idempotency-Key': idempotencyKey } }, body: { items } }));
}

/**
 * The intake form (the definition's `data` schema) of a procedure version. Officers other
 * than designers and administrators may not read definitions today: then `null` with the
 * reason, and the wizard goes on with the applicant only.
 */
export async function loadDataSchema(detail: ProcedureDetail): Promise<{ schema: unknown; unavailable: boolean }> {
  // A future public answer may carry the form itself; use it when it is there.
  const inline = (detail as { data?: unknown }).data;
  if (inline !== undefined) return { schema: inline, unavailable: false };
  try {
    const v = await unwrap(api.GET('/api/procedures/{id}/versions/{version}', { params: { path: { id: detail.id, version: detail.version } } }));
    return { schema: (v.definition as { data?: unknown }).data ?? null, unavailable: false };
  } catch (e) {
    if (e instanceof ApiError && (e.status === 403 || e.status === 404)) return { schema: null, unavailable: true };
    throw e;
  }
}
