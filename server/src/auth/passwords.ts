import { hash, verify } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';

/** Argon2id hash of a password (side effect: CPU only). */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

/** Password verifications run by this process (argon2 work), for metrics and for the test that every login pays it. */
export const passwordChecks = { count: 0 };

/** Whether a password matches a stored hash; false on a malformed hash. */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  passwordChecks.count++;
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | null = null;

/**
 * A hash of a random password, made once per process: logins for unknown usernames are
 * checked against it, so they cost the same time as logins for real ones.
 */
export function dummyHash(): Promise<string> {
  dummy ??= hash(randomBytes(16).toString('hex'));
  return dummy;
}
