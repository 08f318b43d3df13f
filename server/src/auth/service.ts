/**
 * The auth feature's door for other features (citizens' single sign-on): loading an
 * officer, opening their session, revoking it, the secrets tokens are verified with.
 */
export { loadUser, requireRoleAt } from './middleware';
export { issueSession } from './session';
export { verificationSecrets } from './tokens';
export { revokeTokens } from './revocation';
export { userByUsername } from './repo';
