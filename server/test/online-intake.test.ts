/**
 * The desk's one-click answers to an online dossier waiting for acceptance, besides accepting
 * it: a supplement request (slip 02: at least one paper, from the procedure's list or typed, and
 * a reason) or a refusal (slip 03: a reason). Bad input is a 422 with pointers, in both languages;
 * the citizen sees the slip on "Hồ sơ của tôi" and downloads it as PDF.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIRTH_DATA, as, citizen, onlineWorld, readyDraft, smallPdf, type OnlineWorld } from './support/online';

let w: OnlineWorld;
beforeAll(async () => { w = await onlineWorld(); });
afterAll(async () => { await w?.close(); });

/** A fresh online birth registration by the given citizen, waiting at intake; its code. */
async function submitted(personalId: string, childName: string): Promise<{ code: string; c: ReturnType<typeof as> }> {
  const s = await citizen(w, personalId);
  const c = as(w.h, s);
  const data = { ...BIRTH_DATA, childName, motherName: 'Võ Thị Thu', motherPersonalId: personalId };
  const sub = await c.post(`/api/me/drafts/${await readyDraft(w, s, data)}/submit`).send({});
  expect(sub.status, JSON.stringify(sub.body)).toBe(201);
  expect(sub.body.portalStatus).toBe(1);
  return { code: sub.body.id as string, c };
}

const act = (code: string, body: object) => w.h.http.post(`/api/dossiers/${encodeURIComponent(code)}/actions`).set('Authorization', w.desk).send(body);

const pdfMagic = (body: unknown) => Buffer.from(body as Buffer).subarray(0, 5).toString();

describe('the desk answers an online dossier at intake: supplement or refusal', () => {
  it('refuses bad input with a 422, pointers into the inputs, in Vietnamese and English; nothing changes', async () => {
    const { code, c } = await submitted('001199000002', 'Võ Gia Hân');
    const empty = await act(code, { step: 'intake', action: 'requestSupplement', inputs: { reason: 'Thiếu giấy tờ', documents: [] } });
    expect(empty.status).toBe(422);
    expect(empty.body.error.code).toBe('ACTION_INPUT_INVALID');
    expect(empty.body.error.message.vi).toMatch(/Yêu cầu bổ sung/);
    expect(empty.body.error.message.en).toMatch(/Request a supplement/);
    expect(empty.body.error.issues).toEqual([{ path: '/inputs/documents', message: { vi: expect.stringMatching(/ít nhất 1/), en: expect.stringMatching(/fewer than 1/) } }]);
    const noPapers = await act(code, { step: 'intake', action: 'requestSupplement', inputs: { reason: 'Thiếu giấy tờ' } });
    expect(noPapers.status).toBe(422);
    expect(noPapers.body.error.issues.map((i: { path: string }) => i.path)).toEqual(['/inputs/documents']);
    const noReason = await act(code, { step: 'intake', action: 'requestSupplement', inputs: { documents: ['birthCertificate'] } });
    expect(noReason.status).toBe(422);
    expect(noReason.body.error.issues.map((i: { path: string }) => i.path)).toEqual(['/inputs/reason']);
    const refuseBare = await act(code, { step: 'intake', action: 'refuse', inputs: {} });
    expect(refuseBare.status).toBe(422);
    expect(refuseBare.body.error.issues[0]).toMatchObject({ path: '/inputs/reason', message: { vi: expect.stringMatching(/bắt buộc/i), en: expect.stringMatching(/required/i) } });
    // Still waiting for the desk, no slip issued.
    const mine = await c.get(`/api/me/dossiers/${code}`);
    expect(mine.body).toMatchObject({ portalStatus: 1, slips: [], papersAsked: [] });
  });

  it('a supplement request (papers from the list and typed) pauses the dossier before acceptance; the citizen reads slip 02 as PDF, hands the papers in, and the desk accepts', async () => {
    const { code, c } = await submitted('001199000003', 'Lê Gia Huy');
    const ask = await act(code, { step: 'intake', action: 'requestSupplement', inputs: { reason: 'Giấy chứng sinh bị mờ', documents: ['birthCertificate', 'Giấy xác nhận nơi cư trú'] } });
    expect(ask.status, JSON.stringify(ask.body)).toBe(200);
    // Off the desk's list of dossiers waiting at intake: the citizen holds it now.
    const inbox = await w.h.http.get('/api/dossiers?box=unit&channel=online').set('Authorization', w.desk);
    const item = inbox.body.items.find((i: { id: string }) => i.id === code);
    expect(item?.status).toBe('waiting-citizen');
    let mine = await c.get(`/api/me/dossiers/${code}`);
    expect(mine.body.portalStatus).toBe(3);
    expect(mine.body.statusText.vi).toBe('Chờ bạn bổ sung giấy tờ');
    // The paper picked from the list reads by its name; the typed one as typed.
    expect(mine.body.papersAsked).toEqual([{ reason: 'Giấy chứng sinh bị mờ', documents: ['Giấy chứng sinh do cơ sở y tế cấp', 'Giấy xác nhận nơi cư trú'], at: expect.any(String) }]);
    expect(mine.body.timeline.map((t: { text: { vi: string } }) => t.text.vi)).toContain('Cơ quan yêu cầu bổ sung, hoàn thiện hồ sơ (phiếu mẫu 02)');
    expect(mine.body.slips).toEqual([{ kind: 'supplement-request', title: expect.objectContaining({ vi: expect.any(String) }), url: `/api/me/dossiers/${code}/slips/supplement-request` }]);
    const slip = await c.get(mine.body.slips[0].url).buffer(true);
    expect(slip.status).toBe(200);
    expect(slip.headers['content-type']).toBe('application/pdf');
    expect(pdfMagic(slip.body)).toBe('%PDF-');
    expect(mine.body.actions.map((a: { action: string }) => a.action)).toContain('submitSupplement');
    // The citizen hands the papers in; the dossier is back at the desk, which accepts it (slip 01).
    const up = await c.post(`/api/me/dossiers/${code}/documents`).attach('file', await smallPdf('giay chung sinh ro'), { filename: 'giay-chung-sinh.pdf', contentType: 'application/pdf' });
    expect(up.status).toBe(201);
    const handed = await c.post(`/api/me/dossiers/${code}/actions`).send({ step: 'intakeWait', action: 'submitSupplement' });
    expect(handed.status, JSON.stringify(handed.body)).toBe(200);
    expect(handed.body.portalStatus).toBe(1);
    expect((await act(code, { step: 'intake', action: 'accept' })).status).toBe(200);
    mine = await c.get(`/api/me/dossiers/${code}`);
    expect(mine.body.portalStatus).toBe(2);
    expect(mine.body.slips.map((x: { kind: string }) => x.kind).sort()).toEqual(['receipt', 'supplement-request']);
  });

  it('a refusal with a reason closes the dossier; the citizen reads slip 03 as PDF and has no action left', async () => {
    const { code, c } = await submitted('001199000004', 'Phạm Gia Linh');
    const refused = await act(code, { step: 'intake', action: 'refuse', inputs: { reason: 'Không thuộc thẩm quyền của xã' } });
    expect(refused.status, JSON.stringify(refused.body)).toBe(200);
    const mine = await c.get(`/api/me/dossiers/${code}`);
    expect(mine.body).toMatchObject({ portalStatus: 5, outcome: 'refused', actions: [] });
    expect(mine.body.statusText.vi).toBe('Bị từ chối tiếp nhận');
    expect(mine.body.timeline.map((t: { text: { vi: string } }) => t.text.vi)).toContain('Hồ sơ bị từ chối tiếp nhận (phiếu mẫu 03)');
    expect(mine.body.slips.map((x: { kind: string }) => x.kind)).toEqual(['refusal']);
    const slip = await c.get(mine.body.slips[0].url).buffer(true);
    expect(slip.status).toBe(200);
    expect(pdfMagic(slip.body)).toBe('%PDF-');
    // Once refused, neither answer is open any more.
    const again = await act(code, { step: 'intake', action: 'requestSupplement', inputs: { reason: 'x', documents: ['identity'] } });
    expect(again.status).toBeGreaterThanOrEqual(400);
    expect(again.status).toBeLessThan(500);
  });
});
