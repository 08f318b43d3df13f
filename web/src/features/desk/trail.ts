/**
 * The inbox list an officer opened a dossier from (its codes, in order, and its address),
 * kept for the tab's session so the dossier page can offer the next one after an action.
 */
const KEY = 'motcua.desk.trail';

export interface Trail {
  /** The inbox address (`/dossiers?box=…`), to go back to the same view. */
  search: string;
  ids: string[];
}

export function saveTrail(trail: Trail): void {
  try {
    sessionStorage.setItem(KEY, JSON.stringify(trail));
  } catch {
    // Storage full or refused (private mode): the page simply offers no next dossier.
  }
}

export function readTrail(): Trail | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    const t = raw ? (JSON.parse(raw) as Partial<Trail>) : null;
    return t && Array.isArray(t.ids) && typeof t.search === 'string' ? { search: t.search, ids: t.ids.filter((x): x is string => typeof x === 'string') } : null;
  } catch {
    return null;
  }
}
