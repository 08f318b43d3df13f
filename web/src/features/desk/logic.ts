/** Pure rules of the desk screens: action colours, bulk actions, slips. No React. */
import type { AvailableAction, Box, Channel, DossierEventView, DossierView, InboxItem } from './types';

/** The inbox views, in the order of the tabs. */
export const BOXES: readonly Box[] = ['mine', 'held', 'unit', 'due-soon', 'overdue', 'waiting', 'closed'];

/** Who handles an inbox line: the people holding its steps, else the roles its steps wait for. Pure. */
export function handlersOf(item: Pick<InboxItem, 'steps'>, roleName: (role: string | null) => string): string {
  const people = [...new Set(item.steps.map((s) => s.holder?.name).filter((n): n is string => Boolean(n)))];
  if (people.length) return people.join(', ');
  return [...new Set(item.steps.map((s) => roleName(s.role)))].filter(Boolean).join(', ');
}

/**
 * The dossier after `current` in the list an officer opened it from (the next one to work
 * on once an action is done), or null at the end. Pure.
 */
export function nextInList(ids: readonly string[], current: string): string | null {
  const at = ids.indexOf(current);
  const rest = at < 0 ? ids : ids.slice(at + 1);
  return rest.find((id) => id !== current) ?? null;
}

const CHANNELS = ['direct', 'online', 'postal'] as const;

export interface InboxFilter {
  box: Box;
  q: string;
  procedureId: string;
  unit: string;
  /** '' for any channel. */
  channel: '' | 'direct' | 'online' | 'postal';
  page: number;
}

/** Reads the inbox filter from the address bar (so a view can be bookmarked and Back works). Pure. */
export function filterFromSearch(params: URLSearchParams): InboxFilter {
  const box = params.get('box');
  const page = Number(params.get('page') ?? '1');
  return {
    box: (BOXES as readonly string[]).includes(box ?? '') || box === 'all' ? (box as Box) : 'mine',
    q: params.get('q') ?? '',
    procedureId: params.get('procedure') ?? '',
    unit: params.get('unit') ?? '',
    channel: CHANNELS.find((c) => c === params.get('channel')) ?? '',
    page: Number.isInteger(page) && page > 0 ? page : 1,
  };
}

/** The address-bar form of a filter, leaving defaults out. Pure. */
export function filterToSearch(f: InboxFilter): URLSearchParams {
  const p = new URLSearchParams();
  if (f.box !== 'mine') p.set('box', f.box);
  if (f.q.trim()) p.set('q', f.q.trim());
  if (f.procedureId) p.set('procedure', f.procedureId);
  if (f.unit) p.set('unit', f.unit);
  if (f.channel) p.set('channel', f.channel);
  if (f.page > 1) p.set('page', String(f.page));
  return p;
}

/** The query of GET /api/dossiers for a filter. Pure. */
export function inboxQuery(f: InboxFilter, pageSize: number) {
  return {
    box: f.box,
    page: f.page,
    pageSize,
    ...(f.q.trim() ? { q: f.q.trim() } : {}),
    ...(f.procedureId ? { procedureId: f.procedureId } : {}),
    ...(f.unit ? { unit: f.unit } : {}),
    ...(f.channel ? { channel: f.channel } : {}),
  };
}

export type Tone = 'neutral' | 'ok' | 'warn' | 'bad' | 'info';

/** Button class for an action's intent: going forward is the primary button, refusing is red. */
export function intentClass(intent: string): string {
  switch (intent) {
    case 'proceed': return 'primary';
    case 'refuse': case 'stop': case 'withdraw': return 'danger';
    case 'rework': return 'intent-rework';
    case 'supplement': return 'intent-supplement';
    case 'extend': return 'intent-extend';
    default: return '';
  }
}

/** Orders actions as a desk reads them: forward first, then rework and supplement, refusals last. */
export function sortActions(actions: readonly AvailableAction[]): AvailableAction[] {
  const rank = ['proceed', 'rework', 'supplement', 'extend', 'refuse', 'stop', 'withdraw'];
  const r = (a: AvailableAction) => { const i = rank.indexOf(a.intent); return i < 0 ? rank.length : i; };
  return [...actions].sort((a, b) => r(a) - r(b));
}

/** One action offered on every selected dossier, with the step each dossier takes it at. */
export interface CommonAction {
  key: string;
  action: AvailableAction;
  items: { id: string; step: string; expectedVersion: number }[];
}

/**
 * The actions every one of `dossiers` offers (same action id, label and intent), for the
 * bulk bar; global actions (`*`) are left out, since withdrawing many at once is never meant. Pure.
 */
export function commonActions(dossiers: readonly DossierView[]): CommonAction[] {
  const first = dossiers[0];
  if (!first) return [];
  const keyOf = (a: AvailableAction) => `${a.action}|${a.label.vi}|${a.intent}`;
  const out: CommonAction[] = [];
  for (const a of sortActions(first.actions)) {
    if (a.step === '*') continue;
    const key = keyOf(a);
    if (out.some((c) => c.key === key)) continue;
    const items: CommonAction['items'] = [];
    for (const d of dossiers) {
      const match = d.actions.find((x) => x.step !== '*' && keyOf(x) === key);
      if (!match) break;
      items.push({ id: d.id, step: match.step, expectedVersion: d.version });
    }
    if (items.length === dossiers.length) out.push({ key, action: a, items });
  }
  return out;
}

/** What the bulk dialog lists before running: each dossier's code, applicant and current steps. Pure. */
export function bulkRows(dossiers: readonly DossierView[], name: (t: { vi: string; en?: string }) => string): { id: string; applicant: string; steps: string }[] {
  return dossiers.map((d) => ({
    id: d.id,
    applicant: d.applicant.name,
    steps: d.active.map((a) => (a.name ? name(a.name) : a.step)).join(', '),
  }));
}

/**
 * The signature block to show before an action is taken, one line per printed line: for an
 * approval step, or whenever the actor signs for someone (KT., TL., TUQ., Q., TM.); null
 * when nothing is signed. The engine's lines already carry the prefix. Pure.
 */
export function signingLines(a: AvailableAction): string[] | null {
  if (!a.signing) return null;
  if (a.stepKind !== 'approval' && a.signing.prefix === null) return null;
  const lines = a.signing.lines.filter((l) => l.trim() !== '');
  return lines.length > 0 ? lines : null;
}

/** Who changed a dossier under the officer, as a 409 DOSSIER_VERSION_CONFLICT tells it. */
export interface ConflictChange { name: string; label: { vi: string; en?: string } | null; at: string }

/** Reads `error.lastChange` from a 409's body; null when the server did not name anyone. Pure. */
export function conflictChange(body: unknown): ConflictChange | null {
  const err = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
  const last = typeof err === 'object' && err !== null ? (err as { lastChange?: unknown }).lastChange : undefined;
  if (typeof last !== 'object' || last === null) return null;
  const { actor, at, label } = last as { actor?: { name?: unknown }; at?: unknown; label?: unknown };
  const name = actor?.name;
  if (typeof name !== 'string' || name === '' || typeof at !== 'string') return null;
  const isLabel = typeof label === 'object' && label !== null && typeof (label as { vi?: unknown }).vi === 'string';
  return { name, at, label: isLabel ? (label as { vi: string; en?: string }) : null };
}

/** An action label inside a sentence ("… được Trần B phê duyệt, ký lúc …"): first letter lower-cased. Pure. */
export const inSentence = (label: string): string => label.charAt(0).toLocaleLowerCase('vi') + label.slice(1);

export type SlipKind = 'receipt' | 'supplement-request' | 'refusal' | 'apology' | 'control' | 'stop-notice' | 'extra-time-notice';

/**
 * The slips a dossier has, guessed from its state and history (the server answers 409
 * SLIP_NOT_ISSUED for the others): receipt once accepted, the control slip always,
 * supplement request after a pause or a supplement action, apology after an extension,
 * refusal or stop notice by outcome. Pure.
 */
export function slipsOf(d: DossierView, events: readonly DossierEventView[]): SlipKind[] {
  const out: SlipKind[] = [];
  if (d.clock.receivedAt) out.push('receipt');
  const supplementAsked = d.status === 'waiting-citizen' || d.clock.pausedMinutes > 0 || d.clock.pausedAt !== null
    || events.some((e) => /supplement/i.test(e.payload.action ?? '') && !/submit/i.test(e.payload.action ?? ''));
  if (supplementAsked) out.push('supplement-request');
  if (d.clock.extensions > 0) out.push('apology');
  if (d.outcome === 'refused') out.push('refusal');
  if (d.outcome === 'stopped') out.push('stop-notice');
  if ((d.clock.extraTimeDays ?? 0) > 0) out.push('extra-time-notice');
  out.push('control');
  return out;
}

/** A slip as issued by a history event: its number is the event's sequence, as printed on a correction. */
export interface IssuedSlip { kind: SlipKind; number: number; at: string; replaces: number | null }

/**
 * Every slip the history says was issued (an event's `slips`), oldest first, each naming the
 * earlier slip of its kind it replaces (a correction, docs/records.md). Pure.
 */
export function issuedSlips(events: readonly DossierEventView[]): IssuedSlip[] {
  const last = new Map<SlipKind, number>();
  const out: IssuedSlip[] = [];
  for (const e of [...events].sort((a, b) => a.seq - b.seq)) {
    const slips = (e.payload as { slips?: { kind: SlipKind }[] }).slips ?? [];
    for (const { kind } of slips) {
      out.push({ kind, number: e.seq, at: e.at, replaces: last.get(kind) ?? null });
      last.set(kind, e.seq);
    }
  }
  return out;
}

/** The status key of the common namespace: "done/approved" for closed dossiers, else the status. */
export const statusKey = (status: string, outcome: string | null): string => (status === 'done' && outcome ? `done/${outcome}` : status);

/**
 * The Idempotency-Key for a request body: the same key while the same body is retried
 * (a lost answer is then returned, not applied twice), a fresh one once the body changes
 * (the server refuses a reused key with another body). Pure: `fresh` makes the new key.
 */
export function keyFor(previous: { body: string; key: string } | null, body: unknown, fresh: () => string): { body: string; key: string } {
  const text = JSON.stringify(body);
  return previous && previous.body === text ? previous : { body: text, key: fresh() };
}

/** Channels a procedure accepts (all three when its catalog entry does not say). */
export function allowedChannels(channels: readonly string[] | null | undefined): Channel[] {
  const all: Channel[] = ['direct', 'online', 'postal'];
  if (!channels || channels.length === 0) return all;
  return all.filter((c) => channels.includes(c));
}

/** Where the result goes back by default: by the channel it came in. */
export const defaultReturnVia = (channel: Channel): 'desk' | 'post' | 'online' => (channel === 'postal' ? 'post' : channel === 'online' ? 'online' : 'desk');

/**
 * Whether an action failed because the dossier moved on since the page showed it (someone
 * else acted): then the page reloads it and says so, rather than showing a bare error.
 */
export const isStaleAnswer = (status: number, code: string): boolean =>
  status === 409 && (code === 'DOSSIER_VERSION_CONFLICT' || code === 'ACTION_NOT_AVAILABLE' || code === 'DOSSIER_CLOSED');

/**
 * The units a desk may route a dossier to for decision: of the kinds the procedure names
 * (`competentUnitKinds`), else of the receiving unit's kind. Pure.
 */
export function competentChoices<U extends { code: string; kind: string }>(all: readonly U[], receivingKind: string | undefined, kinds: readonly string[] | undefined): U[] {
  const allowed = kinds ?? (receivingKind === undefined ? [] : [receivingKind]);
  return all.filter((u) => allowed.includes(u.kind));
}

/**
 * The competent unit offered first when the receiving desk may not decide the procedure (a
 * commune's one-stop desk taking in a residence registration for the commune police): the
 * choice whose name ends like the receiving unit's ("Công an xã An Phú" for "Ủy ban nhân dân
 * xã An Phú"), else the first. Pure.
 */
export function likelyCompetent<U extends { code: string; name: string }>(receivingName: string, choices: readonly U[]): U | undefined {
  const words = (s: string) => s.toLocaleLowerCase('vi').split(/\s+/).filter(Boolean);
  const mine = words(receivingName);
  const shared = (u: U): number => {
    const theirs = words(u.name);
    let n = 0;
    while (n < mine.length && n < theirs.length && mine[mine.length - 1 - n] === theirs[theirs.length - 1 - n]) n += 1;
    return n;
  };
  let best: U | undefined;
  let most = 1; // one shared word ("Phú") is chance; a place name takes two ("xã An Phú")
  for (const u of choices) {
    const n = shared(u);
    if (n > most) { best = u; most = n; }
  }
  return best ?? choices[0];
}

/**
 * The intake's routing once the desk picks another receiving unit before choosing a procedure
 * (an officer with several desk units): the procedure list is asked for that unit, and the
 * competent unit that was the old receiving one follows it. A competent unit chosen apart
 * (non-geographic intake for another unit) stays. An unknown unit is ignored.
 */
export function withReceivingUnit<R extends { receivingUnit: string; competentUnit: string }>(routing: R, units: readonly string[], unit: string): R {
  if (!units.includes(unit) || unit === routing.receivingUnit) return routing;
  const follows = routing.competentUnit === '' || routing.competentUnit === routing.receivingUnit;
  return { ...routing, receivingUnit: unit, competentUnit: follows ? unit : routing.competentUnit };
}
