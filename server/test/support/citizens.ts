/**
 * Citizens in tests: the real local OpenID Connect provider (server/src/citizens/devProvider.ts)
 * on a random port, and a sign-in that walks the whole protocol as a browser would (redirects,
 * the provider's own cookies, its login form), ending with motcua's session cookies.
 */
import { startDevProvider, type DemoCitizen, type DevProvider } from '../../src/citizens/devProvider';
import type { Harness } from './harness';
import { Jar } from './cookies';

/** The provider on a random port, configured as the harness's sign-in; `people` replaces its demo citizens. */
export async function startTestProvider(h: Harness, people?: DemoCitizen[]): Promise<DevProvider> {
  const p = await startDevProvider({ port: 0, redirectUris: [`${h.deps.config.publicUrl}/api/oidc/callback`], ...(people ? { people } : {}) });
  h.deps.config.oidc = {
    issuer: p.issuer, clientId: p.clientId, clientSecret: p.clientSecret, personalIdClaim: 'personal_id', scope: 'profile email phone vneid', allowHttp: true,
  };
  return p;
}

export interface CitizenSession {
  /** The Cookie header motcua wants (session + anti-forgery cookie). */
  cookie: string;
  csrf: string;
  /** Where the callback sent the browser. */
  location: string;
  /** Every Set-Cookie of the callback (officers: the refresh cookie). */
  setCookies: string[];
}

function setCookiesOf(res: { headers: Record<string, unknown> }): string[] {
  const raw = res.headers['set-cookie'];
  return Array.isArray(raw) ? (raw as string[]) : typeof raw === 'string' ? [raw] : [];
}

/**
 * Signs in through the provider: motcua's login redirect, the provider's pages (login form
 * with `personalId` and `password`, consent), the callback. Throws with the step that failed.
 */
export async function signInThroughProvider(
  h: Harness, p: DevProvider, personalId: string, options: { password?: string; as?: 'citizen' | 'officer'; next?: string } = {},
): Promise<CitizenSession> {
  const app = new Jar();
  const start = await h.http.get(`/api/oidc/login?as=${options.as ?? 'citizen'}${options.next ? `&next=${encodeURIComponent(options.next)}` : ''}`);
  if (start.status !== 302) throw new Error(`login: ${start.status} ${JSON.stringify(start.body)}`);
  app.take(setCookiesOf(start));
  const jar = new Jar();
  let url = String(start.headers['location']);
  let posted = false;
  for (let hop = 0; hop < 20; hop++) {
    if (!url.startsWith(p.issuer)) break;
    const res = await fetch(url, { redirect: 'manual', headers: { cookie: jar.header() } });
    jar.take(res.headers.getSetCookie());
    if (res.status >= 300 && res.status < 400) {
      url = new URL(res.headers.get('location')!, url).href;
      continue;
    }
    const html = await res.text();
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
    if (res.status !== 200 || !action || posted) throw new Error(`provider page ${url}: ${res.status} ${html.slice(0, 300)}`);
    posted = true;
    const form = await fetch(new URL(action, url), {
      method: 'POST', redirect: 'manual',
      headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ personalId, password: options.password ?? p.people.find((x) => x.personalId === personalId)?.password ?? 'x' }).toString(),
    });
    jar.take(form.headers.getSetCookie());
    if (form.status < 300 || form.status >= 400) throw new Error(`provider login: ${form.status} ${(await form.text()).slice(0, 300)}`);
    url = new URL(form.headers.get('location')!, url).href;
  }
  const back = new URL(url);
  const cb = await h.http.get(`${back.pathname}${back.search}`).set('Cookie', app.header());
  if (cb.status !== 302) throw new Error(`callback: ${cb.status} ${JSON.stringify(cb.body)}`);
  const setCookies = setCookiesOf(cb);
  app.take(setCookies);
  const csrf = app.values.get('motcua_citizen_csrf') ?? app.values.get('motcua_csrf') ?? '';
  return { cookie: app.header(), csrf, location: String(cb.headers['location']), setCookies };
}
