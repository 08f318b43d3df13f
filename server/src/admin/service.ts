/**
 * The administration feature's front door for the other features: the administrator's
 * scope, its errors, password rules, and the delegations in force.
 */
export { adminScope, conflict, instant, invalidField, isRootAdmin, requireInScope } from './common';
export { checkPassword } from './users';
export { PasswordBody, UnitCodeParams } from './schemas';
export { activeDelegationsFor } from './delegations';
