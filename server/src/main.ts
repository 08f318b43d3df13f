/**
 * `npm start`: the one place that reads the environment. Opens the database (embedded
 * PGlite in `<DATA_DIR>/pglite`, or PostgreSQL with DATABASE_URL; migrations applied),
 * seeds the demo province on a fresh install, serves the API and the built web app on one
 * port with live updates, runs the background jobs, and shuts down cleanly on SIGINT/SIGTERM.
 *
 * Environment: PORT (3000), DATABASE_URL, DATA_DIR (.data), TOKEN_SECRET (required with
 * DATABASE_URL or NODE_ENV=production), TOKEN_SECRET_PREVIOUS (during a rotation), PUBLIC_URL,
 * METRICS_TOKEN, METRICS_PORT, LOG_LEVEL (info), DEMO (true on PGlite, false on PostgreSQL),
 * DEMO_DOSSIERS (300), WEBHOOK_LEASE_SECONDS (300), WEBHOOK_ALLOW_HOSTS (none), SECRETS_KEY
 * (webhook secrets at rest), HISTORY_SIGNING_KEY, HISTORY_PUBLIC_KEYS,
 * HISTORY_CHECKPOINT_MINUTES (60), UPLOAD_ORPHAN_GRACE_MINUTES (60),
 * LIVE_REPLAY_EVERY_SECONDS (15), LIVE_REPLAY_GRACE_SECONDS (15), CITIZEN_DATA_URL and
 * CITIZEN_DATA_TOKEN (shared databases; the demo starts their simulator). See the README's
 * "Security" section.
 *
 * Single sign-on (README "Citizens' sign-in"): OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET,
 * OIDC_PERSONAL_ID_CLAIM (personal_id), OIDC_SCOPE (profile email phone), OFFICER_PASSWORDS
 * (true), CITIZEN_SESSION_MINUTES (120), DRAFT_DAYS (30), SUBMIT_LIMIT_PER_HOUR (10). Without
 * OIDC_ISSUER the demo starts its own provider on OIDC_DEV_PORT (PORT + 1).
 *
 * Test only: MOTCUA_FAULT_KILL_BEFORE_ANNOUNCE=<action> (refused with NODE_ENV=production).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino, type Logger } from 'pino';
import { createApp, httpServer, VERSION } from './app';
import { Bus } from './bus';
import { systemClock } from './clock';
import { defaultConfig, type ServerConfig } from './config';
import { openDatabase } from './db/client';
import type { Deps } from './deps';
import { Directory } from './directory';
import { attachRealtime } from './realtime/index';
import { startBackgroundJobs } from './outbox/jobs';
import { startPortalDemo } from './outbox/portal/demo';
import { startLiveness } from './outbox/liveness';
import { demoSecretsKey, encryptLegacySecrets, parseSecretsKey } from './outbox/secrets';
import { parseAllowList } from './outbox/targets';
import { startAnnouncements } from './realtime/announcements';
import { isEmptyDatabase, seedDemo } from './demo/seed';
import { ensureDemoPki } from './esign/service';
import { credentialsTable, demoPeople } from './demo/people';
import { secretProblem } from './auth/secret';
import { serveMetrics } from './http/metrics';
import { historyKeys } from './audit/keys';
import { startCheckpointJob } from './audit/job';
import { createBlobStore } from './blobs';
import { startOrphanSweep, sweepOrphans } from './blobs/sweep';
import { DEMO_CITIZENS, DEMO_PERSONAL_ID_CLAIM, startDevProvider, type DevProvider } from './citizens/devProvider';
import type { OidcSettings } from './config';
import { linkDemoOfficers } from './citizens/demo';
import { startDraftExpiry } from './online/service';
import { startPopulationSimulator } from './simulators/population';
import { startVnpaySimulator } from './simulators/vnpay';

const env = process.env;

/** A setting the server cannot run with: reported in both languages, exit code 2. */
class ConfigError extends Error {
  readonly vi: string;
  constructor(message: string | { vi: string; en: string }) {
    super(typeof message === 'string' ? message : message.en);
    this.vi = typeof message === 'string' ? message : message.vi;
  }
}

/** Logs the refusal and also writes it plainly to stderr, for whoever reads the terminal. */
function refuseToStart(logger: Logger, e: ConfigError): never {
  logger.fatal({ vi: e.vi }, e.message);
  process.stderr.write(`\nmotcua không khởi động / motcua did not start:\n  ${e.vi}\n  ${e.message}\n\n`);
  process.exit(2);
}

function flag(name: string, fallback: boolean): boolean {
  const v = env[name]?.trim();
  if (!v) return fallback;
  if (/^(1|true|yes|on)$/i.test(v)) return true;
  if (/^(0|false|no|off)$/i.test(v)) return false;
  throw new ConfigError(`${name} must be true or false (got "${v}")`);
}

function integer(name: string, fallback: number, min: number, max: number): number {
  const v = env[name]?.trim();
  if (!v) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`${name} must be an integer from ${min} to ${max} (got "${v}")`);
  return n;
}

function list(name: string): string[] {
  return (env[name] ?? '').split(',').map((e) => e.trim()).filter((e) => e.length > 0);
}

/**
 * The key of secrets at rest (webhook secrets, signing keys): SECRETS_KEY; in production
 * (DATABASE_URL or NODE_ENV=production) nothing else (null: webhooks cannot be created and
 * nothing is signed, see the README); in the PGlite demo a random key kept in the data folder.
 * A demo on PostgreSQL (DEMO=true with DATABASE_URL, never with NODE_ENV=production) derives
 * one from TOKEN_SECRET, which that setup requires and keeps stable, so its demo dossiers get
 * signed results; the log warns, and the same database started without DEMO gets no key.
 */
function secretsKey(
  dataRoot: string, production: boolean, demoOnDatabase = false, tokenSecret?: string,
): { key: Buffer | null; source: 'env' | 'file' | 'derived' | 'none' } {
  const text = env['SECRETS_KEY']?.trim();
  if (text) {
    try {
      return { key: parseSecretsKey(text), source: 'env' };
    } catch (e) {
      throw new ConfigError((e as Error).message);
    }
  }
  const derived = demoSecretsKey({ demoOnDatabase, nodeEnv: env['NODE_ENV'], tokenSecret });
  if (derived) return { key: derived, source: 'derived' };
  if (production) return { key: null, source: 'none' };
  const file = join(dataRoot, 'secrets.key');
  mkdirSync(dataRoot, { recursive: true });
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
  return { key: parseSecretsKey(readFileSync(file, 'utf8')), source: 'file' };
}

/**
 * A test-only fault point (tests/faults/announce.test.ts): the process kills itself with
 * SIGKILL after the commit of the named action and before it is announced. A signal sent
 * from outside cannot hit that window (it lasts microseconds), and the test must prove the
 * recovery of exactly that case. Never honoured in production.
 */
function faultPoint(): string | null {
  const action = env['MOTCUA_FAULT_KILL_BEFORE_ANNOUNCE']?.trim() || null;
  if (action !== null && env['NODE_ENV'] === 'production') {
    throw new ConfigError('MOTCUA_FAULT_KILL_BEFORE_ANNOUNCE is a test hook and is refused with NODE_ENV=production');
  }
  return action;
}

/** Arms the fault point: the bus publishes after commit, so dying here is dying between the two. */
function armKillBeforeAnnounce(bus: Bus, action: string, logger: Logger): void {
  logger.warn({ action }, 'TEST HOOK: this process kills itself after committing this action, before announcing it');
  const publish = bus.publish.bind(bus);
  bus.publish = (m) => {
    if (m.type === 'dossier.changed' && m.action === action) process.kill(process.pid, 'SIGKILL');
    publish(m);
  };
}

/** The settings, from the environment over the defaults. */
function configFromEnv(): {
  config: ServerConfig; dataRoot: string; demoDossiers: number; secretFromEnv: boolean; metricsPort: number | null;
  secretsFrom: 'env' | 'file' | 'derived' | 'none'; liveReplay: { everyMs: number; graceMs: number }; killBeforeAnnounce: string | null;
} {
  const port = integer('PORT', 3000, 0, 65_535);
  const databaseUrl = env['DATABASE_URL']?.trim() || null;
  const dataRoot = resolve(env['DATA_DIR']?.trim() || '.data');
  const webDir = fileURLToPath(new URL('../../web/dist', import.meta.url));
  const secret = env['TOKEN_SECRET'] || undefined;
  const previous = env['TOKEN_SECRET_PREVIOUS'] || undefined;
  const problem = secretProblem({ secret, previous, production: env['NODE_ENV'] === 'production', realDatabase: !!databaseUrl });
  if (problem) throw new ConfigError(problem);
  const metricsToken = env['METRICS_TOKEN'] || null;
  if (metricsToken !== null && Buffer.byteLength(metricsToken) < 16) throw new ConfigError({
    vi: 'METRICS_TOKEN quá ngắn: cần ít nhất 16 ký tự ngẫu nhiên', en: 'METRICS_TOKEN is too short: use at least 16 random characters',
  });
  const metricsPortRaw = integer('METRICS_PORT', 0, 0, 65_535);
  try {
    parseAllowList(list('WEBHOOK_ALLOW_HOSTS'));
  } catch (e) {
    throw new ConfigError(`WEBHOOK_ALLOW_HOSTS: ${(e as Error).message}`);
  }
  const secrets = secretsKey(dataRoot, !!databaseUrl || env['NODE_ENV'] === 'production', !!databaseUrl && flag('DEMO', false), secret);
  const oidcIssuer = env['OIDC_ISSUER']?.trim() || null;
  let oidc: OidcSettings | null = null;
  if (oidcIssuer) {
    const clientId = env['OIDC_CLIENT_ID']?.trim();
    const clientSecret = env['OIDC_CLIENT_SECRET'] ?? '';
    if (!clientId || !clientSecret) throw new ConfigError('OIDC_ISSUER needs OIDC_CLIENT_ID and OIDC_CLIENT_SECRET');
    let url: URL;
    try {
      url = new URL(oidcIssuer);
    } catch {
      throw new ConfigError(`OIDC_ISSUER is not a URL (got "${oidcIssuer}")`);
    }
    const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
    if (url.protocol !== 'https:' && !local) throw new ConfigError('OIDC_ISSUER must be an https URL (plain http only for a provider on this machine)');
    oidc = {
      issuer: oidcIssuer, clientId, clientSecret,
      personalIdClaim: env['OIDC_PERSONAL_ID_CLAIM']?.trim() || DEMO_PERSONAL_ID_CLAIM,
      scope: env['OIDC_SCOPE']?.trim() || 'profile email phone',
      allowHttp: url.protocol === 'http:',
    };
  }
  const config = defaultConfig({
    port,
    oidc,
    officerPasswords: flag('OFFICER_PASSWORDS', true),
    citizenSessionTtlSeconds: integer('CITIZEN_SESSION_MINUTES', 120, 5, 24 * 60) * 60,
    draftTtlSeconds: integer('DRAFT_DAYS', 30, 1, 365) * 86_400,
    submitLimit: integer('SUBMIT_LIMIT_PER_HOUR', 10, 1, 10_000),
    publicSocketsPerAddress: integer('PUBLIC_SOCKETS_PER_ADDRESS', 20, 1, 100_000),
    databaseUrl,
    dataDir: join(dataRoot, 'pglite'),
    uploadDir: join(dataRoot, 'uploads'),
    ...(secret ? { tokenSecret: secret } : {}),
    previousTokenSecret: previous ?? null,
    metricsToken,
    publicUrl: (env['PUBLIC_URL']?.trim() || `http://localhost:${port}`).replace(/\/+$/, ''),
    webDir: existsSync(join(webDir, 'index.html')) ? webDir : null,
    // Demo data by default on the zero-setup PGlite, never by surprise on a real server.
    demo: flag('DEMO', !databaseUrl),
    webhookLeaseMs: integer('WEBHOOK_LEASE_SECONDS', 300, 30, 86_400) * 1000,
    webhookAllowHosts: list('WEBHOOK_ALLOW_HOSTS'),
    secretsKey: secrets.key,
    historySigningKey: env['HISTORY_SIGNING_KEY']?.trim() || null,
    historyPublicKeys: list('HISTORY_PUBLIC_KEYS'),
    checkpointIntervalMs: integer('HISTORY_CHECKPOINT_MINUTES', 60, 1, 7 * 24 * 60) * 60_000,
    orphanGraceMs: integer('UPLOAD_ORPHAN_GRACE_MINUTES', 60, 1, 7 * 24 * 60) * 60_000,
    citizenDataUrl: env['CITIZEN_DATA_URL']?.trim() || null,
    citizenDataToken: env['CITIZEN_DATA_TOKEN']?.trim() || null,
    payment: env['VNPAY_PAY_URL']?.trim()
      ? { provider: 'vnpay', payUrl: env['VNPAY_PAY_URL'].trim(), tmnCode: env['VNPAY_TMN_CODE']?.trim() ?? '', hashSecret: env['VNPAY_HASH_SECRET']?.trim() ?? '' }
      : null,
    // The demo's mailbox: .eml files in the data folder (README, "Notifications").
    mail: env['MAIL_URL']?.trim()
      ? { url: env['MAIL_URL'].trim(), from: env['MAIL_FROM']?.trim() || 'Một cửa điện tử <no-reply@motcua.local>' }
      : flag('DEMO', !databaseUrl) ? { url: `file:${join(dataRoot, 'mailbox')}`, from: 'Một cửa điện tử (demo) <no-reply@motcua.local>' } : null,
    sms: env['SMS_URL']?.trim() ? { url: env['SMS_URL'].trim(), token: env['SMS_TOKEN']?.trim() ?? '' } : null,
    zalo: env['ZALO_URL']?.trim() ? { url: env['ZALO_URL'].trim(), token: env['ZALO_TOKEN']?.trim() ?? '' } : null,
  });
  if (config.payment && (!/^[A-Za-z0-9]{1,20}$/.test(config.payment.tmnCode) || config.payment.hashSecret.length < 16)) {
    throw new ConfigError('VNPAY_PAY_URL is set: VNPAY_TMN_CODE (the terminal code) and VNPAY_HASH_SECRET (16+ characters) are required too');
  }
  try {
    historyKeys({ signingKey: config.historySigningKey, publicKeys: config.historyPublicKeys, tokenSecret: config.tokenSecret });
  } catch (e) {
    throw new ConfigError((e as Error).message);
  }
  return {
    config, dataRoot, demoDossiers: integer('DEMO_DOSSIERS', 300, 0, 100_000), secretFromEnv: !!secret,
    metricsPort: metricsPortRaw === 0 ? null : metricsPortRaw, secretsFrom: secrets.source,
    liveReplay: { everyMs: integer('LIVE_REPLAY_EVERY_SECONDS', 15, 1, 3600) * 1000, graceMs: integer('LIVE_REPLAY_GRACE_SECONDS', 15, 1, 3600) * 1000 },
    killBeforeAnnounce: faultPoint(),
  };
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((ok, fail) => {
    const onError = (e: NodeJS.ErrnoException) => {
      fail(e.code === 'EADDRINUSE' ? new ConfigError(`Port ${port} is already in use: stop the other program or set PORT`) : e);
    };
    server.once('error', onError);
    server.listen(port, () => {
      server.off('error', onError);
      const address = server.address();
      ok(typeof address === 'object' && address ? address.port : port);
    });
  });
}

function banner(logger: Logger, url: string, config: ServerConfig, dev: DevProvider | null): void {
  const lines = [
    '',
    `  motcua ${VERSION} — ${url}`,
    `  API docs ${url}/api/docs · health ${url}/readyz${config.webDir ? '' : ' · web app not built (web/dist missing): API only'}`,
  ];
  if (config.demo) {
    lines.push('', '  Demo users (created on first start; password = <username>@123):', '');
    lines.push(...credentialsTable(demoPeople()).split('\n').map((l) => `  ${l}`));
  }
  if (dev) {
    lines.push('', `  Demo identity provider (OpenID Connect) ${dev.issuer}: citizens sign in at ${url}/cong-dan with`, '');
    for (const p of dev.people) lines.push(`    ${p.personalId}  ${p.password.padEnd(12)} ${p.name} — ${p.label}`);
  }
  // A human-readable block for whoever started the server; the JSON log carries the same facts.
  process.stdout.write(`${lines.join('\n')}\n\n`);
  logger.info({ url, demo: config.demo, users: config.demo ? demoPeople().map((p) => p.username) : undefined }, 'motcua is ready');
}

async function main(): Promise<void> {
  const logger = pino({ level: env['LOG_LEVEL']?.trim() || 'info' });
  let settings: ReturnType<typeof configFromEnv>;
  try {
    settings = configFromEnv();
  } catch (e) {
    if (e instanceof ConfigError) refuseToStart(logger, e);
    logger.fatal(e);
    process.exit(2);
  }
  const { config, dataRoot, demoDossiers, secretFromEnv, metricsPort, secretsFrom, liveReplay, killBeforeAnnounce } = settings;
  if (secretsFrom === 'none') {
    logger.warn('SECRETS_KEY is not set: webhook secrets cannot be stored, so creating webhooks is refused and existing ones are held. Set SECRETS_KEY to 32 random bytes (openssl rand -hex 32).');
  } else if (secretsFrom === 'derived') {
    logger.warn('!!! SECRETS_KEY is not set: demo on PostgreSQL, signing keys and webhook secrets are encrypted with a key derived from TOKEN_SECRET. A production server must set SECRETS_KEY (openssl rand -hex 32); without DEMO this database gets no key and signs nothing. !!!');
  } else if (secretsFrom === 'file') {
    logger.warn({ file: join(dataRoot, 'secrets.key') }, 'SECRETS_KEY is not set: webhook secrets are encrypted with a key kept in the data folder (demo only)');
  }
  if (!secretFromEnv) {
    // Only reachable in the demo (PGlite, not production): secretProblem refuses it elsewhere.
    logger.warn('!!! TOKEN_SECRET is not set: demo mode, tokens are signed with the public demo secret. Never put real data in this instance. !!!');
  }
  if (!config.databaseUrl) mkdirSync(dataRoot, { recursive: true });
  logger.info(config.databaseUrl
    ? { database: 'postgres' }
    : { database: 'pglite', dir: config.dataDir, note: 'PGlite runs with fsync off: not crash-safe; use DATABASE_URL (PostgreSQL) in production' },
  'opening the database');
  const database = await openDatabase(config.databaseUrl ? { url: config.databaseUrl, logger } : { dataDir: config.dataDir });
  if (config.demo && !config.citizenDataUrl) {
    // The demo's shared databases: the simulator with its invented people (docs/papers.md).
    const sim = await startPopulationSimulator({ port: 0 });
    config.citizenDataUrl = sim.url;
    config.citizenDataToken = sim.token;
    logger.info({ url: sim.url }, 'demo: population and civil-status simulator started');
  }
  const deps: Deps = {
    database, db: database.db, clock: systemClock, config, logger,
    bus: new Bus(), directory: new Directory(database.db, systemClock),
  };

  if (killBeforeAnnounce !== null) armKillBeforeAnnounce(deps.bus, killBeforeAnnounce, logger);

  if (config.demo && (await isEmptyDatabase(deps))) {
    logger.info({ dossiers: demoDossiers }, 'fresh database: seeding the demo province (once)');
    const s = await seedDemo(deps, { now: systemClock.now(), dossiers: demoDossiers });
    logger.info({ ms: s.ms, units: s.units, users: s.people.length, procedures: s.procedures, dossiers: s.dossiers, linked: s.linked, failed: s.failed }, 'demo data ready');
  }

  // The demo's local CA and certificates, on first start (an existing demo database gets them too).
  if (config.demo) await ensureDemoPki(deps);

  // Before serving: settle what a crash left in the upload folder (staged files of dead processes).
  const blobs = createBlobStore(config);
  const swept = await sweepOrphans(deps, blobs);
  if (swept.promoted || swept.removed) logger.info(swept, 'uploads: orphan files settled at start');

  await encryptLegacySecrets(deps);
  // No provider configured: the demo runs its own, a real OpenID Connect provider (citizens/devProvider.ts).
  let devProvider: DevProvider | null = null;
  if (!config.oidc && config.demo) {
    const devPort = integer('OIDC_DEV_PORT', config.port === 0 ? 0 : config.port + 1, 0, 65_535);
    devProvider = await startDevProvider({
      port: devPort, host: env['OIDC_DEV_HOST']?.trim() || '127.0.0.1', redirectUris: [`${config.publicUrl}/api/oidc/callback`], people: DEMO_CITIZENS,
    });
    config.oidc = {
      issuer: devProvider.issuer, clientId: devProvider.clientId, clientSecret: devProvider.clientSecret,
      personalIdClaim: DEMO_PERSONAL_ID_CLAIM, scope: 'profile email phone vneid', allowHttp: true,
    };
    logger.info({ issuer: devProvider.issuer }, 'demo OpenID Connect provider started (set OIDC_ISSUER for a real one)');
  }
  if (devProvider) await linkDemoOfficers(deps, devProvider.people);
  const { app, metrics } = createApp(deps);
  const server = httpServer(app);
  const realtime = await attachRealtime(server, deps);
  // Before any claim: releases the webhook claims of dead processes when this one is alone.
  const liveness = await startLiveness(deps);
  const announcements = startAnnouncements(deps, {
    replayEveryMs: liveReplay.everyMs, graceMs: liveReplay.graceMs, ...(liveness.alone ? { startGraceMs: 0 } : {}),
  });
  const port = await listen(server, config.port);
  const portalSimulator = await startPortalDemo(deps, env);
  const jobs = startBackgroundJobs(deps);
  const metricsHost = env['METRICS_HOST']?.trim() || '127.0.0.1';
  const metricsServer = metricsPort === null ? null : await serveMetrics(metrics, metricsPort, metricsHost);
  if (metricsServer) logger.info({ url: `http://${metricsHost}:${metricsPort}/metrics` }, 'metrics on the internal port');
  const checkpoints = startCheckpointJob(deps);
  const orphanSweep = startOrphanSweep(deps, blobs);
  const draftExpiry = startDraftExpiry(deps, blobs);
  // PORT=0 picks a free port: only now is the default public URL (printed on slips) known.
  if (!env['PUBLIC_URL']?.trim()) config.publicUrl = `http://localhost:${port}`;
  const url = config.publicUrl;
  // The demo's payment gateway: the local VNPay simulator, unless a real provider is configured.
  const simulator = config.payment || !config.demo ? null : await startVnpaySimulator({
    tmnCode: 'MOTCUA01', hashSecret: 'motcua-demo-vnpay-hash-secret', ipnUrl: `http://127.0.0.1:${port}/api/payments/vnpay/ipn`,
    port: integer('PAYMENT_SIMULATOR_PORT', 0, 0, 65_535),
  });
  if (simulator) {
    config.payment = { provider: 'vnpay', payUrl: simulator.payUrl, tmnCode: 'MOTCUA01', hashSecret: 'motcua-demo-vnpay-hash-secret' };
    logger.info({ payUrl: simulator.payUrl }, 'demo payments go to the local VNPay simulator');
  }
  if (config.mail?.url.startsWith('file:')) logger.info({ mailbox: config.mail.url.slice(5) }, 'demo emails are written as .eml files to this folder');
  banner(logger, url, config, devProvider);

  let stoppingSince = 0;
  const shutdown = async (signal: string): Promise<void> => {
    if (stoppingSince) {
      // npm forwards the terminal's Ctrl-C, so one press arrives twice: only a later one forces the exit.
      if (performance.now() - stoppingSince < 1500) return;
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stoppingSince = performance.now();
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error('shutdown took longer than 10 s: exiting');
      process.exit(1);
    }, 10_000);
    force.unref();
    let code = 0;
    const stage = async (name: string, work: () => Promise<void>) => {
      try {
        await work();
        logger.info({ stage: name }, 'stopped');
      } catch (err) {
        code = 1;
        logger.error({ err, stage: name }, 'error while shutting down');
      }
    };
    await stage('jobs', () => jobs.stop());
    await stage('announcements', () => announcements.stop());
    await stage('liveness', () => liveness.stop());
    await stage('checkpoints', () => checkpoints.stop());
    await stage('uploads', () => orphanSweep.stop());
    await stage('drafts', () => draftExpiry.stop());
    await stage('realtime', () => realtime.close());
    if (simulator) await stage('payment simulator', () => simulator.close());
    await stage('http', () => new Promise<void>((ok, fail) => {
      if (!server.listening) return ok();
      server.close((e) => (e ? fail(e) : ok()));
      server.closeIdleConnections();
      // Requests still running get a moment to finish, then their connections are cut.
      setTimeout(() => server.closeAllConnections(), 3000).unref();
    }));
    if (metricsServer) await stage('metrics', () => new Promise<void>((ok) => { metricsServer.close(() => ok()); metricsServer.closeAllConnections(); }));
    if (devProvider) await stage('oidc', () => devProvider.close());
    if (portalSimulator) await stage('portal simulator', () => portalSimulator.stop());
    await stage('database', () => database.close());
    clearTimeout(force);
    logger.info('stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((e: unknown) => {
  pino().fatal(e instanceof ConfigError ? e.message : { err: e }, 'motcua could not start');
  process.exit(1);
});
