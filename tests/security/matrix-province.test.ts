/**
 * Province-wide settings and per-unit records, tried by every officer of the hostile world
 * (support/world.ts): the citizen notification templates (one text for the whole province)
 * and their delivery log (citizens' e-mail addresses and phone numbers), provincial
 * parameters, other systems' statistics imports, and the national portal's connections and
 * inbound path. A commune's administrator, another commune's, social insurance's and a
 * delegate must each be refused, and nothing may change when they are.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Test } from 'supertest';
import { ANPHU, BINHMINH, PEOPLE, PROVINCE, TANLAP, Tally, XNHN, createWorldWithDelegate, gotIn, receive, xnhnData, officerMatrix, type World } from './support/world';
import { changed, digest } from './support/db';
import { lookupKey } from '../../server/test/support/payments';
import { notifyRound } from '../../server/src/notifications/service';
import { notificationDeliveries } from '../../server/src/db/schema';

let w: World;
const tally = new Tally('province settings and unit records (route × officer)');
const DAY = 86_400_000;

beforeAll(async () => { w = await createWorldWithDelegate(); });
afterAll(async () => {
  tally.assert();
  await w.h.close();
});

function call(method: string, path: string, who: string | null): Test {
  const agent = w.h.http as unknown as { [m: string]: (p: string) => Test };
  const req = (agent[method] as (p: string) => Test)(path);
  return who ? req.set('Authorization', w.auth[who]!) : req;
}

const matrix = (what: string, may: Set<string>, attempt: (who: string) => Promise<{ status: number; body: unknown }>): Promise<void> =>
  officerMatrix(w, tally, what, may, attempt);

describe('citizen notification templates: one text for the whole province', () => {
  it('should let only the province\'s administrator edit or reset a template', { timeout: 120_000 }, async () => {
    let n = 0;
    await matrix('edits the "received" template', new Set(['pAdmin']), (who) =>
      call('put', '/api/notifications/templates/received', who).send({ subject: `Hồ sơ {{ma_ho_so}} (${n++})`, body: 'Đã tiếp nhận {{ma_ho_so}}. Tra cứu: {{lien_ket}}' }));
    await matrix('resets the "received" template', new Set(['pAdmin']), (who) => call('delete', '/api/notifications/templates/received', who));
    // reading the texts is for every administrator
    await matrix('reads the templates', new Set(['anAdmin', 'pAdmin', 'bhxhAdmin']), (who) => call('get', '/api/notifications/templates', who));
  });

  it('should refuse placeholders that are not the six listed, inherited names and template syntax included', async () => {
    const tries = [
      '{{constructor}}', '{{__proto__}}', '{{toString}}', '{{hasOwnProperty}}', '{{ma_ho_so.constructor}}', '{{applicant.name}}', '{{ho_ten}}',
      '{{#each dossier}}x{{/each}}', '{{ma_ho_so}', '{ {ma_ho_so}}}',
    ];
    for (const t of tries) {
      const before = await digest(w.h);
      const res = await call('put', '/api/notifications/templates/received', 'pAdmin').send({ subject: 'Hồ sơ {{ma_ho_so}}', body: `Xin chào ${t}` });
      tally.record(`template with ${t}`, false, res.status === 200);
      expect(res.status, `${t}: ${JSON.stringify(res.body)}`).toBe(422);
      expect(res.body.error.issues.map((i: { path: string }) => i.path)).toContain('/body');
      expect(res.body.error.message.en).toBeTruthy();
      expect(changed(before, await digest(w.h))).toEqual([]);
    }
    // what looks like code outside the braces is only text: it is sent as written, never run
    const code = 'Mã ${process.env.SECRETS_KEY} <script>alert(1)</script> #{7*7} {{ma_ho_so}}';
    expect((await call('put', '/api/notifications/templates/received', 'pAdmin').send({ subject: 'Hồ sơ {{ma_ho_so}}', body: code })).status).toBe(200);
    const d = await receive(w, 'lan', { procedureId: XNHN, channel: 'direct', receivingUnit: ANPHU, applicant: { id: '079196004090', name: 'Đỗ Thị Hạnh', email: 'hanh@example.vn' }, data: xnhnData, accept: true });
    await notifyRound(w.h.deps, { settleMs: 0 });
    const log = await call('get', `/api/notifications/deliveries?dossier=${d.id}`, 'pAdmin');
    const sent = (log.body.items as { event: string; body: string }[]).find((i) => i.event === 'received');
    expect(sent?.body).toBe(`Mã \${process.env.SECRETS_KEY} <script>alert(1)</script> #{7*7} ${d.id}`);
    expect((await call('delete', '/api/notifications/templates/received', 'pAdmin')).status).toBe(200);
  });
});

describe('the notification delivery log: citizens\' addresses, per unit', () => {
  it('should show an administrator the deliveries of their units\' dossiers only', { timeout: 120_000 }, async () => {
    const an = await receive(w, 'lan', { procedureId: XNHN, channel: 'direct', receivingUnit: ANPHU, applicant: { id: '079196004091', name: 'Lý Văn Tám', email: 'tam@example.vn' }, data: xnhnData, accept: true });
    const bm = await receive(w, 'bmDesk', { procedureId: XNHN, channel: 'direct', receivingUnit: BINHMINH, applicant: { id: '079196004092', name: 'Mai Thị Chín', email: 'chin@example.vn', phone: '0912000092' }, data: xnhnData, accept: true });
    await notifyRound(w.h.deps, { settleMs: 0 });
    // both dossiers have messages waiting (else the matrix below proves nothing)
    const all = await w.h.deps.db.select({ id: notificationDeliveries.dossierId }).from(notificationDeliveries);
    expect(all.map((r) => r.id)).toEqual(expect.arrayContaining([an.id, bm.id]));
    const sees: { [who: string]: Set<string> } = { anAdmin: new Set([an.id]), pAdmin: new Set([an.id, bm.id]), bhxhAdmin: new Set() };
    for (const p of PEOPLE) {
      for (const q of ['', `?dossier=${encodeURIComponent(bm.id)}`, `?dossier=${encodeURIComponent(an.id)}`]) {
        const res = await call('get', `/api/notifications/deliveries${q}`, p.username);
        expect(res.status).not.toBe(500);
        const listed = res.status === 200 ? new Set((res.body.items as { dossierId: string }[]).map((i) => i.dossierId)) : new Set<string>();
        for (const id of [an.id, bm.id].filter((x) => !q || q.endsWith(encodeURIComponent(x)))) {
          tally.record(`${p.username} reads deliveries${q} of ${id}`, sees[p.username]?.has(id) ?? false, listed.has(id));
        }
        for (const r of res.status === 200 ? res.body.items as { recipient: string; dossierId: string }[] : []) {
          if (!(sees[p.username]?.has(r.dossierId))) expect(r.recipient, `${p.username} reads another unit's recipient`).not.toMatch(/tam@|chin@|0912000092/);
        }
      }
    }
    // the province's administrator sees both, and the commune's theirs (not refused by accident)
    expect((await call('get', '/api/notifications/deliveries', 'anAdmin')).body.items.length).toBeGreaterThan(0);
  });

  it('should let the citizen choose channels only with the receipt\'s key, changing nothing otherwise (the last 4 digits only read)', async () => {
    const d = await receive(w, 'lan', { procedureId: XNHN, channel: 'direct', receivingUnit: ANPHU, applicant: { id: '079196004093', name: 'Tạ Văn Mười', phone: '0912000093' }, data: xnhnData, accept: true });
    const before = await digest(w.h);
    for (const body of [{ channels: ['sms'], last4: '0000' }, { channels: ['sms'], applicantId: '079196004099' }, { channels: ['sms'], key: 'sai-khoa' }, { channels: ['sms'] }, { channels: ['sms'], last4: '0093', id: 'x' }, { channels: ['sms'], last4: '0093' }, { channels: ['sms'], applicantId: '079196004093' }]) {
      const res = await call('put', `/api/public/dossiers/${encodeURIComponent(d.id)}/notifications`, null).send(body);
      expect(res.status, JSON.stringify(res.body)).not.toBe(500);
      tally.record(`anonymous chooses channels with ${JSON.stringify(body)}`, false, res.status === 200);
    }
    expect(changed(before, await digest(w.h))).toEqual([]);
    const ok = await call('put', `/api/public/dossiers/${encodeURIComponent(d.id)}/notifications`, null).send({ channels: ['sms'], key: await lookupKey(w.h, d.id) });
    tally.record('the citizen chooses channels with the receipt\'s key', true, ok.status === 200);
  });
});

describe('provincial parameters', () => {
  it('should let a province-wide value be set by the province\'s administrator only, and a unit\'s by its administrators', { timeout: 120_000 }, async () => {
    const scopes: [string, Set<string>][] = [
      ['*', new Set(['pAdmin'])], [ANPHU, new Set(['anAdmin', 'pAdmin'])], [BINHMINH, new Set(['pAdmin'])], [TANLAP, new Set(['pAdmin'])],
    ];
    let n = 0;
    for (const [scope, may] of scopes) {
      await matrix(`sets a parameter for ${scope}`, may, (who) => call('post', '/api/parameters', who).send({
        key: `fee.attack-${n++}`, scope, value: 1, effectiveFrom: new Date(w.h.clock.now().getTime() + DAY).toISOString(),
      }));
    }
    // nor backdated by the province to rewrite what dossiers recorded
    const back = await call('post', '/api/parameters', 'pAdmin').send({ key: 'fee.attack-back', scope: '*', value: 1, effectiveFrom: '2026-01-01T00:00:00.000Z' });
    tally.record('pAdmin backdates a parameter', false, back.status === 201);
  });
});

describe('other systems\' statistics', () => {
  const zero = { carriedOver: 0, online: 0, directPostal: 0, postal: 0, early: 0, onTime: 0, late: 0, withinDeadline: 0, overdue: 0, refused: 0, withdrawn: 0, apologies: 0 };
  const body = (unit: string, code: string) => ({ unit, from: '2026-01-01', to: '2026-01-31', source: { code, name: 'Hệ thống của bộ' }, figures: zero });

  it('should let only the unit\'s administrators and leaders (and those above) import, read and remove its figures', { timeout: 180_000 }, async () => {
    const anphu = new Set(['tuan', 'chu', 'anAdmin', 'pLeader', 'pAdmin']);
    let n = 0;
    await matrix('imports An Phú\'s figures', anphu, (who) => call('post', '/api/stats/imports', who).send(body(ANPHU, `bo-${n++}`)));
    await matrix('reads An Phú\'s imports', anphu, (who) => call('get', `/api/stats/imports?unit=${ANPHU}`, who));
    await matrix('imports Bình Minh\'s figures', new Set(['bmLeader', 'pLeader', 'pAdmin']), (who) => call('post', '/api/stats/imports', who).send(body(BINHMINH, `bm-${n++}`)));
    const list = await call('get', `/api/stats/imports?unit=${ANPHU}`, 'pAdmin');
    const ids = (list.body as { id: number }[]).map((r) => r.id);
    expect(ids.length).toBeGreaterThanOrEqual(anphu.size);
    let i = 0;
    await matrix('removes an An Phú import', anphu, (who) => call('delete', `/api/stats/imports/${ids[i++ % ids.length]}`, who).then((r) => { if (!gotIn(r.status)) i--; return r; }));
  });
});

describe('the national portal', () => {
  const conn = (over: object = {}) => ({
    province: PROVINCE, username: 'motcua', password: 'mat-khau-cong-dvc', agencyCode: PROVINCE,
    tokenUrl: 'https://93.184.215.14/token', syncUrl: 'https://93.184.215.14/sync', progressUrl: 'https://93.184.215.14/progress', queryUrl: 'https://93.184.215.14/query', ...over,
  });

  it('should let only the province\'s administrator manage connections, status tables, pulls and the inbound list', { timeout: 120_000 }, async () => {
    const root = new Set(['pAdmin']);
    const created = await call('post', '/api/portal/connections', 'pAdmin').send(conn({ inboundToken: 'pit_dung-cua-tinh-demo-0123456789' }));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as string;
    const table = (await call('get', `/api/portal/status-table/${PROVINCE}`, 'pAdmin')).body;
    await matrix('creates a portal connection', root, (who) => call('post', '/api/portal/connections', who).send(conn({ username: `u-${who}` })));
    await matrix('lists portal connections', root, (who) => call('get', '/api/portal/connections', who));
    await matrix('reads the status table', root, (who) => call('get', `/api/portal/status-table/${PROVINCE}`, who));
    await matrix('replaces the status table', root, (who) => call('put', `/api/portal/status-table/${PROVINCE}`, who).send({ codes: table.codes }));
    await matrix('lists inbound dossiers', root, (who) => call('get', '/api/portal/inbound', who));
    // reconcile and pull call the portal: only the refusals are tried here (the real calls are the portal tests')
    const others = new Set<string>();
    await matrix('reconciles a connection', others, (who) => (who === 'pAdmin' ? Promise.resolve({ status: 403, body: {} }) : call('post', `/api/portal/connections/${id}/reconcile`, who)));
    await matrix('pulls a connection', others, (who) => (who === 'pAdmin' ? Promise.resolve({ status: 403, body: {} }) : call('post', `/api/portal/connections/${id}/pull`, who)));
  });

  it('should refuse internal and non-http portal addresses', { timeout: 120_000 }, async () => {
    const bad = ['http://127.0.0.1:3600/token', 'http://169.254.169.254/latest/meta-data/', 'http://[::1]/x', 'http://10.0.0.5/x', 'file:///etc/passwd', 'http://localhost./x', 'gopher://127.0.0.1:6379/_INFO'];
    for (const key of ['tokenUrl', 'syncUrl', 'progressUrl', 'queryUrl']) {
      for (const url of bad) {
        const before = await digest(w.h);
        const res = await call('post', '/api/portal/connections', 'pAdmin').send(conn({ [key]: url }));
        expect(res.status, `${key}=${url}: ${JSON.stringify(res.body)}`).not.toBe(500);
        tally.record(`portal connection ${key}=${url}`, false, res.status === 201);
        expect(changed(before, await digest(w.h))).toEqual([]);
      }
    }
  });

  it('should refuse an inbound dossier without the right token, and receive a repeat once', async () => {
    const dossier = (id: string) => ({
      MaHoSoQG: id, MaTTHC: '1.004873.000.00.00.H99', MaDonVi: ANPHU, ChuHoSo: 'Trần Văn Bình', MaDoiTuong: '001090001234', NgayNopHoSo: '20260302085500',
      ThanhPhanHoSo: ['declaration', 'identity'], DuLieu: { personName: 'Trần Văn Bình', dateOfBirth: '1990-01-01', maritalStatus: 'never-married', purpose: 'marriage' },
    });
    const before = await digest(w.h);
    for (const token of [null, '', 'pit_sai', 'pit_dung-cua-tinh-demo-012345678', 'PIT_DUNG-CUA-TINH-DEMO-0123456789', w.auth['pAdmin']!.replace('Bearer ', '')]) {
      const r = w.h.http.post('/api/portal/inbound').send(dossier('G22.99-attack-1'));
      const res = token === null ? await r : await r.set('X-Portal-Token', token);
      tally.record(`portal inbound with token ${JSON.stringify(token?.slice(0, 20))}`, false, gotIn(res.status));
      expect(res.status).toBe(401);
    }
    // an officer's bearer token is not the portal's
    const officer = await call('post', '/api/portal/inbound', 'pAdmin').send(dossier('G22.99-attack-1'));
    tally.record('portal inbound with an officer token', false, gotIn(officer.status));
    expect(changed(before, await digest(w.h))).toEqual([]);
    const first = await w.h.http.post('/api/portal/inbound').set('X-Portal-Token', 'pit_dung-cua-tinh-demo-0123456789').send(dossier('G22.99-attack-2'));
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const again = await w.h.http.post('/api/portal/inbound').set('X-Portal-Token', 'pit_dung-cua-tinh-demo-0123456789').send({ ...dossier('G22.99-attack-2'), ChuHoSo: 'Người Khác' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ dossierId: first.body.dossierId, duplicate: true });
    tally.record('portal inbound repeat makes a second dossier', false, again.body.dossierId !== first.body.dossierId);
  });
});
