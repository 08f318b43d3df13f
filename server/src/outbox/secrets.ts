/**
 * Webhook secrets at rest: AES-256-GCM with the key from SECRETS_KEY (32 bytes, hex or
 * base64), the subscription id as associated data (a ciphertext copied onto another row does
 * not decrypt). Stored as `enc:v1:<iv>:<ciphertext+tag>` (base64url). Rows written before
 * encryption hold the plain secret; `encryptLegacySecrets` rewrites them at start.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { and, eq, like, not } from 'drizzle-orm';
import { webhookSubscriptions } from '../db/schema';
import type { Deps } from '../deps';

const PREFIX = 'enc:v1:';

/** Parses SECRETS_KEY: 64 hex digits or base64(url) of 32 bytes. */
export function parseSecretsKey(text: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (key.length !== 32) throw new Error('SECRETS_KEY must be 32 random bytes, as 64 hex digits or base64 (e.g. `openssl rand -hex 32`)');
  return key;
}

/**
 * The key a demo on PostgreSQL uses when SECRETS_KEY is not set (main.ts): derived from
 * TOKEN_SECRET, which such a server requires and keeps, so the demo's signing keys survive a
 * restart. Null — no key, nothing signed — unless it is a demo on a database, with a token
 * secret, and NODE_ENV is not production: a production server must set SECRETS_KEY.
 */
export function demoSecretsKey(o: { demoOnDatabase: boolean; nodeEnv: string | undefined; tokenSecret: string | undefined }): Buffer | null {
  if (!o.demoOnDatabase || o.nodeEnv === 'production' || !o.tokenSecret) return null;
  return Buffer.from(hkdfSync('sha256', o.tokenSecret, 'motcua', 'motcua demo SECRETS_KEY (signing keys, webhook secrets)', 32));
}

export const isEncrypted = (stored: string): boolean => stored.startsWith(PREFIX);

export function encryptSecret(key: Buffer, subscriptionId: string, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(subscriptionId, 'utf8'));
  const data = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `${PREFIX}${iv.toString('base64url')}:${data.toString('base64url')}`;
}

/** The plain secret; throws when the key is missing or wrong, or the value was tampered with. */
export function decryptSecret(key: Buffer | null, subscriptionId: string, stored: string): string {
  if (!isEncrypted(stored)) return stored; // written before encryption; rewritten at start
  if (!key) throw new Error('The webhook secret is encrypted and SECRETS_KEY is not set');
  const [iv, data] = stored.slice(PREFIX.length).split(':').map((p) => Buffer.from(p, 'base64url'));
  if (!iv || !data || data.length < 16) throw new Error('The stored webhook secret is malformed');
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(Buffer.from(subscriptionId, 'utf8'));
  decipher.setAuthTag(data.subarray(data.length - 16));
  try {
    return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString('utf8');
  } catch {
    throw new Error('The webhook secret does not decrypt with SECRETS_KEY (another key, or the row was altered)');
  }
}

/** Encrypts the secrets still stored in plain text (from before encryption); returns how many. */
export async function encryptLegacySecrets(deps: Deps): Promise<number> {
  const key = deps.config.secretsKey;
  if (!key) return 0;
  const rows = await deps.db.select({ id: webhookSubscriptions.id, secret: webhookSubscriptions.secret }).from(webhookSubscriptions)
    .where(not(like(webhookSubscriptions.secret, `${PREFIX}%`)));
  for (const r of rows) {
    await deps.db.update(webhookSubscriptions).set({ secret: encryptSecret(key, r.id, r.secret) })
      .where(and(eq(webhookSubscriptions.id, r.id), eq(webhookSubscriptions.secret, r.secret)));
  }
  if (rows.length) deps.logger.info({ subscriptions: rows.length }, 'webhook secrets stored in plain text were encrypted');
  return rows.length;
}
