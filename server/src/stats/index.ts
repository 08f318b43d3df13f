/** The statistics' door for the dossier wing: the rollup rows an action bumps in its own statement. */
export { DAILY_COLUMNS, DAILY_COUNTERS, bumpDaily, perMonth, rollupsFor } from './rollup';
/** The check of a query's day the reports make (from 1970; 400 BAD_DATE at its field), for other features' period queries. */
export { checkDay } from './query';
