/**
 * A catalog change and its audit entry commit together or not at all: a database that
 * refuses the audit entry (or the change, or the commit) leaves neither behind.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ProcedureDefinition } from '@motcua/engine';
import { auditLog, procedures, procedureVersions } from '../src/db/schema';
import { createHarness, login, seedPeople, type Harness } from './support/harness';

const PROCEDURES_DIR = fileURLToPath(new URL('../../procedures', import.meta.url));
const PROVINCE = '000.00.00.H99';
const birth = JSON.parse(readFileSync(`${PROCEDURES_DIR}/dang-ky-khai-sinh/procedure.json`, 'utf8')) as ProcedureDefinition;
const catalog = { procedures: [{ id: birth.id, versions: [{ version: 1, status: 'draft', definition: birth }] }] };

describe('catalog: the audit entry is written in the change\'s transaction', () => {
  let h: Harness;
  let designer: string;
  let admin: string;

  const exec = async (text: string): Promise<void> => { await h.deps.db.execute(sql.raw(text)); };
  const failing = (name: string): Promise<void> => exec(`create or replace function ${name}() returns trigger language plpgsql as $$ begin raise exception 'test: ${name}'; end $$`);
  const entries = async (action: string) => h.deps.db.select().from(auditLog).where(eq(auditLog.action, action));
  const versions = async () => h.deps.db.select().from(procedureVersions).where(eq(procedureVersions.procedureId, birth.id));

  beforeAll(async () => {
    h = await createHarness();
    await seedPeople(h, [
      { username: 'thiet', grants: [{ role: 'designer', unit: PROVINCE }] },
      { username: 'quan', grants: [{ role: 'admin', unit: PROVINCE }] },
    ]);
    designer = await login(h, 'thiet');
    admin = await login(h, 'quan');
    await failing('t_refuse');
  });
  afterEach(async () => {
    await exec('drop trigger if exists t_refuse_audit on audit_log');
    await exec('drop trigger if exists t_refuse_version on procedure_versions');
    await exec('drop trigger if exists t_refuse_commit on procedure_versions');
  });
  afterAll(async () => h.close());

  it('should keep no procedure when its audit entry cannot be written (create, import)', async () => {
    // given an audit log that refuses every entry
    await exec('create trigger t_refuse_audit before insert on audit_log for each row execute function t_refuse()');
    // when a designer creates a procedure and an administrator imports a catalog
    expect((await h.http.post('/api/procedures').set('Authorization', designer).send({ definition: birth })).status).toBeGreaterThanOrEqual(500);
    expect((await h.http.post('/api/catalog/import').set('Authorization', admin).send(catalog)).status).toBeGreaterThanOrEqual(500);
    // then neither change happened
    expect(await versions()).toEqual([]);
    expect(await h.deps.db.select().from(procedures).where(eq(procedures.id, birth.id))).toEqual([]);
  });

  it('should write no audit entry when the change itself fails, nor when its commit fails', async () => {
    // given procedure_versions refusing inserts: the change fails after the route started it
    await exec('create trigger t_refuse_version before insert on procedure_versions for each row execute function t_refuse()');
    expect((await h.http.post('/api/procedures').set('Authorization', designer).send({ definition: birth })).status).toBeGreaterThanOrEqual(500);
    expect(await entries('catalog.created')).toEqual([]);
    await exec('drop trigger t_refuse_version on procedure_versions');
    // and a check that fails only at COMMIT, after both the change and its entry were written
    await exec('create constraint trigger t_refuse_commit after insert on procedure_versions deferrable initially deferred for each row execute function t_refuse()');
    expect((await h.http.post('/api/procedures').set('Authorization', designer).send({ definition: birth })).status).toBeGreaterThanOrEqual(500);
    expect(await entries('catalog.created')).toEqual([]);
    expect(await versions()).toEqual([]);
  });

  it('should write the change and exactly one entry when both succeed, and neither for a refused publish', async () => {
    await h.http.post('/api/procedures').set('Authorization', designer).send({ definition: birth }).expect(201);
    expect(await entries('catalog.created')).toHaveLength(1);
    // a publish refused by a database failure after the version was marked published
    await exec('create trigger t_refuse_audit before insert on audit_log for each row execute function t_refuse()');
    expect((await h.http.post(`/api/procedures/${birth.id}/versions/1/publish`).set('Authorization', designer).send({})).status).toBeGreaterThanOrEqual(500);
    expect((await versions())[0]?.status).toBe('draft');
    await exec('drop trigger t_refuse_audit on audit_log');
    await h.http.post(`/api/procedures/${birth.id}/versions/1/publish`).set('Authorization', designer).send({}).expect(200);
    expect(await entries('catalog.published')).toHaveLength(1);
    // retiring while the audit log refuses: the version stays published
    await exec('create trigger t_refuse_audit before insert on audit_log for each row execute function t_refuse()');
    expect((await h.http.post(`/api/procedures/${birth.id}/versions/1/retire`).set('Authorization', designer).send({})).status).toBeGreaterThanOrEqual(500);
    expect((await versions())[0]?.status).toBe('published');
    expect(await entries('catalog.retired')).toEqual([]);
  });
});
