/**
 * Routing at intake, tried by desks: the competent unit must be of a kind the procedure's
 * catalog entry names, the return unit a one-stop desk (or the receiving or competent unit).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANPHU, BHXH, BINHMINH, CTCK, JUSTICE, PROVINCE, TANLAP, Tally, XNHN, createWorld, ctckData, xnhnData, type World } from './support/world';

let w: World;
const tally = new Tally('routing (desk × competent/return unit)');

beforeAll(async () => { w = await createWorld(); });
afterAll(async () => {
  tally.assert();
  await w.h.close();
});

describe('routing at intake follows the catalog entry and the one-stop desks', () => {
  it('should refuse a competent unit of another kind and a return unit that is no one-stop desk', async () => {
    const cases: [who: string, body: object, allowed: boolean][] = [];
    const base = (procedureId: string, receivingUnit: string, extra: object) => ({
      procedureId, channel: 'direct', receivingUnit, applicant: { id: '079196004040', name: 'Kiều Thị Mỹ' },
      data: procedureId === XNHN ? xnhnData : ctckData, ...extra,
    });
    for (const [proc] of [[XNHN], [CTCK]] as const) {
      for (const [competent, ok] of [[ANPHU, true], [TANLAP, true], [BINHMINH, true], [BHXH, false], [JUSTICE, false], [PROVINCE, false]] as const) {
        cases.push(['bmDesk', base(proc, BINHMINH, { competentUnit: competent }), ok]);
      }
      for (const [back, ok] of [[TANLAP, true], [ANPHU, true], [PROVINCE, true], [BHXH, false], [JUSTICE, false]] as const) {
        cases.push(['bmDesk', base(proc, BINHMINH, { competentUnit: ANPHU, returnUnit: back }), ok]);
        cases.push(['lan', base(proc, ANPHU, { returnUnit: back }), ok]);
      }
      // a desk of a unit of another kind cannot take in a commune's procedure at all
      cases.push(['bhxhDesk', base(proc, BHXH, {}), false]);
      cases.push(['bhxhDesk', base(proc, BHXH, { competentUnit: ANPHU }), false]);
    }
    for (const [who, body, allowed] of cases) {
      const res = await w.h.http.post('/api/dossiers').set('Authorization', w.auth[who]!).send(body);
      expect(res.status, `${who} ${JSON.stringify(body)}: ${JSON.stringify(res.body)}`).not.toBe(500);
      if (!allowed && res.status !== 201) expect(res.status, JSON.stringify(res.body)).toBe(422);
      tally.record(`${who} ${JSON.stringify({ ...body, data: undefined, applicant: undefined })}`, allowed, res.status === 201);
    }
  });
});
