/** Agencies by name for pickers and labels (public list, cached: units rarely change). */
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';

export interface UnitEntry { code: string; name: string; kind: string; parent: string | null; depth: number }

export function usePublicUnits() {
  return useQuery({
    queryKey: ['public', 'units'],
    queryFn: async (): Promise<UnitEntry[]> => unwrap(api.GET('/api/public/units')),
  });
}

/** The unit's name when it is known, its code otherwise. */
export const unitLabel = (units: readonly UnitEntry[] | undefined, code: string): string => {
  const u = units?.find((x) => x.code === code);
  return u ? u.name : code;
};

/** Options indented by depth, for a <select>. */
export const unitOptions = (units: readonly UnitEntry[] | undefined): { value: string; label: string }[] =>
  (units ?? []).map((u) => ({ value: u.code, label: `${'\u00a0\u00a0'.repeat(u.depth)}${u.name}` }));
