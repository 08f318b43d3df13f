/**
 * The demo's units (procedures/demo-units.json) and people: one user per role and unit
 * with memorable credentials (`<username>@123`), printed in the log and the README.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { VN_DEFAULT_CALENDAR, type Actor, type Grant } from '@motcua/engine';
import type { Db } from '../db/client';
import { insertDemoPeople } from './repo';
import { hashPassword } from '../auth/service';
import { personName, Rng } from './random';

export const PROCEDURES_DIR = fileURLToPath(new URL('../../../procedures', import.meta.url));

export interface DemoUnit {
  code: string;
  name: string;
  kind: string;
  parent?: string;
  collectiveName?: string;
  headTitle?: string;
  oneStop?: boolean;
  oneStopName?: string;
  /** The province whose totals include this vertical agency (police, social insurance). */
  province?: string;
}

export interface DemoPerson {
  id: string;
  username: string;
  password: string;
  name: string;
  /** What the person does, for the credentials table. */
  label: string;
  grants: Grant[];
}

/** The units of `procedures/demo-units.json`: a province, its communes and wards, police, social insurance. */
export function demoUnits(): DemoUnit[] {
  return JSON.parse(readFileSync(`${PROCEDURES_DIR}/demo-units.json`, 'utf8')) as DemoUnit[];
}

/** "Ủy ban nhân dân xã An Phú" → "anphu". */
export function placeSlug(name: string): string {
  const place = name.replace(/^.*?\b(xã|phường|thị trấn)\s+/iu, '');
  return place.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd').toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** "Ủy ban nhân dân xã An Phú" → "xã An Phú". */
export function placeName(name: string): string {
  const m = /(xã|phường|thị trấn)\s+.*$/u.exec(name);
  return m ? m[0] : name;
}

/** Everyone the demo signs in as; passwords are `<username>@123`. */
export function demoPeople(list: DemoUnit[] = demoUnits()): DemoPerson[] {
  const rng = new Rng(7_2026);
  const out: DemoPerson[] = [];
  const add = (username: string, label: string, personGrants: Grant[], sex?: 'male' | 'female') => {
    out.push({ id: `u-${username}`, username, password: `${username}@123`, name: personName(rng, sex), label, grants: personGrants });
  };
  const roots = list.filter((u) => !u.parent);
  const province = roots.find((u) => u.kind === 'province');
  if (!province) throw new Error('demo-units.json has no province');
  // The administrator manages every unit tree (the province, provincial police, social insurance).
  add('admin', `Quản trị hệ thống — ${province.name}`, roots.map((u) => ({ role: 'admin', unit: u.code })));
  add('thietke', 'Thiết kế quy trình (designer)', [{ role: 'designer', unit: province.code }]);
  const staff = (unit: DemoUnit, prefix: string, suffix: string, deputy: string) => {
    const head = unit.headTitle ?? 'THỦ TRƯỞNG';
    add(`motcua${prefix}.${suffix}`, `Bộ phận Một cửa — ${unit.name}`, [{ role: 'desk', unit: unit.code }], 'female');
    add(`chuyenvien${prefix}.${suffix}`, `Chuyên viên — ${unit.name}`, [{ role: 'specialist', unit: unit.code }]);
    add(`lanhdao${prefix}.${suffix}`, `${head} — ${unit.name}`, [{ role: 'leader', unit: unit.code, position: 'head', title: head }]);
    add(`${deputy}${prefix}.${suffix}`, `PHÓ ${head} — ${unit.name}`, [{ role: 'leader', unit: unit.code, position: 'deputy', title: `PHÓ ${head}` }]);
  };
  for (const u of list.filter((x) => x.kind === 'commune' || x.kind === 'ward')) staff(u, '', placeSlug(u.name), 'phochutich');
  for (const u of list.filter((x) => x.kind === 'police' && x.parent)) staff(u, '.ca', placeSlug(u.name), 'photruong');
  for (const u of list.filter((x) => x.kind === 'social-insurance')) staff(u, '', 'bhxh', 'phogiamdoc');
  return out;
}

/** The engine's view of a demo officer. */
export function actorOfPerson(p: DemoPerson): Actor {
  return { id: p.id, name: p.name, kind: 'officer', grants: p.grants };
}

/** Inserts units, people (argon2 hashes, computed in parallel) and the province's default calendar. */
export async function insertPeople(db: Db, list: DemoUnit[], people: DemoPerson[]): Promise<void> {
  const hashes = await Promise.all(people.map((p) => hashPassword(p.password)));
  await insertDemoPeople(db, list, people.map((p, i) => ({ ...p, passwordHash: hashes[i]! })), VN_DEFAULT_CALENDAR);
}

/** The credentials as a plain-text table (for the log and the README). */
export function credentialsTable(people: DemoPerson[]): string {
  const rows = people.map((p) => [p.username, p.password, p.grants.map((g) => g.role).filter((r, i, a) => a.indexOf(r) === i).join(', '), p.label]);
  const head = ['username', 'password', 'role', 'who'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
