/** Dossiers the browser tests start through the API, as a desk officer would at the counter. */
import { expect, type APIRequestContext } from '@playwright/test';

const lateBirth = {
  childName: 'Trần Minh Khang', dateOfBirth: '2025-11-20', sex: 'male', placeOfBirth: 'Trạm Y tế xã An Phú', ethnicity: 'Kinh',
  nationality: 'Việt Nam', motherName: 'Võ Thị Hạnh', motherPersonalId: '079190001111', declarantRelation: 'mother', birthProof: 'birth-certificate', onTime: false,
};

/** A late birth registration received and accepted at An Phú's desk (slip 01 issued); its code. */
export async function receiveLateBirth(request: APIRequestContext): Promise<string> {
  const login = await request.post('/api/auth/login', { data: { username: 'motcua.anphu', password: 'motcua.anphu@123' } });
  expect(login.ok()).toBe(true);
  const token = ((await login.json()) as { token: string }).token;
  const headers = { Authorization: `Bearer ${token}` };
  const me = (await (await request.get('/api/auth/me', { headers })).json()) as { grants: { role: string; unit: string }[] };
  const unit = me.grants.find((g) => g.role === 'desk')!.unit;
  const res = await request.post('/api/dossiers', {
    headers, data: {
      procedureId: 'dang-ky-khai-sinh', channel: 'direct', receivingUnit: unit, accept: true,
      applicant: { name: 'Võ Thị Hạnh', phone: '0987654321', email: 'hanh@example.vn' }, data: lateBirth,
    },
  });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { id: string }).id;
}
