/**
 * The dossier wing's outward door for what other features need beside service.ts: the
 * history chain's check, the public lookup, reading a stored dossier, the visibility rule as
 * rooms, and for online submission (../online) the desk's intake and actions, the uploads'
 * checks and storage, and the idempotent runner.
 */
export { verifyChain, type ChainProblem, type HistoryRow } from './chain';
export { lookUp, type Factor } from './lookup';
export { loadDossier, type DossierRow } from './repo';
export { audienceSees, lensesOf, ownRooms, sees } from './visibility';
export { intake, prefetchIntake, act, intakePapers, history, rate, type Committed, type IntakeInput } from './service';
export { earlierAnswer, runOnce, type AnswerFor } from './idempotency';
export { UPLOAD_ERRORS, acceptUpload, uploadParser, storeDocument } from './files';
export { dossierCache } from './cache';
export { receive } from './files';
export { addressOf, hasFactor } from './lookup';
export { IdParams, LookupBody } from './schemas';
export { trimmedInputs, withInputsAt } from './actionInputs';
