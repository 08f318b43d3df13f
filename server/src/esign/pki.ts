/**
 * The local certification authority of the demo and of tests (docs/esign.md): RSA keys, X.509
 * certificates for officers (personal signatures) and units (the organisation's seal), and the
 * CA's certificate revocation list. A province using a licensed public CA (Decree 23/2025)
 * keeps only the certificates here and signs through the remote-signing interface instead.
 */
// @peculiar/x509 resolves its algorithms through tsyringe, which needs the Reflect metadata API.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);
const subtle = webcrypto.subtle;

/** RSA 2048 with SHA-256: what Vietnamese public CAs issue and every PDF reader verifies. */
export const RSA_ALG = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 } as const;

export type HolderKind = 'ca' | 'unit' | 'officer';

export interface Subject {
  /** The holder's name as printed: the officer's full name, or the unit's name for a seal. */
  commonName: string;
  /** The unit (organisation) the certificate belongs to. */
  unitCode?: string;
  unitName?: string;
  /** The officer's user id (certificate attribute UID). */
  userId?: string;
}

export interface IssuedKey {
  cert: x509.X509Certificate;
  /** PKCS#8 DER of the private key (encrypted before it is stored: ./keys.ts). */
  pkcs8: Buffer;
}

function name(s: Subject): x509.JsonName {
  const n: x509.JsonName = [{ C: ['VN'] }];
  if (s.unitName) n.push({ O: [s.unitName] });
  if (s.unitCode) n.push({ OU: [s.unitCode] });
  if (s.userId) n.push({ '0.9.2342.19200300.100.1.1': [s.userId] });
  n.push({ CN: [s.commonName] });
  return n;
}

async function newKeys(): Promise<CryptoKeyPair> {
  return subtle.generateKey(RSA_ALG, true, ['sign', 'verify']) as Promise<CryptoKeyPair>;
}

async function pkcs8(key: CryptoKey): Promise<Buffer> {
  return Buffer.from(await subtle.exportKey('pkcs8', key));
}

export async function importPrivateKey(der: Buffer): Promise<CryptoKey> {
  return subtle.importKey('pkcs8', der, { name: RSA_ALG.name, hash: RSA_ALG.hash }, false, ['sign']) as Promise<CryptoKey>;
}

/** A serial of 16 random bytes, positive, as hex. */
function serial(): string {
  const b = webcrypto.getRandomValues(new Uint8Array(16));
  b[0] = (b[0] as number) & 0x7f | 0x10;
  return Buffer.from(b).toString('hex');
}

/** A self-signed root for the demo and tests. */
export async function createCa(commonName: string, notBefore: Date, notAfter: Date): Promise<IssuedKey> {
  const keys = await newKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(), name: name({ commonName }), notBefore, notAfter, keys, signingAlgorithm: RSA_ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert, pkcs8: await pkcs8(keys.privateKey) };
}

/** A signing certificate for an officer or a unit, issued by the CA, naming where its CRL is published. */
export async function issueCertificate(ca: { cert: x509.X509Certificate; key: CryptoKey }, subject: Subject, notBefore: Date, notAfter: Date, crlUrl: string): Promise<IssuedKey> {
  const keys = await newKeys();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(), subject: name(subject), issuer: ca.cert.subjectName, notBefore, notAfter,
    publicKey: keys.publicKey, signingKey: ca.key, signingAlgorithm: RSA_ALG,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(ca.cert),
      new x509.CRLDistributionPointsExtension([crlUrl]),
    ],
  });
  return { cert, pkcs8: await pkcs8(keys.privateKey) };
}

export interface Revocation { serial: string; at: Date }

/** The CA's certificate revocation list as of `thisUpdate`. */
export async function createCrl(ca: { cert: x509.X509Certificate; key: CryptoKey }, revoked: Revocation[], thisUpdate: Date, nextUpdate: Date): Promise<x509.X509Crl> {
  return x509.X509CrlGenerator.create({
    issuer: ca.cert.subjectName, thisUpdate, nextUpdate, signingKey: ca.key, signingAlgorithm: RSA_ALG,
    entries: revoked.map((r) => ({ serialNumber: r.serial, revocationDate: r.at, reason: x509.X509CrlReason.keyCompromise })),
  });
}

export { x509 };
