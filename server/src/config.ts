/** Settings the server runs with; only `main.ts` builds them from the environment. */
export interface ServerConfig {
  port: number;
  /** postgres://… ; empty = embedded PGlite in `dataDir`. */
  databaseUrl: string | null;
  dataDir: string;
  /** HMAC secret for access tokens. */
  tokenSecret: string;
  tokenTtlSeconds: number;
  uploadDir: string;
  maxUploadBytes: number;
  allowedUploadTypes: string[];
  /** Base URL printed on slips (QR code for tracking). */
  publicUrl: string;
  /** Attempts per minute per IP on the login route. */
  loginRateLimit: number;
  /** Where the built web app is, served on `/` when present. */
  webDir: string | null;
  demo: boolean;
  /**
   * How long a claimed webhook delivery is kept from other workers. It bounds how long a
   * crashed process's claims wait before another process sends them; it must outlast a
   * round of sends (requests time out after 10 s).
   */
  webhookLeaseMs: number;
  /** Ed25519 seed signing history checkpoints (hex or base64); null = derived from tokenSecret (audit/keys.ts). */
  historySigningKey: string | null;
  /** Public keys of earlier signing keys whose checkpoints still verify. */
  historyPublicKeys: string[];
  /** How often each unit's chain heads are checkpointed (audit/checkpoints.ts). */
  checkpointIntervalMs: number;
  /** How long an uploaded file may sit on disk without its record before the sweep removes it (blobs/sweep.ts). */
  orphanGraceMs: number;
}

/** Defaults for tests and the demo; production overrides through the environment. */
export function defaultConfig(overrides: Partial<ServerConfig> = {}): ServerConfig {
  return {
    port: 3000,
    databaseUrl: null,
    dataDir: '.data/pglite',
    tokenSecret: 'motcua-demo-secret-change-me-in-production-0123456789',
    tokenTtlSeconds: 8 * 3600,
    uploadDir: '.data/uploads',
    maxUploadBytes: 10 * 1024 * 1024,
    allowedUploadTypes: ['application/pdf', 'image/jpeg', 'image/png'],
    publicUrl: 'http://localhost:3000',
    loginRateLimit: 10,
    webDir: null,
    demo: true,
    webhookLeaseMs: 5 * 60_000,
    historySigningKey: null,
    historyPublicKeys: [],
    checkpointIntervalMs: 60 * 60_000,
    orphanGraceMs: 60 * 60_000,
    ...overrides,
  };
}
