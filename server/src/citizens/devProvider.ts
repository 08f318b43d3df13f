/**
 * A real OpenID Connect provider for the demo and the tests (the `oidc-provider` package,
 * certified by the OpenID Foundation), standing in for the national portal's single sign-on
 * (VNeID identities) when no issuer is configured. It speaks the whole protocol — discovery,
 * authorization code with PKCE, ID token signed with its own key, userinfo — so motcua's
 * client (./oidc.ts) is the same code in the demo and in production.
 *
 * Its sign-in page takes a demo citizen's personal ID number and password; the demo
 * citizens are below, printed at start and in the README. Never used with real people.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { type Configuration } from 'oidc-provider';

export interface DemoCitizen {
  /** Số định danh cá nhân (12 digits), the claim motcua links dossiers and officers by. */
  personalId: string;
  name: string;
  email: string;
  phone: string;
  password: string;
  /** What the person is in the demo (an officer's link, or a citizen). */
  label: string;
  /** The demo officer account (username) this identity is linked to, if any. */
  officer?: string;
}

/** The demo's people of the provider: citizens, and two officers who may sign in through it too. */
export const DEMO_CITIZENS: DemoCitizen[] = [
  { personalId: '001199000001', name: 'Trần Thị Mai', email: 'mai@congdan.demo', phone: '0901000001', password: 'congdan@123', label: 'Công dân (mẹ khai sinh cho con)' },
  { personalId: '001199000002', name: 'Nguyễn Văn Bình', email: 'binh@congdan.demo', phone: '0901000002', password: 'congdan@123', label: 'Công dân' },
  { personalId: '001199000003', name: 'Lê Thị Hoa', email: 'hoa@congdan.demo', phone: '0901000003', password: 'congdan@123', label: 'Công dân' },
  { personalId: '001199000004', name: 'Phạm Quốc Việt', email: 'viet@congdan.demo', phone: '0901000004', password: 'congdan@123', label: 'Công dân' },
  { personalId: '001088000101', name: 'Cán bộ Một cửa An Phú (SSO)', email: 'motcua.anphu@demo', phone: '0901000101', password: 'canbo@123', label: 'Cán bộ: đăng nhập một lần vào tài khoản motcua.anphu', officer: 'motcua.anphu' },
];

/** The claim holding the personal ID number in the demo provider (the default of OIDC_PERSONAL_ID_CLAIM). */
export const DEMO_PERSONAL_ID_CLAIM = 'personal_id';

export interface DevProviderOptions {
  port: number;
  host?: string;
  /** Where motcua's callback is (absolute URLs); the client is registered with exactly these. */
  redirectUris: string[];
  clientId?: string;
  clientSecret?: string;
  people?: DemoCitizen[];
}

export interface DevProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  people: DemoCitizen[];
  server: Server;
  close(): Promise<void>;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title><style>
body{font-family:system-ui,sans-serif;max-width:26rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
h1{font-size:1.3rem}label{display:block;margin:.8rem 0 .2rem}input{width:100%;padding:.5rem;font-size:1rem;box-sizing:border-box}
button{margin-top:1rem;padding:.6rem 1.2rem;font-size:1rem}.err{color:#b00020}.note{color:#555;font-size:.9rem}
</style></head><body>${body}</body></html>`;
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > 16_384) throw new Error('form too large');
    chunks.push(c as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function loginPage(uid: string, error: string | null, personalId = ''): string {
  return page('Đăng nhập - Định danh điện tử (demo)', `
<h1>Đăng nhập bằng tài khoản định danh điện tử (demo)</h1>
<p class="note">Nhà cung cấp định danh thử nghiệm của motcua. Sign-in with the demo identity provider.</p>
${error ? `<p class="err" role="alert">${esc(error)}</p>` : ''}
<form method="post" action="/interaction/${esc(uid)}/login" autocomplete="off">
<label for="personalId">Số định danh cá nhân (Personal ID number)</label>
<input id="personalId" name="personalId" inputmode="numeric" required value="${esc(personalId)}">
<label for="password">Mật khẩu (Password)</label>
<input id="password" name="password" type="password" required>
<button type="submit">Đăng nhập</button>
</form>`);
}

/** Starts the provider on `port` (0: any free port); the issuer is `http://<host>:<port>`. */
export async function startDevProvider(options: DevProviderOptions): Promise<DevProvider> {
  const host = options.host ?? '127.0.0.1';
  const people = options.people ?? DEMO_CITIZENS;
  const clientId = options.clientId ?? 'motcua';
  const clientSecret = options.clientSecret ?? randomBytes(24).toString('base64url');
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | null = null;
  const server = createServer((req, res) => {
    if (handler) handler(req, res);
    else { res.statusCode = 503; res.end(); }
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port, host, () => { server.off('error', fail); ok(); });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const issuer = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;

  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: 'demo-1', alg: 'RS256', use: 'sig' };
  const byId = new Map(people.map((p) => [p.personalId, p]));
  const configuration: Configuration = {
    clients: [{
      client_id: clientId, client_secret: clientSecret, redirect_uris: options.redirectUris,
      grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_basic',
    }],
    jwks: { keys: [jwk as never] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    pkce: { required: () => true },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    scopes: ['openid', 'profile', 'email', 'phone', 'vneid'],
    claims: {
      openid: ['sub'], profile: ['name'], email: ['email', 'email_verified'], phone: ['phone_number', 'phone_number_verified'],
      vneid: [DEMO_PERSONAL_ID_CLAIM],
    },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx, sub) => {
      const p = byId.get(sub);
      if (!p) return undefined;
      return {
        accountId: sub,
        claims: () => ({
          sub, name: p.name, email: p.email, email_verified: true, phone_number: p.phone, phone_number_verified: true,
          [DEMO_PERSONAL_ID_CLAIM]: p.personalId,
        }),
      };
    },
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = page('Lỗi đăng nhập', `<h1>Lỗi đăng nhập (sign-in error)</h1><p class="err">${esc(String(out['error'] ?? ''))}: ${esc(String(out['error_description'] ?? ''))}</p>`);
    },
  };
  const provider = new Provider(issuer, configuration);
  const callback = provider.callback();

  const interaction = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const m = /^\/interaction\/([^/]+)(\/login)?$/.exec(url.pathname);
    if (!m) { res.statusCode = 404; res.end(); return; }
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== m[1]) { res.statusCode = 400; res.end('interaction mismatch'); return; }
    const send = (status: number, html: string) => {
      res.statusCode = status;
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.setHeader('Cache-Control', 'no-store');
      res.end(html);
    };
    if (details.prompt.name === 'consent') {
      // A first-party client of the province: consent is given for it, as the national portal does.
      const accountId = details.session?.accountId;
      if (!accountId) { send(400, page('Lỗi', '<p class="err">Chưa đăng nhập</p>')); return; }
      const grant = details.grantId ? await provider.Grant.find(details.grantId) : new provider.Grant({ accountId, clientId: String(details.params['client_id']) });
      if (!grant) { send(400, page('Lỗi', '<p class="err">Grant not found</p>')); return; }
      const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
      const grantId = await grant.save();
      await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
      return;
    }
    if (req.method === 'GET' && !m[2]) { send(200, loginPage(details.uid, null)); return; }
    if (req.method === 'POST' && m[2]) {
      const form = await readForm(req);
      const id = (form.get('personalId') ?? '').trim();
      const person = byId.get(id);
      if (!person || form.get('password') !== person.password) {
        send(401, loginPage(details.uid, 'Sai số định danh hoặc mật khẩu (wrong personal ID number or password)', id));
        return;
      }
      await provider.interactionFinished(req, res, { login: { accountId: person.personalId } }, { mergeWithLastSubmission: false });
      return;
    }
    res.statusCode = 405;
    res.end();
  };

  handler = (req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    if (url.pathname.startsWith('/interaction/')) {
      interaction(req, res, url).catch((e: unknown) => {
        if (!res.headersSent) {
          res.statusCode = 400;
          res.setHeader('Content-Type', 'text/html; charset=utf-8');
          res.end(page('Lỗi', `<p class="err">${esc((e as Error).message)}</p>`));
        }
      });
      return;
    }
    void callback(req, res);
  };

  return {
    issuer, clientId, clientSecret, people, server,
    close: () => new Promise<void>((ok) => { server.close(() => ok()); server.closeAllConnections(); }),
  };
}
