/**
 * The key that signs history checkpoints: Ed25519, so an auditor checks a checkpoint with
 * the public key alone (exported beside the checkpoints) and cannot make one.
 *
 * HISTORY_SIGNING_KEY is the 32-byte private seed (64 hex characters or base64). Without
 * it the seed is derived from TOKEN_SECRET (HKDF-SHA256): the demo gets a key with no
 * setting, and a server with a secret TOKEN_SECRET a secret key — but rotating the token
 * secret then changes the checkpoint key too, so production sets its own. Checkpoints
 * signed with an earlier key verify when its public key is listed in HISTORY_PUBLIC_KEYS.
 */
import { createHash, createPrivateKey, createPublicKey, hkdfSync, sign, verify, type KeyObject } from 'node:crypto';

/** DER header of a PKCS#8 Ed25519 private key, before its 32-byte seed (RFC 8410). */
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');
/** DER header of an SPKI Ed25519 public key, before its 32 bytes. */
const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex');

export interface SigningKey {
  /** First 16 hex characters of sha256(public key): names the key in each checkpoint. */
  keyId: string;
  /** The raw 32-byte public key, base64. */
  publicKey: string;
  sign(text: string): string;
}

export interface HistoryKeys {
  signer: SigningKey;
  /** Keys whose signatures are accepted, by key id: the signer's and the listed earlier ones. */
  verifiers: Map<string, { publicKey: string; key: KeyObject }>;
}

const keyIdOf = (raw: Buffer): string => createHash('sha256').update(raw).digest('hex').slice(0, 16);

/** 32 bytes from 64 hex characters or base64; null when it is neither. */
export function decodeKey(text: string): Buffer | null {
  const t = text.trim();
  const bytes = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : /^[A-Za-z0-9+/_-]{43}=?$/.test(t) ? Buffer.from(t, 'base64') : null;
  return bytes?.length === 32 ? bytes : null;
}

function publicKeyObject(raw: Buffer): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519, raw]), format: 'der', type: 'spki' });
}

export function historyKeys(options: { signingKey: string | null; publicKeys: string[]; tokenSecret: string }): HistoryKeys {
  let seed: Buffer;
  if (options.signingKey) {
    const decoded = decodeKey(options.signingKey);
    if (!decoded) throw new Error('HISTORY_SIGNING_KEY must be 32 bytes: 64 hex characters or base64');
    seed = decoded;
  } else {
    seed = Buffer.from(hkdfSync('sha256', options.tokenSecret, 'motcua', 'motcua history checkpoints v1', 32));
  }
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, seed]), format: 'der', type: 'pkcs8' });
  const raw = createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).subarray(SPKI_ED25519.length);
  const signer: SigningKey = {
    keyId: keyIdOf(raw),
    publicKey: raw.toString('base64'),
    sign: (text) => sign(null, Buffer.from(text, 'utf8'), privateKey).toString('base64'),
  };
  const verifiers = new Map([[signer.keyId, { publicKey: signer.publicKey, key: publicKeyObject(raw) }]]);
  for (const text of options.publicKeys) {
    const pub = decodeKey(text);
    if (!pub) throw new Error(`HISTORY_PUBLIC_KEYS: "${text}" is not a 32-byte key (64 hex characters or base64)`);
    verifiers.set(keyIdOf(pub), { publicKey: pub.toString('base64'), key: publicKeyObject(pub) });
  }
  return { signer, verifiers };
}

/** Whether `signature` (base64) is the key's Ed25519 signature of `text`. */
export function checkSignature(key: KeyObject, text: string, signature: string): boolean {
  try {
    return verify(null, Buffer.from(text, 'utf8'), key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
