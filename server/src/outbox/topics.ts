/**
 * Outbox topics a webhook may subscribe to, and how a subscription's topic list matches one.
 * `dossier.progress` carries the national portal's progress update for every history event;
 * the engine's external effects become `dossier.<effect>`; the sweeper adds the deadline notices.
 */
export const TOPICS = [
  'dossier.progress',
  'dossier.notify',
  'dossier.returnResult',
  'dossier.requestPayment',
  'dossier.issueSlip',
  'dossier.dueSoon',
  'dossier.overdue',
  'dossier.payment',
] as const;

export type Topic = (typeof TOPICS)[number];

/** A topic (`dossier.progress`), a prefix wildcard (`dossier.*`), or everything (`*`). */
export const TOPIC_PATTERN = '^(\\*|[a-z][A-Za-z0-9]*(\\.[a-z][A-Za-z0-9]*)*(\\.\\*)?)$';

/** Whether one subscribed topic (exact, `prefix.*` or `*`) covers an event's topic. */
export function topicMatches(subscribed: string, topic: string): boolean {
  if (subscribed === '*') return true;
  if (subscribed.endsWith('.*')) return topic.startsWith(subscribed.slice(0, -1));
  return subscribed === topic;
}

export function matchesAny(subscribed: readonly string[], topic: string): boolean {
  return subscribed.some((s) => topicMatches(s, topic));
}

/** Whether a subscribed topic can ever match: a known topic, or a wildcard covering one. */
export function isKnownTopic(subscribed: string): boolean {
  return TOPICS.some((t) => topicMatches(subscribed, t));
}
