/** Webhook topics (as the server's outbox names them) and how a subscription's list is edited. Pure. */

export const TOPICS = [
  'dossier.progress', 'dossier.notify', 'dossier.returnResult', 'dossier.requestPayment',
  'dossier.issueSlip', 'dossier.dueSoon', 'dossier.overdue',
] as const;

/** Adds or removes a topic; choosing "*" (everything) replaces the rest, and a topic replaces "*". */
export function toggleTopic(list: readonly string[], topic: string, on: boolean): string[] {
  if (!on) return list.filter((t) => t !== topic);
  if (topic === '*') return ['*'];
  return [...list.filter((t) => t !== '*' && t !== topic), topic];
}

/** Badge tone of a delivery status. */
export const deliveryTone = (status: string): 'ok' | 'warn' | 'bad' | 'neutral' =>
  status === 'delivered' ? 'ok' : status === 'failed' ? 'bad' : status === 'pending' ? 'warn' : 'neutral';
