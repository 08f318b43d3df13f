/**
 * The desk's side of intake: the procedure list says which procedures this desk can receive
 * (and why not), and the applicant's phone is checked and kept in one national form.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProcedureDefinition } from '@motcua/engine';
import { createHarness, login, publishFixture, seedPeople, type Harness, ANPHU_STAFF } from './support/harness';
import { procedures, procedureVersions } from '../src/db/schema';
import { intakeAt } from '../src/catalog/unitKinds';

const ANPHU = '000.01.31.H99';
let h: Harness;
let lan = '';

type Item = { id: string; intake?: { receivable: boolean; forOther?: boolean; reason?: { vi: string; en: string } } };

const intakeBody = (extra: object = {}, applicant: object = {}) => ({
  procedureId: 'xac-nhan-tinh-trang-hon-nhan', channel: 'direct', receivingUnit: ANPHU,
  applicant: { id: '079196004040', name: 'Kiều Thị Mỹ', ...applicant },
  data: { personName: 'Kiều Thị Mỹ', dateOfBirth: '1996-04-18', maritalStatus: 'never-married', purpose: 'marriage' },
  ...extra,
});

beforeAll(async () => {
  // given a commune desk, a civil-status procedure it decides, two the police and social insurance decide,
  // and a province-level procedure that names no competent kinds
  h = await createHarness({ now: '2026-03-02T01:15:00.000Z' });
  await seedPeople(h, ANPHU_STAFF);
  const marital = await publishFixture(h, 'xac-nhan-tinh-trang-hon-nhan');
  await publishFixture(h, 'dang-ky-tam-tru');
  await publishFixture(h, 'cap-the-bhyt-tre-em-duoi-6-tuoi');
  // the bundle birth + residence + health card is received online only (catalog.channels: ["online"])
  await publishFixture(h, 'lien-thong-khai-sinh-thuong-tru-bhyt');
  const province = JSON.parse(JSON.stringify(marital)) as ProcedureDefinition;
  province.id = 'thu-tuc-cap-tinh';
  province.catalog = { ...province.catalog, code: '9.000001', level: 'province', name: { vi: 'Thủ tục cấp tỉnh thử nghiệm' } };
  delete province.catalog.competentUnitKinds;
  await h.deps.db.insert(procedures).values({ id: province.id, code: province.catalog.code, name: province.catalog.name.vi, field: province.catalog.field });
  await h.deps.db.insert(procedureVersions).values({ procedureId: province.id, version: province.version, status: 'published', definition: province, effectiveFrom: '2026-01-01T00:00:00.000Z', publishedAt: '2026-01-01T00:00:00.000Z', publishedBy: 'fixture' });
  lan = await login(h, 'lan');
});
afterAll(async () => h.close());

describe('the desk\'s procedure list', () => {
  it('should say which procedures the desk can receive, why not the others, and list the receivable first', async () => {
    const res = await h.http.get('/api/public/procedures').query({ desk: ANPHU, pageSize: 100 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const items = res.body.items as Item[];
    const of = (id: string) => items.find((i) => i.id === id)?.intake;
    expect(of('xac-nhan-tinh-trang-hon-nhan')).toEqual({ receivable: true, forOther: false });
    expect(of('dang-ky-tam-tru')).toMatchObject({ receivable: false, reason: { vi: 'thủ tục do Công an cấp xã tiếp nhận và giải quyết' } });
    expect(of('cap-the-bhyt-tre-em-duoi-6-tuoi')).toMatchObject({ receivable: false, reason: { vi: 'thủ tục do cơ quan Bảo hiểm xã hội tiếp nhận và giải quyết' } });
    expect(of('thu-tuc-cap-tinh')).toMatchObject({ receivable: false, reason: { vi: 'thủ tục cấp tỉnh, không tiếp nhận và giải quyết tại UBND xã An Phú' } });
    expect(items[0]?.id).toBe('xac-nhan-tinh-trang-hon-nhan');
    expect(items.slice(1).every((i) => i.intake?.receivable === false)).toBe(true);
  });

  it('should say an online-only procedure is not received at the desk, in words', async () => {
    const res = await h.http.get('/api/public/procedures').query({ desk: ANPHU, pageSize: 100 });
    const bundle = (res.body.items as Item[]).find((i) => i.id === 'lien-thong-khai-sinh-thuong-tru-bhyt');
    expect(bundle?.intake).toEqual({
      receivable: false,
      reason: { vi: 'thủ tục chỉ nhận hồ sơ trực tuyến, không tiếp nhận tại quầy', en: 'it accepts dossiers only online, not at the desk' },
    });
  });

  it('should refuse a direct intake of an online-only procedure with a pointer at the channel', async () => {
    const res = await h.http.post('/api/dossiers').set('Authorization', lan).send(intakeBody({ procedureId: 'lien-thong-khai-sinh-thuong-tru-bhyt', data: {} }));
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'CHANNEL_NOT_ACCEPTED', issues: [expect.objectContaining({ path: '/channel' })] });
    expect(res.body.error.message.vi).toContain('không nhận hồ sơ trực tiếp: thủ tục chỉ nhận hồ sơ trực tuyến');
    expect(res.body.error.message.en).toContain('does not accept dossiers in person');
  });

  it('should leave the public list as it was without a desk, and answer 404 for an unknown desk', async () => {
    const open = await h.http.get('/api/public/procedures').query({ pageSize: 100 });
    expect((open.body.items as Item[]).every((i) => i.intake === undefined)).toBe(true);
    expect((await h.http.get('/api/public/procedures').query({ desk: '999.99.99.H99' })).status).toBe(404);
  });

  it('should refuse at intake a province-level procedure a commune desk was never offered', async () => {
    const res = await h.http.post('/api/dossiers').set('Authorization', lan).send(intakeBody({ procedureId: 'thu-tuc-cap-tinh' }));
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'ROUTING_NOT_ALLOWED', issues: [expect.objectContaining({ path: '/receivingUnit' })] });
    expect(res.body.error.message.vi).toContain('thủ tục cấp tỉnh');
  });

  it('should take in a non-geographic procedure for a unit of a competent kind only at a one-stop desk, and only when one exists', () => {
    const residence = { code: '1.004194', level: 'commune' as const, competentUnitKinds: ['police'], nonGeographic: true };
    const desk = { kind: 'commune', name: 'UBND xã An Phú', oneStop: true };
    expect(intakeAt(residence, desk, [{ kind: 'commune' }, { kind: 'police' }])).toEqual({ receivable: true, forOther: true });
    expect(intakeAt(residence, desk, [{ kind: 'commune' }])).toMatchObject({ receivable: false, reason: { vi: expect.stringContaining('chưa có đơn vị nào') } });
    expect(intakeAt(residence, { ...desk, oneStop: false }, [{ kind: 'police' }])).toMatchObject({ receivable: false, reason: { vi: expect.stringContaining('không phải Bộ phận Một cửa') } });
    // a unit of a kind with no level of its own (the police) decides what names no kinds
    expect(intakeAt({ ...residence, competentUnitKinds: null, level: 'province' }, { kind: 'police', name: 'Công an', oneStop: false }, [])).toEqual({ receivable: true, forOther: false });
  });
});

describe('the applicant\'s phone at the desk', () => {
  it('should keep a Vietnamese number in national form however it was typed', async () => {
    const res = await h.http.post('/api/dossiers').set('Authorization', lan).send(intakeBody({}, { phone: '+84 912.345.678' }));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.data.applicantContact.phone).toBe('0912345678');
  });

  it('should refuse a number that is not one, in both languages, at the phone field', async () => {
    const res = await h.http.post('/api/dossiers').set('Authorization', lan).send(intakeBody({}, { phone: '091234' }));
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({
      code: 'PHONE_INVALID',
      issues: [{ path: '/applicant/phone', message: { vi: expect.stringContaining('Số điện thoại không hợp lệ'), en: expect.stringContaining('Invalid phone number') } }],
    });
  });

  it('should take a blank phone as no phone', async () => {
    const res = await h.http.post('/api/dossiers').set('Authorization', lan).send(intakeBody({}, { phone: '  ' }));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.data.applicantContact.phone).toBeNull();
  });
});
