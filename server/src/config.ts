import { DEMO_TOKEN_SECRET } from './auth/secret';
import { createHash } from 'node:crypto';

/** Settings the server runs with; only `main.ts` builds them from the environment. */
export interface ServerConfig {
  port: number;
  /** postgres://… ; empty = embedded PGlite in `dataDir`. */
  databaseUrl: string | null;
  dataDir: string;
  /** HMAC secret that signs tokens (32+ bytes; see auth/secret.ts for when the demo one is refused). */
  tokenSecret: string;
  /** The secret before the last rotation: tokens it signed are still accepted until they expire. */
  previousTokenSecret: string | null;
  /** Access tokens (bearer, kept in the web app's memory). */
  tokenTtlSeconds: number;
  /** The refresh cookie: how long a browser session survives reloads without a new login. */
  refreshTtlSeconds: number;
  uploadDir: string;
  maxUploadBytes: number;
  /** How long an upload's content checks may take (ms): a file not checked by then is refused (dossiers/inspect.ts). */
  uploadCheckMs: number;
  allowedUploadTypes: string[];
  /** Base URL printed on slips (QR code for tracking). */
  publicUrl: string;
  /** Failed logins from one address within `loginWindowSeconds` before it must wait. */
  loginRateLimit: number;
  /** Failed logins for one username within `loginWindowSeconds` before it must wait. */
  loginAccountLimit: number;
  loginWindowSeconds: number;
  /** Bearer token `/metrics` wants; null = not served on the public port (see `metricsPort`). */
  metricsToken: string | null;
  /** Where the built web app is, served on `/` when present. */
  webDir: string | null;
  demo: boolean;
  /**
   * How long a claimed webhook delivery is kept from other workers. It bounds how long a
   * crashed process's claims wait before another process sends them; it must outlast a
   * round of sends (requests time out after 10 s).
   */
  webhookLeaseMs: number;
  /**
   * Webhook targets allowed although their address is private, loopback or link-local (an
   * internal portal): host names, addresses or CIDR ranges (WEBHOOK_ALLOW_HOSTS). Empty: public addresses only.
   */
  webhookAllowHosts: string[];
  /**
   * AES-256-GCM key for webhook secrets at rest (SECRETS_KEY). Null: no webhook secret can be
   * stored or used (production without the setting refuses to create webhooks).
   */
  secretsKey: Buffer | null;
  /** Ed25519 seed signing history checkpoints (hex or base64); null = derived from tokenSecret (audit/keys.ts). */
  historySigningKey: string | null;
  /** Public keys of earlier signing keys whose checkpoints still verify. */
  historyPublicKeys: string[];
  /** How often each unit's chain heads are checkpointed (audit/checkpoints.ts). */
  checkpointIntervalMs: number;
  /** How long an uploaded file may sit on disk without its record before the sweep removes it (blobs/sweep.ts). */
  orphanGraceMs: number;
  /**
   * Single sign-on through OpenID Connect (citizens, and officers linked by their personal ID
   * number): null = not configured (citizens cannot sign in; see citizens/oidc.ts).
   */
  oidc: OidcSettings | null;
  /** Officers may sign in with a local username and password (false: through the SSO only). */
  officerPasswords: boolean;
  /** How long a citizen's session cookie lasts. */
  citizenSessionTtlSeconds: number;
  /** How long an online draft is kept after its last change. */
  draftTtlSeconds: number;
  /** Online submissions one citizen may make per `submitWindowSeconds`. */
  submitLimit: number;
  submitWindowSeconds: number;
  /**
   * The shared databases' lookup services (population, civil status) and the token of this
   * system on the data-sharing platform (CITIZEN_DATA_URL, CITIZEN_DATA_TOKEN); null: lookups
   * answer 503. The demo starts the simulator (server/src/simulators/population.ts).
   */
  citizenDataUrl: string | null;
  citizenDataToken: string | null;
  /** Dossier rooms one officer socket may watch at once (`dossier:watch`; beyond: TOO_MANY). */
  officerWatchLimit: number;
  /** Dossier codes one `/public` socket may track at once (`subscribe`; beyond: TOO_MANY). */
  publicTrackLimit: number;
  /**
   * Open `/public` sockets (citizens tracking dossiers) from one client address on one server
   * process (PUBLIC_SOCKETS_PER_ADDRESS); a connection beyond it is refused with TOO_MANY.
   */
  publicSocketsPerAddress: number;
  /**
   * The online payment provider (payments/provider.ts): VNPay's protocol at `payUrl` with the
   * merchant's terminal code and hash secret. Null: online payment is not offered.
   */
  payment: { provider: 'vnpay'; payUrl: string; tmnCode: string; hashSecret: string } | null;
  /**
   * Outgoing mail for citizen notifications (notifications/channels.ts): an SMTP server
   * (`smtp://user:pass@host:port`, `smtps://…`), or `file:<folder>` to write .eml files (the
   * demo's mailbox). Null: no email is sent (deliveries are logged as failed).
   */
  mail: { url: string; from: string } | null;
  /** SMS gateway (HTTP adapter) and Zalo OA endpoint; null: messages are only logged. */
  sms: { url: string; token: string } | null;
  zalo: { url: string; token: string } | null;
}

/** An OpenID Connect provider (OIDC_* settings). */
export interface OidcSettings {
  /** The issuer URL (discovery at `<issuer>/.well-known/openid-configuration`). */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The ID token or userinfo claim holding the personal ID number (số định danh cá nhân). */
  personalIdClaim: string;
  /** Scopes asked for, besides `openid`. */
  scope: string;
  /** Plain http issuer allowed (the local demo provider only). */
  allowHttp: boolean;
}

/** The demo's and tests' key: public, like the demo token secret (main.ts never uses it outside a demo). */
const DEMO_SECRETS_KEY = createHash('sha256').update('motcua-demo-secrets-key').digest();

/** Defaults for tests and the demo; production overrides through the environment. */
export function defaultConfig(overrides: Partial<ServerConfig> = {}): ServerConfig {
  return {
    port: 3000,
    databaseUrl: null,
    dataDir: '.data/pglite',
    tokenSecret: DEMO_TOKEN_SECRET,
    previousTokenSecret: null,
    tokenTtlSeconds: 8 * 3600,
    refreshTtlSeconds: 12 * 3600,
    uploadDir: '.data/uploads',
    maxUploadBytes: 10 * 1024 * 1024,
    uploadCheckMs: 5000,
    allowedUploadTypes: ['application/pdf', 'image/jpeg', 'image/png'],
    publicUrl: 'http://localhost:3000',
    loginRateLimit: 30,
    loginAccountLimit: 5,
    loginWindowSeconds: 15 * 60,
    metricsToken: null,
    webDir: null,
    demo: true,
    webhookLeaseMs: 5 * 60_000,
    webhookAllowHosts: [],
    secretsKey: DEMO_SECRETS_KEY,
    historySigningKey: null,
    historyPublicKeys: [],
    checkpointIntervalMs: 60 * 60_000,
    orphanGraceMs: 60 * 60_000,
    oidc: null,
    officerPasswords: true,
    citizenSessionTtlSeconds: 2 * 3600,
    draftTtlSeconds: 30 * 24 * 3600,
    submitLimit: 10,
    submitWindowSeconds: 3600,
    citizenDataUrl: null,
    citizenDataToken: null,
    officerWatchLimit: 200,
    publicTrackLimit: 20,
    // A household or an office behind one NAT keeps a few tabs each; a script opening sockets
    // by the thousand (each holds memory and a file descriptor) is stopped at once.
    publicSocketsPerAddress: 20,
    payment: null,
    mail: null,
    sms: null,
    zalo: null,
    ...overrides,
  };
}
