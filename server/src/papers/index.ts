/**
 * The papers feature's door for the dossier wing: what an intake takes from the citizen's
 * data store and the shared databases (./intake.ts). The routes and use cases: ./service.ts.
 */
export { planSharedIntake, paperTypeOf, LOOKUP_VALID_MS, type ReuseRequest, type SeesDossier, type SharedIntake, type SharedIntakeInput } from './intake';
export { countResult, issuedElectronically } from './results';
export { documentBytes } from './register';
