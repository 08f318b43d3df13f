/**
 * The hostile world of the authorisation suites: a province with three communes, a
 * department and provincial social insurance; officers of every role at each; delegates
 * whose delegations are in force, out of scope, expired or not yet valid; dossiers that are
 * geographic, non-geographic, open and closed. Everything goes through the real API.
 */
import { appendFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { Test } from 'supertest';
import { changed, digest } from './db';
import type { Grant } from '@motcua/engine';
import { createHarness, login, publishFixture, seedPeople, type Harness } from '../../../server/test/support/harness';
import { units } from '../../../server/src/db/schema';

export const PROVINCE = '000.00.00.H99';
export const ANPHU = '000.01.31.H99';
export const BINHMINH = '000.02.31.H99';
export const TANLAP = '000.03.31.H99';
export const JUSTICE = '000.00.05.H99';
export const BHXH = '000.00.07.H99';

/** Units beyond the harness's province, An Phú and Bình Minh. */
const MORE_UNITS = [
  { code: TANLAP, name: 'UBND xã Tân Lập', kind: 'commune', parent: PROVINCE, collectiveName: 'ỦY BAN NHÂN DÂN', headTitle: 'CHỦ TỊCH', oneStop: true },
  { code: JUSTICE, name: 'Sở Tư pháp tỉnh Demo', kind: 'department', parent: PROVINCE, headTitle: 'GIÁM ĐỐC' },
  { code: BHXH, name: 'Bảo hiểm xã hội tỉnh Demo', kind: 'social-insurance', headTitle: 'GIÁM ĐỐC' },
];

const g = (role: string, unit: string, extra: Partial<Grant> = {}): Grant => ({ role, unit, ...extra });

export const PEOPLE: { username: string; grants: Grant[] }[] = [
  { username: 'lan', grants: [g('desk', ANPHU)] },
  { username: 'hung', grants: [g('specialist', ANPHU)] },
  { username: 'tuan', grants: [g('leader', ANPHU, { position: 'deputy', title: 'PHÓ CHỦ TỊCH' })] },
  { username: 'chu', grants: [g('leader', ANPHU, { position: 'head', title: 'CHỦ TỊCH' })] },
  { username: 'anAdmin', grants: [g('admin', ANPHU)] },
  { username: 'anDesigner', grants: [g('designer', ANPHU)] },
  { username: 'bmDesk', grants: [g('desk', BINHMINH)] },
  { username: 'bmSpec', grants: [g('specialist', BINHMINH)] },
  { username: 'bmLeader', grants: [g('leader', BINHMINH, { position: 'head', title: 'CHỦ TỊCH' })] },
  { username: 'tlSpec', grants: [g('specialist', TANLAP)] },
  { username: 'tlSpec2', grants: [g('specialist', TANLAP)] },
  { username: 'pLeader', grants: [g('leader', PROVINCE, { position: 'head', title: 'CHỦ TỊCH' })] },
  { username: 'pAdmin', grants: [g('admin', PROVINCE)] },
  { username: 'pDesigner', grants: [g('designer', PROVINCE)] },
  { username: 'bhxhDesk', grants: [g('desk', BHXH)] },
  { username: 'bhxhAdmin', grants: [g('admin', BHXH)] },
  // delegates: specialists of Tân Lập, given An Phú's leader role by the province administrator
  { username: 'dIn', grants: [g('specialist', TANLAP)] },
  { username: 'dOut', grants: [g('specialist', TANLAP)] },
  { username: 'dExpired', grants: [g('specialist', TANLAP)] },
  { username: 'dFuture', grants: [g('specialist', TANLAP)] },
  { username: 'dRevoked', grants: [g('specialist', TANLAP)] },
];

export const XNHN = 'xac-nhan-tinh-trang-hon-nhan';
export const CTCK = 'chung-thuc-chu-ky';

export const xnhnData = { personName: 'Kiều Thị Mỹ', dateOfBirth: '1996-04-18', maritalStatus: 'never-married', purpose: 'marriage' };
export const ctckData = { signerName: 'Nguyễn Văn Tâm', signerPersonalId: '079165001212', paperTitle: 'Giấy ủy quyền', papers: 2, language: 'vi', mode: 'signature' };

export interface World {
  h: Harness;
  auth: { [username: string]: string };
}

export async function createWorld(now = '2026-03-02T01:15:00.000Z'): Promise<World> {
  const h = await createHarness({ now });
  await seedPeople(h, []);
  await h.deps.db.insert(units).values(MORE_UNITS).onConflictDoNothing();
  h.deps.directory.invalidateUnits();
  await seedPeople(h, PEOPLE);
  await publishFixture(h, XNHN);
  await publishFixture(h, CTCK);
  const auth: { [username: string]: string } = {};
  for (const p of PEOPLE) auth[p.username] = await login(h, p.username);
  return { h, auth };
}

/** Receives a dossier through the API (as `who`), failing the test unless it is received. */
export async function receive(w: World, who: string, body: object): Promise<{ id: string; version: number }> {
  const res = await w.h.http.post('/api/dossiers').set('Authorization', w.auth[who]!).send(body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; version: number };
}

/** Takes an action (as `who`), failing the test unless it is taken. */
export async function act(w: World, who: string, id: string, step: string, action: string, inputs: object = {}): Promise<void> {
  const res = await w.h.http.post(`/api/dossiers/${encodeURIComponent(id)}/actions`).set('Authorization', w.auth[who]!).send({ step, action, inputs });
  expect(res.status, `${who} ${step}.${action}: ${JSON.stringify(res.body)}`).toBe(200);
}

/**
 * Prints one closing-note figure, and appends it to the file SECURITY_FIGURES names (so one
 * command gathers every file's figures: README, Security).
 */
export function figure(line: string): void {
  console.log(line);
  const file = process.env['SECURITY_FIGURES'];
  if (file) appendFileSync(file, `${line}\n`);
}

/** Counts combinations tried and how many ended the wrong way, for the closing note. */
export class Tally {
  tried = 0;
  readonly unauthorised: string[] = [];
  readonly wronglyRefused: string[] = [];

  constructor(readonly name: string) {}

  /** `allowed` says what must happen; `got` whether the caller got in (a 2xx, or listed). */
  record(label: string, allowed: boolean, got: boolean): void {
    this.tried++;
    if (got && !allowed) this.unauthorised.push(label);
    if (!got && allowed) this.wronglyRefused.push(label);
  }

  summary(): string {
    return `[security] ${this.name}: ${this.tried} combinations tried, ${this.unauthorised.length} unauthorised successes, ${this.wronglyRefused.length} legitimate requests refused`;
  }

  /** Prints the counts and fails on any wrong outcome (listing the first few). */
  assert(): void {
    figure(this.summary());
    expect(this.unauthorised.slice(0, 20), 'unauthorised successes').toEqual([]);
    expect(this.wronglyRefused.slice(0, 20), 'legitimate requests refused').toEqual([]);
  }
}

/** A status that lets the caller in (anything but 401, 403, 404). */
export const gotIn = (status: number): boolean => ![401, 403, 404].includes(status);

/**
 * The world plus a delegate: An Phú's deputy chair's leader role for one procedure (XNHN), to
 * a Tân Lập specialist (u-dIn), in force from a day ago for a month.
 */
export async function createWorldWithDelegate(): Promise<World> {
  const w = await createWorld();
  const now = w.h.clock.now().getTime();
  const day = 86_400_000;
  const res = await w.h.http.post('/api/delegations').set('Authorization', w.auth['pAdmin']!).send({
    kind: 'authorisation', from: 'u-tuan', to: 'u-dIn', decision: '7/QĐ-UBND', scope: { roles: ['leader'], units: [ANPHU], procedures: [XNHN] },
    validFrom: new Date(now - day).toISOString(), validTo: new Date(now + 30 * day).toISOString(),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return w;
}

/** A request of `method` on `path` as officer `who` of the world. */
export function callAs(w: World, method: string, path: string, who: string): Test {
  const agent = w.h.http as unknown as { [m: string]: (p: string) => Test };
  return (agent[method] as (p: string) => Test)(path).set('Authorization', w.auth[who]!);
}

/** Runs `attempt` for every officer; those in `may` must get in, the others must be refused with nothing changed. */
export async function officerMatrix(
  w: World, tally: Tally, what: string, may: Set<string>, attempt: (who: string) => Promise<{ status: number; body: unknown }>,
): Promise<void> {
  for (const p of PEOPLE) {
    const before = may.has(p.username) ? null : await digest(w.h);
    const res = await attempt(p.username);
    expect(res.status, `${p.username} ${what}: ${JSON.stringify(res.body).slice(0, 300)}`).not.toBe(500);
    tally.record(`${p.username} ${what}`, may.has(p.username), gotIn(res.status));
    if (before) expect(changed(before, await digest(w.h)), `${p.username} ${what} changed`).toEqual([]);
  }
}
