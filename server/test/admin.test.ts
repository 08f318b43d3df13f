import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, login, seedPeople, type Harness } from './support/harness';
import { activeDelegationsFor } from '../src/admin/delegations';

const PROVINCE = '000.00.00.H99';
const A = '000.01.31.H99';
const B = '000.02.31.H99';

let h: Harness;
const auth: { [who: string]: string } = {};
const paths = (res: { body: { error?: { issues?: { path: string }[] } } }): string[] => (res.body.error?.issues ?? []).map((i) => i.path);

beforeAll(async () => {
  h = await createHarness();
  await seedPeople(h, [
    { username: 'tinh', name: 'Quản trị tỉnh', grants: [{ role: 'admin', unit: PROVINCE }] },
    { username: 'qtA', name: 'Quản trị xã An Phú', grants: [{ role: 'admin', unit: A }] },
    { username: 'qtB', name: 'Quản trị phường Bình Minh', grants: [{ role: 'admin', unit: B }] },
    { username: 'motcuaA', name: 'Nguyễn Thị Lan', grants: [{ role: 'desk', unit: A }] },
    { username: 'motcuaB', name: 'Trần Văn Bình', grants: [{ role: 'desk', unit: B }] },
    { username: 'chutichA', name: 'Lê Văn Chủ', grants: [{ role: 'leader', unit: A, position: 'head', title: 'CHỦ TỊCH' }] },
    { username: 'vanphongA', name: 'Phạm Thị Văn', grants: [{ role: 'specialist', unit: A, position: 'internal-head', title: 'CHÁNH VĂN PHÒNG' }] },
  ]);
  for (const u of ['tinh', 'qtA', 'qtB', 'motcuaA', 'chutichA', 'vanphongA']) auth[u] = await login(h, u);
});
afterAll(async () => h.close());

describe('admin: access', () => {
  it('should answer 401 to anonymous callers of admin routes', async () => {
    for (const path of ['/api/units', '/api/users', `/api/calendars/${A}`, '/api/delegations']) {
      const res = await h.http.get(path);
      expect(res.status, path).toBe(401);
      expect(res.body.error).toMatchObject({ code: 'UNAUTHENTICATED', message: { vi: expect.any(String), en: expect.any(String) } });
    }
  });

  it('should answer 403 to a desk officer on admin routes', async () => {
    const desk = auth['motcuaA']!;
    expect((await h.http.get('/api/users').set('Authorization', desk)).status).toBe(403);
    expect((await h.http.get('/api/units').set('Authorization', desk)).status).toBe(403);
    expect((await h.http.post('/api/users').set('Authorization', desk)
      .send({ username: 'x1234', name: 'X', password: 'long-enough-1', grants: [{ role: 'desk', unit: A }] })).status).toBe(403);
    expect((await h.http.put(`/api/calendars/${A}/years/2026`).set('Authorization', desk).send({})).status).toBe(403);
  });
});

describe('admin: users', () => {
  it('should let a province administrator manage a commune\'s users', async () => {
    // given the province administrator
    const admin = auth['tinh']!;
    // when they create a desk officer at commune A
    const created = await h.http.post('/api/users').set('Authorization', admin).send({
      username: 'hoa.nt', name: 'Nguyễn Thị Hoa', password: 'Hoa@2026-an-phu', grants: [{ role: 'desk', unit: A, position: 'member' }],
    });
    // then the user exists with the role and no password hash is ever returned
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ username: 'hoa.nt', active: true, grants: [{ role: 'desk', unit: A, position: 'member' }] });
    expect(JSON.stringify(created.body)).not.toMatch(/password|argon/i);
    const id = created.body.id as string;

    const list = await h.http.get('/api/users').query({ unit: A, role: 'desk', q: 'hoa' }).set('Authorization', admin);
    expect(list.status).toBe(200);
    expect(list.body.items.map((u: { id: string }) => u.id)).toEqual([id]);
    expect(JSON.stringify(list.body)).not.toMatch(/passwordHash|argon/i);

    // when they rename and move the user to specialist, and reset the password
    const updated = await h.http.patch(`/api/users/${id}`).set('Authorization', admin)
      .send({ name: 'Nguyễn Thị Hoa (CC)', grants: [{ role: 'specialist', unit: A, title: 'CÔNG CHỨC TƯ PHÁP' }] });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ name: 'Nguyễn Thị Hoa (CC)', grants: [{ role: 'specialist', unit: A, title: 'CÔNG CHỨC TƯ PHÁP' }] });
    expect((await h.http.post(`/api/users/${id}/password`).set('Authorization', admin).send({ password: 'new-secret-2026' })).status).toBe(204);
    // then the new password signs in, and once locked the account no longer does
    expect((await h.http.post('/api/auth/login').send({ username: 'hoa.nt', password: 'new-secret-2026' })).status).toBe(200);
    expect((await h.http.patch(`/api/users/${id}`).set('Authorization', admin).send({ active: false })).body.active).toBe(false);
    expect((await h.http.post('/api/auth/login').send({ username: 'hoa.nt', password: 'new-secret-2026' })).status).toBe(401);
  });

  it('should keep the administrator of commune A away from ward B (403)', async () => {
    const adminA = auth['qtA']!;
    const b = await h.http.post('/api/users').set('Authorization', adminA)
      .send({ username: 'intruder', name: 'X', password: 'long-enough-1', grants: [{ role: 'desk', unit: B }] });
    expect(b.status).toBe(403);
    expect(b.body.error).toMatchObject({ code: 'FORBIDDEN', message: { vi: expect.any(String), en: expect.any(String) } });
    expect((await h.http.get('/api/users/u-motcuaB').set('Authorization', adminA)).status).toBe(403);
    expect((await h.http.patch('/api/users/u-motcuaB').set('Authorization', adminA).send({ active: false })).status).toBe(403);
    expect((await h.http.post('/api/users/u-motcuaB/password').set('Authorization', adminA).send({ password: 'takeover-123' })).status).toBe(403);
    expect((await h.http.get('/api/users').query({ unit: B }).set('Authorization', adminA)).status).toBe(403);
    expect((await h.http.get(`/api/units/${B}`).set('Authorization', adminA)).status).toBe(403);
    expect((await h.http.put(`/api/calendars/${B}/years/2026`).set('Authorization', adminA).send({})).status).toBe(403);
    // and their own list shows only commune A's people
    const own = await h.http.get('/api/users').set('Authorization', adminA);
    expect(own.body.items.map((u: { username: string }) => u.username)).not.toContain('motcuaB');
    expect(own.body.items.map((u: { username: string }) => u.username)).toContain('motcuaA');
  });

  it('should answer 409 on a duplicate username', async () => {
    const res = await h.http.post('/api/users').set('Authorization', auth['qtA']!)
      .send({ username: 'motcuaA', name: 'Trùng', password: 'long-enough-1', grants: [{ role: 'desk', unit: A }] });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('USERNAME_TAKEN');
  });

  it('should answer 422 with pointer /password to a weak password', async () => {
    const short = await h.http.post('/api/users').set('Authorization', auth['qtA']!)
      .send({ username: 'ngan', name: 'Ngắn', password: 'abc', grants: [{ role: 'desk', unit: A }] });
    expect(short.status).toBe(422);
    expect(paths(short)).toEqual(['/password']);
    const guessable = await h.http.post('/api/users').set('Authorization', auth['qtA']!)
      .send({ username: 'ngan', name: 'Ngắn', password: '12345678', grants: [{ role: 'desk', unit: A }] });
    expect(guessable.status).toBe(422);
    expect(guessable.body.error.code).toBe('WEAK_PASSWORD');
    expect(paths(guessable)).toEqual(['/password']);
  });

  it('should list the officers of a unit for pickers, only to its officers and administrators', async () => {
    const res = await h.http.get(`/api/units/${A}/officers`).query({ role: 'leader' }).set('Authorization', auth['motcuaA']!);
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([{ id: 'u-chutichA', name: 'Lê Văn Chủ', grants: [{ role: 'leader', unit: A, position: 'head', title: 'CHỦ TỊCH' }] }]);
    expect((await h.http.get(`/api/units/${B}/officers`).set('Authorization', auth['motcuaA']!)).status).toBe(403);
    expect((await h.http.get(`/api/units/${B}/officers`).set('Authorization', auth['tinh']!)).status).toBe(200);
  });
});

describe('admin: units', () => {
  it('should list, create, update and delete units within the administrator\'s subtree', async () => {
    const admin = auth['tinh']!;
    const all = await h.http.get('/api/units').set('Authorization', admin);
    expect(all.body.items.map((u: { code: string }) => u.code)).toEqual([PROVINCE, A, B]);
    expect(all.body.items[0]).toMatchObject({ code: PROVINCE, parent: null, childCount: 2 });
    expect((await h.http.get('/api/units').set('Authorization', auth['qtA']!)).body.items.map((u: { code: string }) => u.code)).toEqual([A]);

    const badCode = await h.http.post('/api/units').set('Authorization', admin).send({ code: 'XA-01', name: 'Xã', kind: 'commune', parent: PROVINCE });
    expect(badCode.status).toBe(422);
    expect(paths(badCode)).toEqual(['/code']);

    const created = await h.http.post('/api/units').set('Authorization', admin)
      .send({ code: '000.03.31.H99', name: 'UBND xã Tân Lập', kind: 'commune', parent: PROVINCE, collectiveName: 'ỦY BAN NHÂN DÂN', headTitle: 'CHỦ TỊCH' });
    expect(created.status).toBe(201);
    expect((await h.http.post('/api/units').set('Authorization', admin)
      .send({ code: '000.03.31.H99', name: 'Trùng', kind: 'commune', parent: PROVINCE })).status).toBe(409);

    // a commune administrator may not create a unit beside their own
    expect((await h.http.post('/api/units').set('Authorization', auth['qtA']!)
      .send({ code: '000.04.31.H99', name: 'X', kind: 'commune', parent: PROVINCE })).status).toBe(403);

    const cycle = await h.http.patch(`/api/units/${PROVINCE}`).set('Authorization', admin).send({ parent: '000.03.31.H99' });
    expect(cycle.status).toBe(422);
    expect(cycle.body.error.code).toBe('UNIT_CYCLE');
    expect(paths(cycle)).toEqual(['/parent']);

    const renamed = await h.http.patch('/api/units/000.03.31.H99').set('Authorization', admin).send({ name: 'UBND xã Tân Lập mới', parent: A });
    expect(renamed.body).toMatchObject({ name: 'UBND xã Tân Lập mới', parent: A });
    expect((await h.http.get(`/api/units/${A}`).set('Authorization', admin)).body.childCount).toBe(1);

    const inUse = await h.http.delete(`/api/units/${A}`).set('Authorization', admin);
    expect(inUse.status).toBe(409);
    expect(inUse.body.error).toMatchObject({ code: 'UNIT_IN_USE', children: 1 });
    expect((await h.http.delete('/api/units/000.03.31.H99').set('Authorization', admin)).status).toBe(204);
    expect((await h.http.get('/api/units/000.03.31.H99').set('Authorization', admin)).status).toBe(404);
  });
});

describe('admin: delegations', () => {
  const tuq = {
    kind: 'authorisation', from: 'u-chutichA', to: 'u-vanphongA', scope: { roles: ['leader'], units: [A] },
    validFrom: '2026-03-01T00:00:00+07:00', validTo: '2026-06-30T17:00:00+07:00', decision: '15/QĐ-UBND',
  };

  it('should create a TUQ. delegation, list it as active, preview its signature and revoke it', async () => {
    // given the chairman of commune A delegating his own authority to the head of the office
    const chair = auth['chutichA']!;
    const preview = await h.http.post('/api/delegations/preview').set('Authorization', chair).send(tuq);
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ prefix: 'TUQ.', lines: ['TUQ. CHỦ TỊCH', 'CHÁNH VĂN PHÒNG'], signer: 'Phạm Thị Văn', issues: [] });

    // when he records it
    const created = await h.http.post('/api/delegations').set('Authorization', chair).send(tuq);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ kind: 'authorisation', status: 'active', from: { id: 'u-chutichA' }, to: { id: 'u-vanphongA' } });
    const id = created.body.id as string;

    // then the administrator of A lists it as active, with its signature block
    const list = await h.http.get('/api/delegations').query({ to: 'u-vanphongA', active: true }).set('Authorization', auth['qtA']!);
    expect(list.body.items.map((d: { id: string }) => d.id)).toEqual([id]);
    expect((await h.http.get('/api/delegations').set('Authorization', auth['qtB']!)).body.items).toEqual([]);
    const one = await h.http.get(`/api/delegations/${id}`).set('Authorization', auth['vanphongA']!);
    expect(one.body.signing.lines).toEqual(['TUQ. CHỦ TỊCH', 'CHÁNH VĂN PHÒNG']);
    const engine = await activeDelegationsFor(h.deps, 'u-vanphongA', h.clock.now());
    expect(engine).toMatchObject([{ id, kind: 'authorisation', from: { id: 'u-chutichA', grants: [{ role: 'leader', unit: A, position: 'head' }] } }]);

    // an officer who is neither the delegator nor an administrator may not revoke it
    expect((await h.http.post(`/api/delegations/${id}/revoke`).set('Authorization', auth['vanphongA']!)).status).toBe(403);
    // when the administrator revokes it
    const revoked = await h.http.post(`/api/delegations/${id}/revoke`).set('Authorization', auth['qtA']!);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ status: 'revoked', revokedAt: h.clock.now().toISOString() });
    // then it is no longer active anywhere
    expect((await h.http.get('/api/delegations').query({ to: 'u-vanphongA', active: true }).set('Authorization', auth['qtA']!)).body.items).toEqual([]);
    expect(await activeDelegationsFor(h.deps, 'u-vanphongA', h.clock.now())).toEqual([]);
    expect((await h.http.post(`/api/delegations/${id}/revoke`).set('Authorization', auth['qtA']!)).status).toBe(409);
  });

  it('should hand the engine the delegations a delegate\'s authority rests on (TL. then KT.)', async () => {
    // given an order (TL.) from the chairman to the head of the office, passed on by her to a desk officer
    const order = await h.http.post('/api/delegations').set('Authorization', auth['qtA']!)
      .send({ kind: 'order', from: 'u-chutichA', to: 'u-vanphongA', scope: { roles: ['leader'], units: [A] }, validFrom: '2026-03-01T00:00:00+07:00', validTo: '2026-12-31T00:00:00+07:00', decision: '2/QĐ-UBND' });
    expect(order.status).toBe(201);
    expect(order.body.validTo).toBe('2026-12-30T17:00:00.000Z');
    const deputy = await h.http.post('/api/delegations').set('Authorization', auth['vanphongA']!)
      .send({ kind: 'deputy', from: 'u-vanphongA', to: 'u-motcuaA', scope: { roles: ['leader'], units: [A] }, validFrom: '2026-03-01T00:00:00+07:00', validTo: '2026-03-31T00:00:00+07:00', derivedFrom: order.body.id });
    expect(deputy.status).toBe(201);
    // when the dossier module asks for the desk officer's delegations
    const chain = await activeDelegationsFor(h.deps, 'u-motcuaA', h.clock.now());
    // then both links come, the desk officer's own first
    expect(chain.map((d) => d.id)).toEqual([deputy.body.id, order.body.id]);
    // and an authorisation may not be passed on
    const tuqAgain = await h.http.post('/api/delegations').set('Authorization', auth['vanphongA']!)
      .send({ kind: 'authorisation', from: 'u-vanphongA', to: 'u-motcuaA', scope: { roles: ['leader'], units: [A] }, validFrom: '2026-03-01T00:00:00+07:00', validTo: '2026-03-31T00:00:00+07:00', decision: '1/QĐ', derivedFrom: order.body.id });
    expect(tuqAgain.status).toBe(422);
    expect(paths(tuqAgain)).toContain('/derivedFrom');
    for (const id of [deputy.body.id, order.body.id]) expect((await h.http.post(`/api/delegations/${id}/revoke`).set('Authorization', auth['qtA']!)).status).toBe(200);
  });

  it('should refuse a delegation ending before it starts with 422 at /validTo', async () => {
    const res = await h.http.post('/api/delegations').set('Authorization', auth['qtA']!)
      .send({ ...tuq, validFrom: '2026-04-01T00:00:00+07:00', validTo: '2026-03-01T00:00:00+07:00' });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('DELEGATION_INVALID');
    expect(paths(res)).toContain('/validTo');
  });

  it('should refuse a delegation recorded by someone else than the delegator or their administrator', async () => {
    expect((await h.http.post('/api/delegations').set('Authorization', auth['motcuaA']!).send(tuq)).status).toBe(403);
    expect((await h.http.post('/api/delegations').set('Authorization', auth['qtB']!).send(tuq)).status).toBe(403);
  });
});

describe('admin: calendars', () => {
  it('should add a day off to a year and list it among the non-working days', async () => {
    const admin = auth['qtA']!;
    const before = await h.http.get(`/api/calendars/${A}`).set('Authorization', admin);
    expect(before.body).toMatchObject({ scope: A, source: 'default' });
    expect(await (await h.deps.directory.calendar(A)).isWorkingDay('2026-03-06')).toBe(true);

    const put = await h.http.put(`/api/calendars/${A}/years/2026`).set('Authorization', admin)
      .send({ daysOff: [{ date: '2026-03-06', name: 'Nghỉ bù bầu cử' }] });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ source: 'own', config: { years: { 2026: { daysOff: [{ date: '2026-03-06' }] } } } });

    const days = await h.http.get(`/api/calendars/${A}/years/2026/days`).set('Authorization', admin);
    expect(days.status).toBe(200);
    expect(days.body.days).toContainEqual({ date: '2026-03-06', weekday: 5, reason: 'Nghỉ bù bầu cử', kind: 'day-off' });
    expect(days.body.days).toContainEqual(expect.objectContaining({ date: '2026-09-02', kind: 'statutory' }));
    expect(days.body.days).toContainEqual(expect.objectContaining({ date: '2026-03-07', kind: 'weekend' }));
    expect((await h.deps.directory.calendar(A)).isWorkingDay('2026-03-06')).toBe(false);
    // the neighbouring ward keeps the province default
    expect((await h.deps.directory.calendar(B)).isWorkingDay('2026-03-06')).toBe(true);
  });

  it('should keep the province-wide calendar for province administrators and validate whole configurations', async () => {
    expect((await h.http.put('/api/calendars/*').set('Authorization', auth['qtA']!)
      .send({ utcOffsetMinutes: 420, weekend: [0, 6], workingHours: [{ start: '07:30', end: '11:30' }] })).status).toBe(403);
    const backwards = await h.http.put('/api/calendars/*').set('Authorization', auth['tinh']!)
      .send({ utcOffsetMinutes: 420, weekend: [0, 6], workingHours: [{ start: '13:30', end: '11:30' }] });
    expect(backwards.status).toBe(422);
    expect(paths(backwards)).toEqual(['/workingHours/0']);
    const badDate = await h.http.put('/api/calendars/*').set('Authorization', auth['tinh']!)
      .send({ utcOffsetMinutes: 420, weekend: [0, 6], workingHours: [{ start: '07:30', end: '11:30' }], years: { 2027: { holidays: [{ date: '2027-02-30' }] } } });
    expect(badDate.status).toBe(422);
    expect(paths(badDate)).toEqual(['/years/2027/holidays/0/date']);
    const wrongHour = await h.http.put('/api/calendars/*').set('Authorization', auth['tinh']!)
      .send({ utcOffsetMinutes: 420, weekend: [0, 7], workingHours: [{ start: '7:30', end: '11:30' }] });
    expect(wrongHour.status).toBe(422);
    expect(paths(wrongHour)).toEqual(expect.arrayContaining(['/weekend/1', '/workingHours/0/start']));
    const ok = await h.http.put('/api/calendars/*').set('Authorization', auth['tinh']!)
      .send({ utcOffsetMinutes: 420, weekend: [0, 6], workingHours: [{ start: '08:00', end: '12:00' }, { start: '13:00', end: '17:00' }] });
    expect(ok.status).toBe(200);
    expect((await h.deps.directory.calendar(B)).minutesPerDay).toBe(480);
  });
});

describe('admin: bad input', () => {
  it('should answer wrong types, unknown ids and malformed JSON with 4xx, never 500', async () => {
    const admin = auth['tinh']!;
    const cases = [
      await h.http.post('/api/users').set('Authorization', admin).send({ username: 5, name: [], password: null, grants: 'desk' }),
      await h.http.post('/api/users').set('Authorization', admin).send({ username: 'zz.role', name: 'Z', password: 'long-enough-1', grants: [{ role: 'root', unit: A }] }),
      await h.http.post('/api/users').set('Authorization', admin).send({ username: 'zz.unit', name: 'Z', password: 'long-enough-1', grants: [{ role: 'desk', unit: '999.99.99.Z99' }] }),
      await h.http.post('/api/users').set('Authorization', admin).set('Content-Type', 'application/json').send('{"username":'),
      await h.http.get('/api/users/nobody').set('Authorization', admin),
      await h.http.get('/api/users').query({ page: 'first' }).set('Authorization', admin),
      await h.http.patch('/api/users/u-motcuaA').set('Authorization', admin).send({}),
      await h.http.get('/api/units/999.99.99.Z99').set('Authorization', admin),
      await h.http.get('/api/delegations/nothing').set('Authorization', admin),
      await h.http.post('/api/delegations/nothing/revoke').set('Authorization', admin),
      await h.http.post('/api/delegations').set('Authorization', admin).send({ kind: 'boss', from: 1, scope: [] }),
      await h.http.post('/api/delegations').set('Authorization', admin).send({ kind: 'deputy', from: 'u-nobody', to: 'u-motcuaA', scope: {}, validFrom: '2026-03-01T00:00:00Z' }),
      await h.http.post('/api/delegations').set('Authorization', admin).send({ kind: 'deputy', from: 'u-chutichA', to: 'u-motcuaA', scope: {}, validFrom: 'yesterday' }),
      await h.http.get('/api/calendars/nowhere').set('Authorization', admin),
      await h.http.get('/api/calendars/*/years/abc/days').set('Authorization', admin),
      await h.http.put(`/api/calendars/${A}/years/2026`).set('Authorization', admin).send({ daysOff: 'soon' }),
      await h.http.put(`/api/calendars/${A}/years/2026`).set('Authorization', admin).send({ workdays: [{ date: '2026-03-04' }] }),
      await h.http.put('/api/calendars/*').set('Authorization', admin).send({ years: { '20x6': {} } }),
      await h.http.patch(`/api/units/${A}`).set('Authorization', admin).send({ parent: 'nowhere' }),
    ];
    for (const [i, res] of cases.entries()) {
      expect(res.status, `case ${i}: ${JSON.stringify(res.body)}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `case ${i}: ${JSON.stringify(res.body)}`).toBeLessThan(500);
      expect(res.body.error, `case ${i}`).toMatchObject({ code: expect.any(String), message: { vi: expect.any(String), en: expect.any(String) } });
    }
    expect(cases.map((r) => r.status)).toEqual([422, 422, 422, 400, 404, 400, 422, 404, 404, 404, 422, 422, 422, 404, 400, 422, 422, 422, 422]);
    expect(paths(cases[2]!)).toEqual(['/grants/0/unit']);
    expect(paths(cases[12]!)).toEqual(['/validFrom']);
    expect(paths(cases[16]!)).toEqual(['/workdays/0/date']);
  });
});
