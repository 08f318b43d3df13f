/**
 * Signing keys: certificates and private keys of the local CA, units (seals) and officers.
 *
 * A private key is kept encrypted at rest: AES-256-GCM with SECRETS_KEY (the same key as other
 * secrets at rest; the demo and tests use the public demo key of config.ts, never production),
 * the certificate serial as associated data so a ciphertext moved to another row does not
 * decrypt. The private-key operation goes through a `SigningService`: `localSigning` here, and
 * a remote-signing ("ký số từ xa") or HSM service implements the same interface, where the key
 * never leaves the provider and the row holds only the certificate (`privateKey` null).
 */
import { createCipheriv, createDecipheriv, randomBytes, webcrypto } from 'node:crypto';
import type { Deps } from '../deps';
import { HttpError } from '../http/errors';
import type { SigningKey } from './cades';
import { createCa, createCrl, importPrivateKey, issueCertificate, x509, type HolderKind, type Subject } from './pki';
import { insertKey, keyBySerial, latestKey, revokedKeys, unitsAndLeaders, type KeyRow } from './repo';

const PREFIX = 'enc:v1:';

function secretsKey(deps: Deps): Buffer {
  const key = deps.config.secretsKey;
  if (!key) {
    throw new HttpError(503, 'SIGNING_UNAVAILABLE', {
      vi: 'Máy chủ chưa được cấu hình khóa bảo vệ (SECRETS_KEY) nên không ký số được', en: 'The server has no SECRETS_KEY, so it cannot sign',
    });
  }
  return key;
}

export function encryptKey(key: Buffer, serial: string, pkcs8: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(serial, 'utf8'));
  const data = Buffer.concat([cipher.update(pkcs8), cipher.final(), cipher.getAuthTag()]);
  return `${PREFIX}${iv.toString('base64url')}:${data.toString('base64url')}`;
}

export function decryptKey(key: Buffer, serial: string, stored: string): Buffer {
  const [iv, data] = stored.startsWith(PREFIX) ? stored.slice(PREFIX.length).split(':').map((p) => Buffer.from(p, 'base64url')) : [];
  if (!iv || !data || data.length < 16) throw new Error(`The private key of certificate ${serial} is malformed`);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(Buffer.from(serial, 'utf8'));
  decipher.setAuthTag(data.subarray(data.length - 16));
  try {
    return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]);
  } catch {
    throw new Error(`The private key of certificate ${serial} does not decrypt with SECRETS_KEY (another key, or the row was altered)`);
  }
}

/** Where private-key operations happen: locally (encrypted keys in the database) or at a remote-signing provider. */
export interface SigningService {
  /** A key that signs with the certificate of `row`, its chain up to the CA. */
  keyFor(deps: Deps, row: KeyRow): Promise<SigningKey>;
}

const der = (pem: string): Buffer => Buffer.from(new x509.X509Certificate(pem).rawData);

export const localSigning: SigningService = {
  async keyFor(deps, row) {
    if (!row.privateKey) {
      throw new HttpError(422, 'SIGNING_KEY_REMOTE', {
        vi: `Khóa của chứng thư số ${row.serial} do dịch vụ ký số từ xa giữ; máy chủ này không ký thay được`,
        en: `The key of certificate ${row.serial} is held by a remote-signing service; this server cannot sign with it`,
      });
    }
    const key = await importPrivateKey(decryptKey(secretsKey(deps), row.serial, row.privateKey));
    const ca = await caRow(deps);
    return {
      chain: [der(row.certificate), ...(ca && ca.serial !== row.serial ? [der(ca.certificate)] : [])],
      sign: async (data) => new Uint8Array(await webcrypto.subtle.sign('RSASSA-PKCS1-v1_5', key, data)),
    };
  },
};

export async function caRow(deps: Deps): Promise<KeyRow | undefined> {
  return latestKey(deps.db, 'ca', 'ca');
}

async function store(deps: Deps, kind: HolderKind, holder: string, unit: string | null, issued: { cert: x509.X509Certificate; pkcs8: Buffer }): Promise<KeyRow> {
  const serial = issued.cert.serialNumber.toLowerCase();
  const row = {
    serial, holderKind: kind, holder, unit, subject: issued.cert.subject,
    certificate: issued.cert.toString('pem'), privateKey: encryptKey(secretsKey(deps), serial, issued.pkcs8),
    notBefore: issued.cert.notBefore.toISOString(), notAfter: issued.cert.notAfter.toISOString(), revokedAt: null,
    createdAt: deps.clock.now().toISOString(),
  };
  await insertKey(deps.db, row);
  return row;
}

const YEAR_MS = 365 * 24 * 3600 * 1000;
export const crlUrl = (deps: Deps): string => `${deps.config.publicUrl.replace(/\/$/, '')}/api/public/esign/crl`;

/** The local CA, created on first use (10 years). */
export async function ensureCa(deps: Deps): Promise<KeyRow> {
  const found = await caRow(deps);
  if (found) return found;
  const now = deps.clock.now();
  return store(deps, 'ca', 'ca', null, await createCa('motcua – CA thử nghiệm (demo, không có giá trị pháp lý)', new Date(now.getTime() - YEAR_MS), new Date(now.getTime() + 10 * YEAR_MS)));
}

async function caSigner(deps: Deps): Promise<{ cert: x509.X509Certificate; key: CryptoKey }> {
  const ca = await ensureCa(deps);
  if (!ca.privateKey) throw new Error('The CA key is not held here');
  return { cert: new x509.X509Certificate(ca.certificate), key: await importPrivateKey(decryptKey(secretsKey(deps), ca.serial, ca.privateKey)) };
}

/** Issues a certificate from the local CA to an officer or a unit; `validity` defaults to 2 years from now. */
export async function issueLocalCertificate(
  deps: Deps, kind: 'unit' | 'officer', holder: string, subject: Subject, validity?: { notBefore: Date; notAfter: Date },
): Promise<KeyRow> {
  const now = deps.clock.now();
  const issued = await issueCertificate(await caSigner(deps), subject,
    validity?.notBefore ?? new Date(now.getTime() - 3600_000), validity?.notAfter ?? new Date(now.getTime() + 2 * YEAR_MS), crlUrl(deps));
  return store(deps, kind, holder, subject.unitCode ?? null, issued);
}

/**
 * The demo's PKI on first start: the CA, a seal certificate per unit and a personal certificate
 * per leader (for each unit they lead). Certificates already there are kept.
 */
export async function ensureDemoPki(deps: Deps, from?: Date): Promise<{ created: number }> {
  // A demo on a production database without SECRETS_KEY starts without signing keys (signing
  // answers 503, as the log says at start) rather than not at all.
  if (!deps.config.secretsKey) return { created: 0 };
  await ensureCa(deps);
  const now = deps.clock.now();
  // The demo's history starts months back: its certificates are valid from before it.
  const validity = from ? { notBefore: from, notAfter: new Date(now.getTime() + 2 * YEAR_MS) } : undefined;
  const { units, leaders } = await unitsAndLeaders(deps.db);
  const names = new Map(units.map((u) => [u.code, u.name]));
  let created = 0;
  for (const u of units) {
    if (await latestKey(deps.db, 'unit', u.code)) continue;
    await issueLocalCertificate(deps, 'unit', u.code, { commonName: u.name, unitCode: u.code, unitName: u.name }, validity);
    created++;
  }
  for (const l of leaders) {
    const mine = await latestKey(deps.db, 'officer', l.id);
    if (mine) continue;
    await issueLocalCertificate(deps, 'officer', l.id, { commonName: l.name, userId: l.id, unitCode: l.unit, unitName: names.get(l.unit) ?? l.unit }, validity);
    created++;
  }
  return { created };
}

/** The CA's CRL now (DER), signed by the CA: every revoked serial with its revocation time. */
export async function currentCrl(deps: Deps): Promise<x509.X509Crl> {
  const now = deps.clock.now();
  const revoked = await revokedKeys(deps.db);
  return createCrl(await caSigner(deps), revoked.map((r) => ({ serial: r.serial, at: new Date(r.revokedAt) })), now, new Date(now.getTime() + 24 * 3600_000));
}

/** When the CA's published CRL says `serial` was revoked (checked against the signed CRL, its signature verified), or null. */
export async function revokedAtByCrl(deps: Deps, serial: string): Promise<Date | null> {
  const crl = await currentCrl(deps);
  const ca = await ensureCa(deps);
  if (!(await crl.verify({ publicKey: new x509.X509Certificate(ca.certificate).publicKey }))) throw new Error('The CRL does not verify with the CA key');
  const entry = crl.findRevoked(serial);
  return entry ? entry.revocationDate : null;
}

export { keyBySerial, latestKey };
