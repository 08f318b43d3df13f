/** What retiring a published version does, for the confirmation the administrator reads. Pure. */
export interface VersionState { version: number; status: string; effectiveTo: string | null; openDossiers: number }

export interface RetireImpact {
  /** No other published version is in force or scheduled: the procedure can no longer receive dossiers. */
  noSuccessor: boolean;
  /** Open dossiers of this version; they continue on it (its labels and rules) to the end. */
  openDossiers: number;
}

export function retireImpact(versions: readonly VersionState[], version: number, now: Date): RetireImpact {
  const target = versions.find((v) => v.version === version);
  const successor = versions.some((v) => v.version !== version && v.status === 'published'
    && (v.effectiveTo === null || new Date(v.effectiveTo).getTime() > now.getTime()));
  return { noSuccessor: !successor, openDossiers: target?.openDossiers ?? 0 };
}
