/** The citizen's API calls: the session is a cookie; changes echo the anti-forgery cookie in X-CSRF-Token. */
import { ApiError } from '../../api/client';

function csrf(): string {
  const m = /(?:^|;\s*)motcua_citizen_csrf=([^;]+)/.exec(document.cookie);
  return m ? decodeURIComponent(m[1]!) : '';
}

export async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
  const headers = new Headers(init.headers);
  if (init.method && init.method !== 'GET') headers.set('X-CSRF-Token', csrf());
  if (init.body && typeof init.body === 'string') headers.set('Content-Type', 'application/json');
  const res = await fetch(path, { ...init, headers, credentials: 'same-origin' });
  if (res.status === 204) return undefined as T;
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const e = (body as { error?: { code?: string; message?: { vi: string; en: string }; issues?: [] } } | null)?.error;
    throw new ApiError(res.status, e?.code ?? 'ERROR', e?.message ?? { vi: `Lỗi ${res.status}`, en: `Error ${res.status}` }, e?.issues ?? [], body);
  }
  return body as T;
}

export const signInHref = (next: string) => `/api/oidc/login?next=${encodeURIComponent(next)}`;

export interface Text { vi: string; en?: string }
export interface Citizen { personalId: string; name: string; email?: string; phone?: string }
export interface CitizenDossier {
  id: string; procedure: { id: string; code: string; name: Text | null }; portalStatus: number; statusText: Text; status: string;
  submittedAt: string; receivedAt: string | null; dueAt: string | null; closedAt: string | null;
  receivingUnit: { code: string; name: string | null };
  timeline: { at: string; text: Text }[];
  papersAsked: { reason: string | null; documents: string[]; at: string }[];
  actions: { step: string; action: string; label: Text; intent: string }[];
  slips: { kind: string; title: Text; url: string }[];
  documents: { id: string; name: string; url: string }[];
  fees: { id: string; name: Text; amount: number }[]; feesTotal: number;
  payment: { href: string; amount: number } | null;
  rating: number | null; mayRate: boolean;
}
export interface OnlineInfo {
  procedureId: string; onlineLevel: string; nonGeographic: boolean; name: Text; data: unknown;
  papers: { id: string; name: Text; optional: boolean; when: unknown; note: Text | null }[];
  fees: { id: string; name: Text; amount: number; note: Text | null }[];
  desks: { code: string; name: string }[]; inPerson: Text[];
}
export interface Draft {
  id: string; procedureId: string; data: { [k: string]: unknown }; receivingUnit: string | null; updatedAt: string; expiresAt: string;
  files: { id: string; paper: string; name: string }[];
}
