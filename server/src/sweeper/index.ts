/** The deadline sweeper's door. */
export { sweep } from './sweeper';
