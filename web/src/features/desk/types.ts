/**
 * Shapes of the dossier answers. The OpenAPI document describes these routes without a
 * response schema (they answer "204 Done" in schema.d.ts), so they are written here after
 * `server/src/dossiers/views.ts` and `routes.ts`; tell the lead when the server changes them.
 */
import type { AvailableAction, DossierClock, DossierRouting, StepKind } from '@motcua/engine';
import type { Bilingual } from '../../api/client';

export type Box = 'mine' | 'unit' | 'due-soon' | 'overdue' | 'waiting' | 'closed' | 'all';
export type Progress = 'not-started' | 'paused' | 'overdue' | 'due-soon' | 'within';
export type Channel = 'direct' | 'online' | 'postal';

export interface InboxItem {
  id: string;
  procedureId: string;
  procedureCode: string;
  field: string;
  applicantName: string;
  status: string;
  outcome: string | null;
  channel: Channel;
  dueAt: string | null;
  receivedAt: string | null;
  closedAt: string | null;
  /** `name`: the step's name in the dossier's own version (kept after that version is retired). */
  steps: { step: string; name?: Bilingual | null; unit: string; role: string | null; dueAt: string | null }[];
  progress: Progress | null;
  version: number;
}

export interface InboxPage {
  items: InboxItem[];
  total: number;
  page: number;
  pageSize: number;
}

export interface ActiveStepView {
  step: string;
  enteredAt: string;
  dueAt: string | null;
  unit: string;
  role: string | null;
  assignee: string | null;
  timeoutAt: string | null;
  name: Bilingual | null;
  kind: StepKind | null;
}

export interface DossierView {
  id: string;
  version: number;
  procedure: { id: string; version: number; code: string; name: Bilingual | null; field: string };
  status: string;
  outcome: string | null;
  channel: Channel;
  applicant: { id?: string; name: string };
  routing: DossierRouting;
  data: { [key: string]: unknown };
  clock: DossierClock;
  active: ActiveStepView[];
  links: { [key: string]: { procedure: string; unit: string; outcome: string | null; dossierId: string | null } };
  parentId: string | null;
  progress: Progress | null;
  timeliness: 'early' | 'on-time' | 'late' | null;
  actions: AvailableAction[];
  rating: number | null;
}

export interface DossierEventView {
  seq: number;
  type: 'dossier.started' | 'action.applied' | string;
  at: string;
  actor: { id: string; name: string | null };
  /** The label of the action taken, from the dossier's procedure version; null for other events. */
  label?: { vi: string; en?: string } | null;
  payload: {
    step?: string;
    action?: string;
    inputs?: { [key: string]: unknown };
    from?: string[];
    to?: string[];
    onBehalfOf?: { id: string; name: string; title?: string };
    /** The signing capacity recorded with the action (KT., TM., TUQ., TL., Q.). */
    capacity?: { prefix: string; lines: string[] };
    actor?: { kind?: string };
  };
  hash: string;
}

export interface VerifyResult {
  ok: boolean;
  length: number;
  head?: string;
  matchesHead: boolean;
}

export interface BulkResult {
  results: { id: string; ok: boolean; dossier?: unknown; error?: { code: string; message: Bilingual } }[];
  succeeded: number;
  failed: number;
}

export type { AvailableAction };
