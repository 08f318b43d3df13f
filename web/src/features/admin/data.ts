/** Queries the admin screens share: units and users for pickers. Keys start with 'admin' (no live event touches them). */
import { useQuery } from '@tanstack/react-query';
import { api, unwrap, type paths } from '../../api/client';

export type Unit = paths['/api/units']['get']['responses'][200]['content']['application/json']['items'][number];
export type User = paths['/api/users']['get']['responses'][200]['content']['application/json']['items'][number];

export const unitsKey = ['admin', 'units'] as const;
export const usersKey = ['admin', 'users'] as const;

/** Units this administrator sees, parents before children. */
export function useUnits() {
  return useQuery({
    queryKey: unitsKey,
    queryFn: async () => (await unwrap(api.GET('/api/units'))).items,
  });
}

/** Every user at this administrator's units (the API's largest page), for pickers. */
export function useAllUsers() {
  return useQuery({
    queryKey: [...usersKey, 'all'],
    queryFn: async () => (await unwrap(api.GET('/api/users', { params: { query: { pageSize: 200 } } }))).items,
  });
}

/** A fresh Idempotency-Key, so a double click or a retry does not act twice. */
export const idempotency = (): { 'Idempotency-Key': string } => ({ 'Idempotency-Key': crypto.randomUUID() });
