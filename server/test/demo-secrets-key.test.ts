/**
 * The demo on PostgreSQL without SECRETS_KEY (server/src/main.ts): it derives its key from
 * TOKEN_SECRET so its demo dossiers get signed results, and nothing else does — not a server
 * without DEMO, not NODE_ENV=production, not one without a token secret.
 */
import { describe, expect, it } from 'vitest';
import { decryptSecret, demoSecretsKey, encryptSecret } from '../src/outbox/secrets';

const TOKEN = 'a-token-secret-of-the-demo-0123456789abcdef';

describe('the demo\'s derived SECRETS_KEY', () => {
  it('should derive a stable 32-byte key for a demo on a database, distinct from the token secret', () => {
    const a = demoSecretsKey({ demoOnDatabase: true, nodeEnv: undefined, tokenSecret: TOKEN });
    const b = demoSecretsKey({ demoOnDatabase: true, nodeEnv: 'development', tokenSecret: TOKEN });
    expect(a?.length).toBe(32);
    expect(b?.equals(a!)).toBe(true);
    expect(a!.toString('utf8')).not.toContain(TOKEN.slice(0, 8));
    // another token secret, another key: what one encrypted the other does not open
    const other = demoSecretsKey({ demoOnDatabase: true, nodeEnv: undefined, tokenSecret: `${TOKEN}x` })!;
    const sealed = encryptSecret(a!, 'row', 'secret');
    expect(decryptSecret(a!, 'row', sealed)).toBe('secret');
    expect(() => decryptSecret(other, 'row', sealed)).toThrow();
  });

  it('should refuse outside the demo: no DEMO, NODE_ENV=production, or no token secret', () => {
    expect(demoSecretsKey({ demoOnDatabase: false, nodeEnv: undefined, tokenSecret: TOKEN })).toBeNull();
    expect(demoSecretsKey({ demoOnDatabase: true, nodeEnv: 'production', tokenSecret: TOKEN })).toBeNull();
    expect(demoSecretsKey({ demoOnDatabase: true, nodeEnv: undefined, tokenSecret: undefined })).toBeNull();
  });
});
