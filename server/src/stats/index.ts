/** The statistics' door for the dossier wing: the rollup rows an action bumps in its own statement. */
export { DAILY_COLUMNS, DAILY_COUNTERS, bumpDaily, perMonth, rollupsFor } from './rollup';
