/**
 * How a message leaves: email through SMTP (nodemailer) or into a folder of .eml files (the
 * demo's mailbox), SMS and Zalo OA through an HTTP adapter (POST JSON with a bearer token)
 * or, when none is configured, only the log. A channel throws when the message did not go.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Deps } from '../deps';

export const CHANNELS = ['email', 'sms', 'zalo'] as const;
export type ChannelName = (typeof CHANNELS)[number];

export interface Message { to: string; subject: string; body: string; eventId: string }

export interface Channel {
  name: ChannelName;
  send(m: Message): Promise<void>;
}

/** The permanent reason a message cannot go on this channel (nothing configured), or null. */
export class NotConfigured extends Error {}

const cache = new WeakMap<object, Map<ChannelName, Channel>>();

function email(deps: Deps): Channel {
  const mail = deps.config.mail;
  if (!mail) {
    return { name: 'email', send: () => Promise.reject(new NotConfigured('No mail server configured (MAIL_URL)')) };
  }
  if (mail.url.startsWith('file:')) {
    const dir = mail.url.slice('file:'.length);
    const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
    return {
      name: 'email',
      async send(m) {
        const info = await transport.sendMail({ from: mail.from, to: m.to, subject: m.subject, text: m.body, headers: { 'X-Motcua-Event': m.eventId } });
        mkdirSync(dir, { recursive: true });
        const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${m.eventId.replace(/[^A-Za-z0-9.-]/g, '_')}.eml`;
        writeFileSync(join(dir, name), info.message as Buffer);
      },
    };
  }
  const transport: Transporter = nodemailer.createTransport(mail.url);
  return {
    name: 'email',
    async send(m) {
      await transport.sendMail({ from: mail.from, to: m.to, subject: m.subject, text: m.body, headers: { 'X-Motcua-Event': m.eventId } });
    },
  };
}

function http(deps: Deps, name: 'sms' | 'zalo'): Channel {
  const cfg = deps.config[name];
  if (!cfg) {
    return {
      name,
      async send(m) {
        // Log-only default: the text is logged, never the recipient's number in full.
        deps.logger.info({ channel: name, to: `…${m.to.slice(-3)}`, text: m.body, event: m.eventId }, `${name} (log only)`);
      },
    };
  }
  return {
    name,
    async send(m) {
      const res = await fetch(cfg.url, {
        method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${cfg.token}`, 'Idempotency-Key': `${m.eventId}:${name}` },
        body: JSON.stringify({ to: m.to, text: m.body }), signal: AbortSignal.timeout(10_000),
      });
      if (!res.ok) throw new Error(`${name} gateway answered ${res.status}`);
    },
  };
}

export function channelOf(deps: Deps, name: ChannelName): Channel {
  let m = cache.get(deps.config);
  if (!m) cache.set(deps.config, (m = new Map()));
  let c = m.get(name);
  if (!c) m.set(name, (c = name === 'email' ? email(deps) : http(deps, name)));
  return c;
}
