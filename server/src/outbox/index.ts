/** The outbox's front door for other features: following the outbox, and the delivery policy (retries). */
export { follow, type FollowedEvent } from './follow';
export { DELIVERY_POLICY, retryDelayMs } from './policy';
