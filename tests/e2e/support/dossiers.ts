/** Dossiers the browser tests start through the API, as a desk officer would at the counter. */
import { expect, type APIRequestContext } from '@playwright/test';

const lateBirth = {
  childName: 'Trần Minh Khang', dateOfBirth: '2025-11-20', sex: 'male', placeOfBirth: 'Trạm Y tế xã An Phú', ethnicity: 'Kinh',
  nationality: 'Việt Nam', motherName: 'Võ Thị Hạnh', motherPersonalId: '079190001111', declarantRelation: 'mother', birthProof: 'birth-certificate', onTime: false,
};

/** A dossier received and accepted at An Phú's desk (slip 01 issued) by its desk officer; its code. */
async function receiveAtDesk(request: APIRequestContext, dossier: { procedureId: string; applicant: object; data: object }): Promise<string> {
  const login = await request.post('/api/auth/login', { data: { username: 'motcua.anphu', password: 'motcua.anphu@123' } });
  expect(login.ok()).toBe(true);
  const token = ((await login.json()) as { token: string }).token;
  const headers = { Authorization: `Bearer ${token}` };
  const me = (await (await request.get('/api/auth/me', { headers })).json()) as { grants: { role: string; unit: string }[] };
  const unit = me.grants.find((g) => g.role === 'desk')!.unit;
  const res = await request.post('/api/dossiers', { headers, data: { ...dossier, channel: 'direct', receivingUnit: unit, accept: true } });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

/** A late birth registration received and accepted at An Phú's desk; its code. */
export function receiveLateBirth(request: APIRequestContext): Promise<string> {
  return receiveAtDesk(request, {
    procedureId: 'dang-ky-khai-sinh', applicant: { name: 'Võ Thị Hạnh', phone: '0987654321', email: 'hanh@example.vn' }, data: lateBirth,
  });
}

/** A request for a copy of the applicant's own birth record ("Cấp bản sao trích lục hộ tịch") received at An Phú; its code. */
export function receiveCopyRequest(request: APIRequestContext, applicant: { name: string; id: string; phone: string }, registrationYear: number): Promise<string> {
  return receiveAtDesk(request, {
    procedureId: 'cap-ban-sao-trich-luc-ho-tich', applicant: { name: applicant.name, id: applicant.id, phone: applicant.phone },
    data: { eventType: 'birth', subjectName: applicant.name, subjectPersonalId: applicant.id, registrationPlace: 'UBND xã An Phú', registrationYear, copies: 1 },
  });
}
