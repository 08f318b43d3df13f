import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { BIRTH_DATA, as, citizen, onlineWorld, readyDraft, type OnlineWorld } from './support/online';

// Issue 12, online submission: an Idempotency-Key is the citizen's own. Two citizens' apps may
// well pick the same key (a counter, a date, a library's weak generator): the second citizen's
// submission goes through as theirs, each replay answers its own citizen's dossier, and
// neither answer says anything of the other's.
let w: OnlineWorld;
beforeAll(async () => { w = await onlineWorld(); });
afterAll(async () => { await w?.close(); });

const MAI = { id: '001199000001', name: 'Trần Thị Mai' };
const BINH = { id: '001199000002', name: 'Nguyễn Văn Bình' };

async function draftOf(personalId: string, childName: string) {
  const s = await citizen(w, personalId);
  return { c: as(w.h, s), draft: await readyDraft(w, s, { ...BIRTH_DATA, childName, motherPersonalId: personalId }) };
}

describe('Idempotency-Keys of online submissions are scoped per citizen', () => {
  it('should let a second citizen submit under a key the first used, each replay answering its own citizen\'s dossier', async () => {
    // given Mai submitted under "submit-1"
    const mai = await draftOf(MAI.id, 'Trần Minh An');
    const first = await mai.c.post(`/api/me/drafts/${mai.draft}/submit`).set('Idempotency-Key', 'submit-1').send({});
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    // when Bình submits his own draft under the same key
    const binh = await draftOf(BINH.id, 'Nguyễn Gia Bảo');
    const his = await binh.c.post(`/api/me/drafts/${binh.draft}/submit`).set('Idempotency-Key', 'submit-1').send({});
    // then it goes through: his dossier, not a refusal, not hers
    expect(his.status, JSON.stringify(his.body)).toBe(201);
    expect(his.headers['idempotent-replayed']).toBeUndefined();
    expect(his.body.id).not.toBe(first.body.id);
    expect(JSON.stringify(his.body)).not.toMatch(new RegExp(`${MAI.id}|Trần Minh An|${first.body.id as string}`));
    expect((await binh.c.get(`/api/me/dossiers/${his.body.id as string}`)).status).toBe(200);
    expect((await binh.c.get(`/api/me/drafts/${binh.draft}`)).status).toBe(404);
    // and each retry answers its own citizen's dossier
    const maiAgain = await mai.c.post(`/api/me/drafts/${mai.draft}/submit`).set('Idempotency-Key', 'submit-1').send({});
    expect(maiAgain.status).toBe(201);
    expect(maiAgain.headers['idempotent-replayed']).toBe('true');
    expect(maiAgain.body.id).toBe(first.body.id);
    const binhAgain = await binh.c.post(`/api/me/drafts/${binh.draft}/submit`).set('Idempotency-Key', 'submit-1').send({});
    expect(binhAgain.status).toBe(201);
    expect(binhAgain.body.id).toBe(his.body.id);
    // and Bình naming Mai's draft under the key learns nothing of it
    const prying = await binh.c.post(`/api/me/drafts/${mai.draft}/submit`).set('Idempotency-Key', 'submit-1').send({});
    expect(prying.status).toBe(404);
    expect(JSON.stringify(prying.body)).not.toMatch(new RegExp(`${MAI.id}|${first.body.id as string}`));
  });

  it('should make one dossier each when two citizens submit under one key at the same moment', async () => {
    const mai = await draftOf(MAI.id, 'Trần Minh Châu');
    const binh = await draftOf(BINH.id, 'Nguyễn Gia Huy');
    const [a, b] = await Promise.all([
      mai.c.post(`/api/me/drafts/${mai.draft}/submit`).set('Idempotency-Key', 'same-moment').send({}),
      binh.c.post(`/api/me/drafts/${binh.draft}/submit`).set('Idempotency-Key', 'same-moment').send({}),
    ]);
    expect([a.status, b.status], JSON.stringify([a.body, b.body])).toEqual([201, 201]);
    expect(a.body.id).not.toBe(b.body.id);
    const mine = (await mai.c.get('/api/me/dossiers')).body as { id: string }[];
    expect(mine.map((d) => d.id)).toContain(a.body.id);
    expect(mine.map((d) => d.id)).not.toContain(b.body.id);
  });

  it('should still answer a submission stored before keys were scoped (migration 0025) to its own citizen', async () => {
    // given a submission stored the old way: the answer under "online:citizen" and the bare key
    const mai = await draftOf(MAI.id, 'Trần Minh Đức');
    const first = await mai.c.post(`/api/me/drafts/${mai.draft}/submit`).set('Idempotency-Key', 'before-upgrade').send({});
    expect(first.status).toBe(201);
    await w.h.deps.db.execute(sql`update idempotency_keys set user_id = 'online:citizen' where user_id = ${`online:citizen:${MAI.id}`} and key = 'before-upgrade'`);
    await w.h.deps.db.execute(sql`update online_submissions set external_id = 'before-upgrade' where source = 'citizen' and external_id = ${`${MAI.id}:before-upgrade`}`);
    // when the migration's data statements run
    const migration = readFileSync(new URL('../drizzle/0025_cash_payments_citizen_keys.sql', import.meta.url), 'utf8');
    const statements = migration.split('--> statement-breakpoint').map((s) => s.replace(/^--.*$/gm, '').trim()).filter((s) => /^update/i.test(s));
    expect(statements).toHaveLength(2);
    for (const statement of statements) {
      await w.h.deps.db.execute(sql.raw(statement));
    }
    // then her retry answers her dossier, and Bình may use the key for his own
    const again = await mai.c.post(`/api/me/drafts/${mai.draft}/submit`).set('Idempotency-Key', 'before-upgrade').send({});
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    const binh = await draftOf(BINH.id, 'Nguyễn Gia Khánh');
    const his = await binh.c.post(`/api/me/drafts/${binh.draft}/submit`).set('Idempotency-Key', 'before-upgrade').send({});
    expect(his.status, JSON.stringify(his.body)).toBe(201);
    expect(his.body.id).not.toBe(first.body.id);
  });
});
