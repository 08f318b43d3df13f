/**
 * The catalog's outward door for modules that service.ts itself serves (importing a catalog
 * file and the catalog's service together would close a loop): the public search and the
 * import of a folder of definitions.
 */
export { searchCatalog } from './public';
export { importProcedureDirectory } from './transfer';
