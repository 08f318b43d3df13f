/**
 * The dossier wing's door for online submission (../online): the desk's intake and actions,
 * the uploads' checks and storage, the idempotent runner, the history, the rating rule.
 */
export { intake, act, intakePapers, history, rate, type IntakeInput, type DossierRow } from './service';
export { loadDossier } from './repo';
export { runOnce } from './idempotency';
export { acceptUpload, uploadParser, storeDocument } from './files';
export { dossierCache } from './cache';
