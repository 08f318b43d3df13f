import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANPHU_STAFF, createHarness, login, publishFixture, seedPeople, type Harness } from './support/harness';
import { units } from '../src/db/schema';
import { loadDossier } from '../src/dossiers/service';
import { slipDataFor } from '../src/slips/data';

// Issue 15, items 1–3 over HTTP: the hand-off's unit comes from the dossier's data at run time
// (the desk sees it before it goes), the linked dossier's declared outputs come back into the
// parent's data where its guards read them, and the history and slip 05 show the coordination.
const ANPHU = '000.01.31.H99';
const TANLAP = '000.03.31.H99';
const TANLAP_POLICE = '000.13.31.H99';
const PARENT = 'xac-nhan-tinh-trang-hon-nhan-xac-minh';
const CHILD = 'xac-minh-tinh-trang-hon-nhan';
const data = { personName: 'Kiều Thị Mỹ', dateOfBirth: '1996-04-18', maritalStatus: 'never-married', purpose: 'marriage' };

let h: Harness;
const auth: { [who: string]: string } = {};
let parentId = '';

interface View { id: string; version: number; active: { step: string }[]; data: { [k: string]: unknown }; status: string; outcome: string | null }
const act = async (who: string, id: string, step: string, action: string, inputs: object = {}) =>
  h.http.post(`/api/dossiers/${id}/actions`).set('Authorization', auth[who]!).send({ step, action, inputs });

/** Moves the manual clock and signs everyone in again (a session does not outlive a day). */
async function at(instant: string): Promise<void> {
  h.clock.set(instant);
  for (const u of ['lan', 'hung', 'tuan', 'hanh', 'binh']) auth[u] = await login(h, u);
}

beforeAll(async () => {
  h = await createHarness({ now: '2026-03-10T01:15:00.000Z' });
  await seedPeople(h, []);
  await h.deps.db.insert(units).values([
    { code: TANLAP, name: 'UBND xã Tân Lập', kind: 'commune', parent: '000.00.00.H99', collectiveName: 'ỦY BAN NHÂN DÂN', headTitle: 'CHỦ TỊCH', oneStop: true },
    { code: TANLAP_POLICE, name: 'Công an xã Tân Lập', kind: 'police', headTitle: 'TRƯỞNG CÔNG AN XÃ' },
  ]);
  await seedPeople(h, [...ANPHU_STAFF,
    { username: 'hanh', name: 'Đỗ Thị Hạnh', grants: [{ role: 'specialist', unit: TANLAP }] },
    { username: 'binh', name: 'Ngô Văn Bình', grants: [{ role: 'leader', unit: TANLAP, position: 'head', title: 'CHỦ TỊCH' }] }]);
  await publishFixture(h, PARENT);
  await publishFixture(h, CHILD);
  await at('2026-03-10T01:15:00.000Z');
  const res = await h.http.post('/api/dossiers').set('Authorization', auth['lan']!).send({
    procedureId: PARENT, channel: 'direct', receivingUnit: ANPHU, accept: true, applicant: { name: 'Kiều Thị Mỹ' }, data,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  parentId = (res.body as View).id;
});
afterAll(async () => h.close());

describe('a hand-off whose unit is chosen at run time', () => {
  it('should show the desk the unit before the hand-off goes, and refuse one that will not do with its pointer', async () => {
    // given the dossier at verify / when the specialist previews asking Tân Lập
    await at('2026-03-10T03:00:00.000Z');
    const ok = await h.http.post(`/api/dossiers/${parentId}/preview`).set('Authorization', auth['hung']!)
      .send({ step: 'verify', action: 'askPreviousCommune', inputs: { previousCommune: TANLAP } });
    // then the preview names the unit, its kind and the internal procedure, and the later appointment
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toMatchObject({
      handoffs: [{ step: 'previousCommune', procedure: { id: CHILD, internal: true }, unit: { code: TANLAP, name: 'UBND xã Tân Lập', kind: 'commune' } }],
      dueAt: '2026-03-18T10:00:00.000Z',
    });
    // and a police unit is refused with a pointer at the input, in both languages
    const bad = await h.http.post(`/api/dossiers/${parentId}/preview`).set('Authorization', auth['hung']!)
      .send({ step: 'verify', action: 'askPreviousCommune', inputs: { previousCommune: TANLAP_POLICE } });
    expect(bad.status).toBe(422);
    // (into the request body, where the input is under `inputs`)
    expect(bad.body.error).toMatchObject({ code: 'HANDOFF_UNIT_INVALID', issues: [{ path: '/inputs/previousCommune' }] });
    expect(bad.body.error.message.vi).toContain('Công an xã Tân Lập');
    // and the action itself is refused the same way, nothing stored
    const refused = await act('hung', parentId, 'verify', 'askPreviousCommune', { previousCommune: TANLAP_POLICE });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'HANDOFF_UNIT_INVALID', issues: [{ path: '/inputs/previousCommune' }] });
    // and in a bulk body, at the item's inputs
    const inBulk = await h.http.post('/api/dossiers/bulk-actions').set('Authorization', auth['hung']!)
      .send({ items: [{ id: parentId, step: 'verify', action: 'askPreviousCommune', inputs: { previousCommune: TANLAP_POLICE } }] });
    expect(inBulk.body.results[0]).toMatchObject({ ok: false, error: { code: 'HANDOFF_UNIT_INVALID', issues: [{ path: '/items/0/inputs/previousCommune' }] } });
    expect((await loadDossier(h.deps.db, parentId))?.version).toBe(2);
  });

  it('should open the linked dossier at the unit the data names, and bring its answer back into the parent data', async () => {
    // when the specialist asks Tân Lập
    const asked = await act('hung', parentId, 'verify', 'askPreviousCommune', { previousCommune: TANLAP, previousFrom: '2014-05-01', previousTo: '2022-08-31' });
    expect(asked.status, JSON.stringify(asked.body)).toBe(200);
    expect((asked.body as View).active.map((a) => a.step)).toEqual(['previousCommune']);
    // then Tân Lập's specialist finds the verification dossier in the inbox
    const inbox = await h.http.get('/api/dossiers?box=unit').set('Authorization', auth['hanh']!);
    const child = (inbox.body as { items: { id: string; procedureId?: string; procedure?: { id: string } }[] }).items[0]!;
    expect(child).toBeDefined();
    const childRow = await loadDossier(h.deps.db, child.id);
    expect(childRow).toMatchObject({ procedureId: CHILD, competentUnit: TANLAP, parentId });
    // when Tân Lập answers "married" and its leader signs
    await at('2026-03-11T03:00:00.000Z');
    expect((await act('hanh', child.id, 'lookup', 'propose', { statusFound: 'married', answerNote: 'Đăng ký kết hôn năm 2019, chưa có ghi chú ly hôn.' })).status).toBe(200);
    const signed = await act('binh', child.id, 'sign', 'approve');
    expect(signed.status, JSON.stringify(signed.body)).toBe(200);
    // then the parent is back at verify with the answer in its data
    const parent = await h.http.get(`/api/dossiers/${parentId}`).set('Authorization', auth['hung']!);
    expect((parent.body as View).active.map((a) => a.step)).toEqual(['verify']);
    expect((parent.body as View).data).toMatchObject({ previousStatus: 'married', previousAnsweredBy: TANLAP, previousAnswer: 'Đăng ký kết hôn năm 2019, chưa có ghi chú ly hôn.' });
    // and the parent's guard reads it: no certificate, only a reasoned rejection
    const propose = await act('hung', parentId, 'verify', 'propose', { certificateNo: '52/2026/XNTTHN' });
    expect(propose.status).toBe(422);
    expect(propose.body.error.code).toBe('ACTION_GUARD_FAILED');
    expect((await act('hung', parentId, 'verify', 'proposeRejection', { reason: 'Xã Tân Lập trả lời người yêu cầu đang có chồng.' })).status).toBe(200);
  });

  it('should show the hand-off as coordination in the history and on slip 05', async () => {
    // when the specialist reads the parent's history
    const res = await h.http.get(`/api/dossiers/${parentId}/events`).set('Authorization', auth['hung']!);
    expect(res.status).toBe(200);
    const coordination = (res.body as { coordination?: { kind: string; unit: { code: string; name: string }; procedure: { internal: boolean }; outputs?: { name: string; title: { vi: string } | null; value: unknown }[] }[] }[])
      .flatMap((e) => e.coordination ?? []);
    // then it shows the request sent to Tân Lập and the answer with the titles the child declares
    expect(coordination.map((c) => [c.kind, c.unit.name, c.procedure.internal])).toEqual([['sent', 'UBND xã Tân Lập', true], ['answered', 'UBND xã Tân Lập', true]]);
    expect(coordination[1]!.outputs).toContainEqual({ name: 'maritalStatus', title: { vi: 'Tình trạng hôn nhân theo xác minh', en: 'Marital status found' }, value: 'married' });
    // and slip 05 names Tân Lập as coordinating body, in the row that sends and the row that answers
    const row = await loadDossier(h.deps.db, parentId);
    const slip = await slipDataFor(h.deps, row!, 'control');
    expect(slip.coordinatingUnits).toEqual(['UBND xã Tân Lập']);
    expect(slip.handoffs?.map((x) => [x.from, x.to])).toEqual(expect.arrayContaining([
      [expect.stringContaining('Lê Văn Hùng'), 'UBND xã Tân Lập (cơ quan phối hợp) – Chờ UBND xã nơi thường trú trước đây trả lời xác minh'],
      ['UBND xã Tân Lập (cơ quan phối hợp) – trả lời', expect.stringContaining('Tra cứu, xác minh')],
    ]));
  });
});
