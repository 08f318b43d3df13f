/** What other features use of authentication: a user as the engine's actor. */
export { actorOf, loadUser } from './middleware';
