/** The signing feature's door for other features: whether its register holds a dossier's result (the digitisation counters); sealed slips. */
export { hasIssuedResult } from './repo';
export { sealedSlip } from './slips';
