/**
 * The typed API client. `schema.d.ts` is generated from the server's OpenAPI document
 * (`npm run api:types -w web` with a server on :3000), so a renamed field fails the
 * type check here rather than at a desk.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

export type { paths, components } from './schema';

/** Text from the server: always Vietnamese and English. */
export interface Bilingual {
  vi: string;
  en?: string;
}

export interface ApiIssue {
  path?: string;
  message?: Bilingual;
  code?: string;
  severity?: string;
}

/** An answer other than 2xx, with the server's code, message and culprits (JSON pointers). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly messages: Bilingual,
    readonly issues: ApiIssue[] = [],
    readonly body: unknown = null,
  ) {
    super(messages.en ?? messages.vi);
    this.name = 'ApiError';
  }
}

/**
 * The bearer token lives in memory only: a script injected into the page could read
 * localStorage, not this closure. A reload restores it from the refresh cookie (httpOnly,
 * sent only to /api/auth) through `refreshSession`.
 */
let memoryToken: string | null = null;

export const tokenStore = {
  get: (): string | null => memoryToken,
  set: (token: string | null): void => {
    memoryToken = token;
    for (const listener of tokenListeners) listener(token);
  },
};
const tokenListeners = new Set<(token: string | null) => void>();
export const onTokenChange = (listener: (token: string | null) => void): (() => void) => {
  tokenListeners.add(listener);
  return () => tokenListeners.delete(listener);
};

const CSRF_COOKIE = 'motcua_csrf';

/** The anti-forgery value the server set with the refresh cookie (null when there is no session). */
export function csrfToken(): string | null {
  if (typeof document === 'undefined') return null;
  for (const part of document.cookie.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === CSRF_COOKIE) return decodeURIComponent(value.join('='));
  }
  return null;
}

export type Session = paths['/api/auth/login']['post']['responses'][200]['content']['application/json'];

let refreshing: Promise<Session | null> | null = null;

/**
 * A new access token from the refresh cookie, or null when there is no session any more.
 * One refresh at a time per page: each answer sets a new refresh cookie and anti-forgery
 * value, so a second request sent meanwhile would carry the old header with the new cookie
 * and be refused (403) — signing the user out of a page they had just reloaded.
 */
export function refreshSession(): Promise<Session | null> {
  refreshing ??= refreshOnce().finally(() => { refreshing = null; });
  return refreshing;
}

async function refreshOnce(): Promise<Session | null> {
  const csrf = csrfToken();
  if (!csrf) return null;
  let res: Response;
  try {
    res = await fetch('/api/auth/refresh', { method: 'POST', credentials: 'same-origin', headers: { 'X-CSRF-Token': csrf } });
  } catch {
    return null;
  }
  if (!res.ok) return null;
  const session = (await res.json()) as Session;
  tokenStore.set(session.token);
  return session;
}

/** Signs out everywhere (the server revokes every token of the user), then forgets the token here. */
export async function endSession(): Promise<void> {
  const headers = new Headers();
  const token = tokenStore.get();
  if (token) headers.set('Authorization', `Bearer ${token}`);
  const csrf = csrfToken();
  if (csrf) headers.set('X-CSRF-Token', csrf);
  try {
    await fetch('/api/auth/logout', { method: 'POST', credentials: 'same-origin', headers });
  } catch {
    // offline: the token is forgotten here anyway and expires on its own
  }
  tokenStore.set(null);
}

const auth: Middleware = {
  onRequest({ request }) {
    const token = tokenStore.get();
    if (token && !request.headers.has('Authorization')) request.headers.set('Authorization', `Bearer ${token}`);
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: '' });
api.use(auth);

interface ErrorBody {
  error?: { code?: string; message?: Bilingual; issues?: ApiIssue[] };
}

const toError = (status: number, body: unknown): ApiError => {
  const e = (body as ErrorBody | null)?.error;
  if (status === 401 && tokenStore.get()) tokenStore.set(null);
  return new ApiError(
    status,
    e?.code ?? `HTTP_${status}`,
    e?.message ?? { vi: `Máy chủ trả lời ${status}`, en: `The server answered ${status}` },
    e?.issues ?? [],
    body,
  );
};

/**
 * Awaits an openapi-fetch call and returns its data, or throws an `ApiError`.
 * `api.GET(...)` etc. return `{ data, error, response }`; screens want data or a throw.
 */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch (err) {
    throw new ApiError(0, 'NETWORK', { vi: 'Không kết nối được máy chủ', en: 'Cannot reach the server' }, [], err);
  }
  if (!result.response.ok) throw toError(result.response.status, result.error);
  return result.data as T;
}

/** `fetch`, with a network failure or an error answer thrown as an `ApiError`. */
export async function fetchOk(path: string, init: RequestInit = {}): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(path, init);
  } catch (err) {
    throw new ApiError(0, 'NETWORK', { vi: 'Không kết nối được máy chủ', en: 'Cannot reach the server' }, [], err);
  }
  if (!res.ok) {
    const body: unknown = await res.json().catch(() => null);
    throw toError(res.status, body);
  }
  return res;
}

/** Raw fetch with the token, for non-JSON answers (PDF slips, XLSX/CSV exports) and uploads. */
export async function authedFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const token = tokenStore.get();
  if (token) headers.set('Authorization', `Bearer ${token}`);
  return fetchOk(path, { ...init, headers });
}

/** Hands a file to the browser's downloads under `name`. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Downloads a file answer (slip, export) under the name the server gives, or `fallback`. */
export async function download(path: string, fallback: string): Promise<void> {
  const res = await authedFetch(path);
  const disposition = res.headers.get('Content-Disposition') ?? '';
  const name = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1] ?? /filename="?([^";]+)"?/i.exec(disposition)?.[1];
  saveBlob(await res.blob(), name ? decodeURIComponent(name) : fallback);
}

/** A short-lived link to a file answer that opens without the Authorization header (new tab, browser download). */
export async function downloadLink(path: string): Promise<string> {
  const res = await unwrap(api.POST('/api/auth/download-link', { body: { path } }));
  return res.url;
}

/** Opens a PDF answer (a slip) in a new tab, for printing. */
export async function openPdf(path: string): Promise<void> {
  const res = await authedFetch(path);
  const url = URL.createObjectURL(await res.blob());
  window.open(url, '_blank', 'noopener');
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
