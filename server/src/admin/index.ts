/** What other features use of the administration: delegations in force (for signing authority). */
export { activeDelegationsFor } from './delegations';
