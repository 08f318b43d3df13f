/** What other features use of authentication: a user as the engine's actor. */
export { actorOf, authenticate, loadUser } from './middleware';
