/** Data of the papers screens: the citizen's store, shared-data lookups, digitisation, the indicators. */
import { useQuery } from '@tanstack/react-query';
import { api, unwrap, type paths } from '../../api/client';

export type StoreEntry = paths['/api/citizens/{personalId}/papers']['get']['responses'][200]['content']['application/json'][number];
export type Lookup = paths['/api/shared-data/lookups']['post']['responses'][201]['content']['application/json'];
export type LookupBody = paths['/api/shared-data/lookups']['post']['requestBody']['content']['application/json'];
export type DigitiseBody = paths['/api/dossiers/{id}/documents/{docId}/digitise']['post']['requestBody']['content']['application/json'];
export type Digitisation = paths['/api/stats/digitisation']['get']['responses'][200]['content']['application/json'];

export const isPersonalId = (v: string): boolean => /^\d{12}$/.test(v);

/** A citizen's store as this officer may read it; an empty list when it is out of reach (403). */
export function useCitizenStore(personalId: string) {
  return useQuery({
    queryKey: ['citizen-store', personalId],
    enabled: isPersonalId(personalId),
    // A paper digitised minutes ago at this desk must show at the next intake.
    staleTime: 0,
    refetchOnMount: 'always',
    queryFn: async (): Promise<StoreEntry[]> => {
      const r = await api.GET('/api/citizens/{personalId}/papers', { params: { path: { personalId } } });
      if (r.response.status === 403) return [];
      return unwrap(Promise.resolve(r));
    },
  });
}

export const lookup = (body: LookupBody): Promise<Lookup> => unwrap(api.POST('/api/shared-data/lookups', { body }));

export const digitise = (id: string, docId: string, body: DigitiseBody) =>
  unwrap(api.POST('/api/dossiers/{id}/documents/{docId}/digitise', { params: { path: { id, docId } }, body }));

export function useDigitisation(params: { unit: string; children: boolean; from: string; to: string }) {
  return useQuery({
    queryKey: ['stats', 'digitisation', params],
    queryFn: () => unwrap(api.GET('/api/stats/digitisation', { params: { query: params } })),
  });
}

/** The store entry a checklist item can reuse: same paper type (the item's type, else its id), still valid. */
export function reusableFor(item: { id: string; paperType?: string }, entries: StoreEntry[], today: string): StoreEntry | undefined {
  const type = item.paperType ?? item.id;
  return entries.find((e) => e.paperType === type && (e.validUntil === null || e.validUntil >= today));
}
