/**
 * The live notice that a dossier moved, as the server announces it after commit and the
 * web app receives it on its socket (`dossier:changed`). One definition for both sides:
 * the web app may not import the server, both import the engine.
 */
export interface DossierChanged {
  dossierId: string;
  /** The dossier's version after the change; ignore a notice older than what you show. */
  version: number;
  status: string;
  /** Units concerned (receiving, competent, return, and those of the active steps). */
  units: string[];
  /** Officers the active steps are assigned to. */
  assignees: string[];
  /** The step and action applied, or null for an intake or a system event (or a replayed notice). */
  step: string | null;
  action: string | null;
}
