/**
 * The CMS signature inside a PAdES signature (ETSI EN 319 142-1, baseline B-B): SignedData,
 * detached, over the PDF's byte range, with the signed attributes content-type, message-digest
 * and ESS signing-certificate-v2 (the hash of the signer's certificate, so it cannot be swapped),
 * and no signing-time attribute (PAdES puts the claimed time in the signature dictionary's /M).
 * Built with pkijs; the private-key operation is the `SigningKey`'s, so a remote-signing
 * service or an HSM signs the same bytes a local key would.
 */
import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  sha256: '2.16.840.1.101.3.4.2.1',
  rsa: '1.2.840.113549.1.1.1',
  sha256WithRsa: '1.2.840.113549.1.1.11',
} as const;

/** A key that signs: its certificate chain (signer first, DER) and the private-key operation. */
export interface SigningKey {
  chain: Buffer[];
  /** RSASSA-PKCS1-v1_5 with SHA-256 over `data` (the DER of the signed attributes). */
  sign(data: Uint8Array): Promise<Uint8Array>;
}

const ab = (b: Uint8Array): ArrayBuffer => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

/** Certificates parsed for signing, by their DER (base64): the same few unit and officer certificates sign all day. */
const parsed = new Map<string, pkijs.Certificate>();
const MAX_PARSED = 1_000;

export function parseCertificate(der: Buffer): pkijs.Certificate {
  return pkijs.Certificate.fromBER(ab(der));
}

/**
 * A signer's certificate, parsed once per process: parsing a chain with pkijs took a third of
 * the CPU time of a signature. The object is only read (its issuer, serial number and
 * encoding), never changed, so sharing it gives the same bytes.
 */
function signingCertificate(der: Buffer): pkijs.Certificate {
  const key = der.toString('base64');
  let cert = parsed.get(key);
  if (!cert) {
    if (parsed.size >= MAX_PARSED) parsed.clear();
    cert = parseCertificate(der);
    // pkijs rebuilds a certificate's schema from its bytes whenever SignedData is encoded; the
    // schema decoded once serialises back to the same DER, so it is decoded once too.
    const schema = asn1js.fromBER(ab(der)).result;
    cert.toSchema = () => schema as asn1js.Sequence;
    parsed.set(key, cert);
  }
  return cert;
}

/** The CMS SignedData (DER) of a detached CAdES signature over `content`. */
export async function cadesSign(content: Uint8Array, key: SigningKey): Promise<Buffer> {
  const [signerDer, ...rest] = key.chain;
  if (!signerDer) throw new Error('A signing key needs its certificate');
  const signer = signingCertificate(signerDer);
  const digest = createHash('sha256').update(content).digest();
  const certHash = createHash('sha256').update(signerDer).digest();
  const essCertIdV2 = new asn1js.Sequence({ value: [
    // hashAlgorithm omitted: its default is SHA-256 (RFC 5035).
    new asn1js.OctetString({ valueHex: ab(certHash) }),
    new asn1js.Sequence({ value: [
      new asn1js.Sequence({ value: [new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 4 }, value: [signer.issuer.toSchema()] })] }),
      new asn1js.Integer({ valueHex: signer.serialNumber.valueBlock.valueHexView.slice().buffer as ArrayBuffer }),
    ] }),
  ] });
  const signedAttrs = new pkijs.SignedAndUnsignedAttributes({
    type: 0,
    attributes: [
      new pkijs.Attribute({ type: OID.contentType, values: [new asn1js.ObjectIdentifier({ value: OID.data })] }),
      new pkijs.Attribute({ type: OID.messageDigest, values: [new asn1js.OctetString({ valueHex: ab(digest) })] }),
      new pkijs.Attribute({ type: OID.signingCertificateV2, values: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertIdV2] })] })] }),
    ],
  });
  // The signature is over the attributes encoded as a SET (tag 0x31), not as the [0] field.
  const tbs = new Uint8Array(signedAttrs.toSchema().toBER());
  tbs[0] = 0x31;
  const signature = await key.sign(tbs);
  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({ issuer: signer.issuer, serialNumber: signer.serialNumber }),
    digestAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 }),
    signedAttrs,
    signatureAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256WithRsa, algorithmParams: new asn1js.Null() }),
    signature: new asn1js.OctetString({ valueHex: ab(signature) }),
  });
  const signed = new pkijs.SignedData({
    version: 1,
    digestAlgorithms: [new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 })],
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
    certificates: [signer, ...rest.map(signingCertificate)],
    signerInfos: [signerInfo],
  });
  const info = new pkijs.ContentInfo({ contentType: OID.signedData, content: signed.toSchema(true) });
  return Buffer.from(info.toSchema().toBER());
}

export interface CadesCheck {
  /** The message digest and the signature over the signed attributes both hold. */
  valid: boolean;
  signer: Buffer | null;
  /** Why it does not hold, when it does not. */
  problem: string | null;
}

/** Verifies a detached CMS signature over `content` with pkijs's own verifier (not the certificate's trust). */
export async function cadesVerify(cms: Uint8Array, content: Uint8Array): Promise<CadesCheck> {
  let signed: pkijs.SignedData;
  try {
    const info = pkijs.ContentInfo.fromBER(ab(cms));
    if (info.contentType !== OID.signedData) return { valid: false, signer: null, problem: 'not a CMS SignedData' };
    signed = new pkijs.SignedData({ schema: info.content });
  } catch (e) {
    return { valid: false, signer: null, problem: `unreadable signature: ${(e as Error).message}` };
  }
  const cert = signed.certificates?.find((c): c is pkijs.Certificate => c instanceof pkijs.Certificate) ?? null;
  const signerDer = cert ? Buffer.from(cert.toSchema().toBER()) : null;
  try {
    const r = await signed.verify({ signer: 0, data: ab(content), checkChain: false, extendedMode: true });
    return { valid: !!r.signatureVerified, signer: signerDer, problem: r.signatureVerified ? null : r.message };
  } catch (e) {
    return { valid: false, signer: signerDer, problem: (e as Error).message };
  }
}
