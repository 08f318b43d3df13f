import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProcedureDefinition } from '@motcua/engine';
import { auditLog } from '../src/db/schema';
import { createHarness, login, seedPeople, type Harness } from './support/harness';

const PROCEDURES_DIR = fileURLToPath(new URL('../../procedures', import.meta.url));
const PROVINCE = '000.00.00.H99';
const birth = JSON.parse(readFileSync(`${PROCEDURES_DIR}/dang-ky-khai-sinh/procedure.json`, 'utf8')) as ProcedureDefinition;
const publish = '/api/procedures/dang-ky-khai-sinh/versions/1/publish';

describe('catalog: publishing with an effective date in the past', () => {
  let h: Harness;
  let designer: string;

  beforeAll(async () => {
    // 2 March 2026, 10:00 in Vietnam
    h = await createHarness({ now: '2026-03-02T03:00:00.000Z' });
    await seedPeople(h, [{ username: 'thiet', name: 'Nguyễn Văn Thiết', grants: [{ role: 'designer', unit: PROVINCE }] }]);
    designer = await login(h, 'thiet');
    await h.http.post('/api/procedures').set('Authorization', designer).send({ definition: birth }).expect(201);
  });
  afterAll(async () => h.close());

  it('should refuse a date before today without a reason (422 at /effectiveFrom, vi+en), and keep the draft a draft', async () => {
    // when the designer publishes from yesterday, with no reason or a blank one
    for (const body of [{ effectiveFrom: '2026-03-01' }, { effectiveFrom: '2026-03-01T23:59:00+07:00', backdatingReason: '   ' }]) {
      const res = await h.http.post(publish).set('Authorization', designer).send(body);
      // then it is refused, pointing at the date, in both languages
      expect(res.status).toBe(422);
      expect(res.body.error).toMatchObject({ code: 'EFFECTIVE_FROM_IN_PAST', message: { vi: expect.stringContaining('2026-03-01'), en: expect.stringContaining('backdatingReason') } });
      expect(res.body.error.issues).toEqual([{ path: '/effectiveFrom', message: { vi: expect.any(String), en: expect.any(String) } }]);
    }
    const version = await h.http.get('/api/procedures/dang-ky-khai-sinh/versions/1').set('Authorization', designer);
    expect(version.body.status).toBe('draft');
    expect(await h.deps.db.select().from(auditLog).where(eq(auditLog.action, 'catalog.published'))).toEqual([]);
  });

  it('should accept earlier today (a date means its whole day) without a reason', async () => {
    // when the date given is today, whose midnight is already past
    await h.http.post('/api/procedures/dang-ky-khai-sinh/drafts').set('Authorization', designer).send({}).expect(409);
    const res = await h.http.post(publish).set('Authorization', designer).send({ effectiveFrom: '2026-03-02' });
    // then it is published from midnight, Vietnam time
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ version: 1, effectiveFrom: '2026-03-01T17:00:00.000Z' });
  });

  it('should publish a backdated version with a reason and record the reason in the audit log', async () => {
    // given a second draft
    await h.http.post('/api/procedures/dang-ky-khai-sinh/drafts').set('Authorization', designer).send({}).expect(201);
    // when it is published from yesterday... which is before version 1: still refused by the order rule
    const reason = 'Quyết định 123/QĐ-UBND có hiệu lực từ ngày 01/03/2026';
    const before = await h.http.post('/api/procedures/dang-ky-khai-sinh/versions/2/publish').set('Authorization', designer)
      .send({ effectiveFrom: '2026-03-01', backdatingReason: reason });
    expect(before.body.error?.code).toBe('EFFECTIVE_FROM_TOO_EARLY');
    // and a day later (a fresh sign-in: sessions expire), 08:00 yesterday is the past
    h.clock.advance(24 * 3600_000);
    designer = await login(h, 'thiet');
    const refused = await h.http.post('/api/procedures/dang-ky-khai-sinh/versions/2/publish').set('Authorization', designer)
      .send({ effectiveFrom: '2026-03-02T08:00:00+07:00' });
    expect(refused.status).toBe(422);
    const res = await h.http.post('/api/procedures/dang-ky-khai-sinh/versions/2/publish').set('Authorization', designer)
      .send({ effectiveFrom: '2026-03-02T08:00:00+07:00', backdatingReason: reason });
    // then it is published from that date and the audit entry carries the reason
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ version: 2, effectiveFrom: '2026-03-02T01:00:00.000Z', previous: { version: 1 } });
    const entries = await h.deps.db.select().from(auditLog).where(eq(auditLog.subject, 'procedure:dang-ky-khai-sinh@2'));
    expect(entries.filter((e) => e.action === 'catalog.published').map((e) => e.details))
      .toEqual([{ effectiveFrom: '2026-03-02T08:00:00+07:00', backdatingReason: reason }]);
  });
});
