/**
 * Words for a row of the notification delivery log: the server stores the event and channel as
 * codes ("received", "sms"); the officer reads the event's name from the templates and the
 * channel's name from the words of the citizen's channel choice.
 */
export type EventNames = readonly { event: string; name: string }[];

/** The event's name as the templates table shows it; an event without a template keeps its code. */
export function eventLabel(event: string, names: EventNames): string {
  return names.find((n) => n.event === event)?.name || event;
}

const CHANNELS = ['email', 'sms', 'zalo'] as const;

/** The i18n key of a channel's name (`payments:pay.sms`…), or null for a channel this screen does not know. */
export function channelKey(channel: string): `pay.${(typeof CHANNELS)[number]}` | null {
  return (CHANNELS as readonly string[]).includes(channel) ? `pay.${channel as (typeof CHANNELS)[number]}` : null;
}
