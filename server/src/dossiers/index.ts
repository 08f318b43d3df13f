/**
 * The dossier wing's outward door for what service.ts does not carry: the history chain's
 * check, the public lookup, reading a stored dossier, and the visibility rule as rooms.
 */
export { verifyChain, type ChainProblem, type HistoryRow } from './chain';
export { lookUp, type Factor } from './lookup';
export { loadDossier, type DossierRow } from './repo';
export { lensesOf, ownRooms } from './visibility';
