/** The outbox's front door for other features: following the outbox, the delivery policy (retries), and the portal's payload of a dossier change. */
export { follow, type FollowedEvent } from './follow';
export { DELIVERY_POLICY, retryDelayMs } from './policy';
export { portalPayload } from './portal';
