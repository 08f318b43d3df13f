/**
 * The authentication feature's front door for the other features: who a user is and what
 * they may see, the tokens and sessions that say so, passwords, and revoking access.
 */
export { ROLES, actorOf, currentUser, loadUser, requireRoleAt, visibleUnits, type AuthUser, type Role } from './middleware';
export { hashPassword } from './passwords';
export { accessChanged, revokeTokens } from './revocation';
export { verificationSecrets, verifyToken } from './tokens';
export { issueSession } from './session';
export { userByUsername } from './repo';
