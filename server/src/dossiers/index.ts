/** What other features use of dossiers besides ./service.ts: the public lookup's factor, upload reception, schemas. */
export { receive } from './files';
export { addressOf, hasFactor, lookUp } from './lookup';
export { IdParams, LookupBody } from './schemas';
