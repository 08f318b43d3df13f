/**
 * Realistic dossier data and action inputs for the demo: taken from the procedures'
 * scenario files where they match, else generated from the JSON Schema the definition
 * declares (strings, integers ≥ minimum, enums, booleans, dates).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JsonSchema } from '@motcua/engine';
import { PROCEDURES_DIR } from './people';
import { personName, type Rng } from './random';

type Json = { [key: string]: unknown };

interface ScenarioFile {
  start: { receivingUnit: string; channel: string; data?: Json };
  steps: { step: string; action: string; inputs?: Json; expect?: { error?: string } }[];
}

/** What the scenario files of one procedure say: start data, inputs per step and action, receiving units. */
export interface ScenarioBank {
  starts: Json[];
  inputs: Map<string, Json[]>;
  receivingUnits: string[];
}

/** Reads `procedures/<slug>/scenarios/*.json` for every procedure, keyed by procedure id. */
export function loadScenarioBanks(dir: string = PROCEDURES_DIR): Map<string, ScenarioBank> {
  const out = new Map<string, ScenarioBank>();
  for (const slug of readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort()) {
    let id: string;
    try {
      id = (JSON.parse(readFileSync(join(dir, slug, 'procedure.json'), 'utf8')) as { id: string }).id;
    } catch {
      continue;
    }
    const bank: ScenarioBank = { starts: [], inputs: new Map(), receivingUnits: [] };
    const scenarios = join(dir, slug, 'scenarios');
    const files = existsSync(scenarios) ? readdirSync(scenarios).filter((f) => f.endsWith('.json')).sort() : [];
    for (const f of files) {
      const sc = JSON.parse(readFileSync(join(dir, slug, 'scenarios', f), 'utf8')) as ScenarioFile;
      if (sc.start.data) bank.starts.push(sc.start.data);
      bank.receivingUnits.push(sc.start.receivingUnit);
      for (const s of sc.steps) {
        if (s.expect?.error || !s.inputs || Object.keys(s.inputs).length === 0) continue;
        const key = `${s.step}:${s.action}`;
        bank.inputs.set(key, [...(bank.inputs.get(key) ?? []), s.inputs]);
      }
    }
    out.set(id, bank);
  }
  return out;
}

/**
 * A refusal for the applicant's place (residence, "not this body's area"): never given for a
 * non-geographic procedure, which any one-stop desk of the province receives whatever the
 * applicant's residence (docs/domain.md, "Non-geographic intake").
 */
const GEOGRAPHIC_REFUSALS = new Set(['Hồ sơ không thuộc thẩm quyền giải quyết của cơ quan tiếp nhận']);

/** True for a refusal reason that only a procedure bound to the applicant's place may give. */
export const isGeographicRefusal = (reason: unknown): boolean =>
  typeof reason === 'string' && (GEOGRAPHIC_REFUSALS.has(reason) || /nơi cư trú|địa bàn|không thuộc thẩm quyền/iu.test(reason));

const REASONS: { [action: string]: string[] } = {
  refuse: [
    'Hồ sơ không thuộc thẩm quyền giải quyết của cơ quan tiếp nhận',
    'Việc hộ tịch đã được đăng ký tại nơi khác',
    'Người yêu cầu không thuộc đối tượng được giải quyết theo quy định',
    'Giấy tờ xuất trình không phải bản chính, không đối chiếu được',
  ],
  requestSupplement: [
    'Thiếu giấy tờ chứng minh nhân thân của người nộp hồ sơ',
    'Tờ khai chưa ghi đủ thông tin, đề nghị kê khai lại',
    'Thiếu văn bản ủy quyền có chứng thực (nộp thay)',
    'Giấy tờ chứng minh chỗ ở hợp pháp chưa hợp lệ',
    'Bản sao giấy tờ không rõ nét, đề nghị nộp lại',
  ],
  sendBack: [
    'Đề nghị kiểm tra lại thông tin trước khi trình ký',
    'Dự thảo kết quả còn sai sót, đề nghị chỉnh sửa',
    'Đề nghị bổ sung ý kiến thẩm định của công chức chuyên môn',
  ],
  extend: [
    'Cần xác minh thêm thông tin tại nơi cư trú trước đây',
    'Chờ cơ quan liên quan trả lời văn bản xác minh',
    'Sổ gốc đang lưu tại kho lưu trữ, cần thêm thời gian tra cứu',
  ],
  proposeRejection: [
    'Không đủ điều kiện theo quy định của pháp luật',
    'Có tranh chấp, hướng dẫn yêu cầu Tòa án giải quyết',
  ],
  withdraw: ['Không còn nhu cầu', 'Gia đình thay đổi dự định, xin rút hồ sơ', 'Đã nộp hồ sơ tại cơ quan khác'],
};
const DOCUMENTS = ['Giấy tờ tùy thân (bản chính để đối chiếu)', 'Tờ khai theo mẫu', 'Văn bản ủy quyền có chứng thực', 'Giấy tờ chứng minh chỗ ở hợp pháp'];

const isoDate = (t: number) => new Date(t + 7 * 3_600_000).toISOString().slice(0, 10);

/** A value satisfying a (simple) JSON Schema, or undefined when it cannot make one. */
export function fromSchema(schema: JsonSchema | undefined, key: string, rng: Rng, at: number, action = ''): unknown {
  if (!schema || typeof schema !== 'object') return undefined;
  const s = schema as { [k: string]: unknown };
  if (Array.isArray(s['enum'])) return rng.pick(s['enum'] as unknown[]);
  // A labelled choice list (docs/forms.md): one of its codes.
  if (Array.isArray(s['oneOf']) && s['oneOf'].length > 0 && s['oneOf'].every((o) => typeof o === 'object' && o !== null && 'const' in o)) {
    return rng.pick((s['oneOf'] as { const: unknown }[]).map((o) => o.const));
  }
  if ('const' in s) return s['const'];
  switch (s['type']) {
    case 'boolean': return true;
    case 'integer':
    case 'number': {
      const min = typeof s['minimum'] === 'number' ? s['minimum'] : 1;
      const max = typeof s['maximum'] === 'number' ? s['maximum'] : min + 2;
      return rng.int(min, Math.max(min, Math.min(max, min + 2)));
    }
    case 'array': {
      const item = fromSchema(s['items'] as JsonSchema, key === 'documents' ? 'document' : key, rng, at, action);
      if (item === undefined) return [];
      return key === 'documents' ? [rng.pick(DOCUMENTS)] : [item];
    }
    case 'object': {
      const props = (s['properties'] ?? {}) as { [k: string]: JsonSchema };
      const out: Json = {};
      for (const k of (s['required'] ?? []) as string[]) {
        const v = fromSchema(props[k], k, rng, at, action);
        if (v === undefined) return undefined;
        out[k] = v;
      }
      return out;
    }
    case 'string': {
      if (s['format'] === 'date') return isoDate(at);
      if (s['format'] === 'date-time') return new Date(at).toISOString();
      const pattern = typeof s['pattern'] === 'string' ? s['pattern'] : null;
      if (pattern === '^[0-9]{12}$') return `0${rng.pick(['79', '01', '48', '92'])}${rng.digits(9)}`;
      if (pattern) return undefined;
      if (key === 'reason') return rng.pick(REASONS[action] ?? REASONS['requestSupplement']!);
      if (key === 'document') return rng.pick(DOCUMENTS);
      if (/No$/.test(key)) return `${rng.int(1, 400)}/${isoDate(at).slice(0, 4)}`;
      if (key === 'book') return `01/${isoDate(at).slice(0, 4)}`;
      return 'Đã kiểm tra, đủ điều kiện';
    }
    default: return undefined;
  }
}

/** Inputs for an action: a scenario's where one matches, refreshed (numbers, reasons, ids); else from the schema. */
export function actionInputs(
  bank: ScenarioBank | undefined, step: string, action: string, schema: JsonSchema | null, rng: Rng, at: number,
  options: { nonGeographic?: boolean } = {},
): Json | undefined {
  const inputs = actionInputsOf(bank, step, action, schema, rng, at);
  if (options.nonGeographic && action === 'refuse' && inputs && isGeographicRefusal(inputs['reason'])) {
    const lawful = REASONS['refuse']!.filter((r) => !isGeographicRefusal(r));
    return { ...inputs, reason: rng.pick(lawful) };
  }
  return inputs;
}

function actionInputsOf(bank: ScenarioBank | undefined, step: string, action: string, schema: JsonSchema | null, rng: Rng, at: number): Json | undefined {
  const known = bank?.inputs.get(`${step}:${action}`) ?? bank?.inputs.get(`*:${action}`);
  const props = schema && typeof schema === 'object' ? ((schema as { properties?: { [k: string]: JsonSchema } }).properties ?? {}) : {};
  if (known && known.length > 0) {
    const base: Json = { ...rng.pick(known) };
    for (const [k, v] of Object.entries(base)) {
      if (typeof v !== 'string') continue;
      const pattern = (props[k] as { pattern?: string } | undefined)?.pattern;
      if (pattern === '^[0-9]{12}$') base[k] = fromSchema(props[k], k, rng, at, action);
      else if (pattern) continue;
      else if (k === 'reason' && REASONS[action] && rng.chance(0.5)) base[k] = rng.pick(REASONS[action]);
      else if (/No$/.test(k) && /^\d+\//.test(v)) base[k] = v.replace(/^\d+/, String(rng.int(1, 400)));
      else if (/No$/.test(k) && /^\d+$/.test(v)) base[k] = String(rng.int(1, 900));
    }
    return base;
  }
  if (!schema) return {};
  return fromSchema(schema, '', rng, at, action) as Json | undefined;
}

/** Applicant-related fields per data key: the person filing is usually the one named there. */
const APPLICANT_FIELDS = ['personName', 'signerName', 'husbandName', 'guardianName', 'parentName', 'subjectName'];

/**
 * Intake data for a new dossier: a scenario's start data with fresh names, ids and dates,
 * and the applicant (the declarant named in the data where there is one).
 */
export function dossierData(bank: ScenarioBank | undefined, rng: Rng, at: number): { data: Json; applicantName: string; applicantId: string } {
  const data: Json = bank && bank.starts.length ? structuredClone(rng.pick(bank.starts)) : {};
  const applicantSex = rng.chance(0.5) ? 'male' : 'female';
  let applicantName = personName(rng, applicantSex);
  const applicantId = `0${rng.pick(['79', '01', '48', '92'])}${rng.int(0, 3)}${rng.digits(8)}`;
  for (const [k, v] of Object.entries(data)) {
    if (typeof v !== 'string') continue;
    if (k === 'fatherName') data[k] = personName(rng, 'male');
    else if (k === 'motherName' || k === 'wifeName') data[k] = personName(rng, 'female');
    else if (/Name$/.test(k)) data[k] = personName(rng);
    else if (/PersonalId$|^personalId$/.test(k)) data[k] = `0${rng.pick(['79', '01', '48'])}${rng.digits(9)}`;
  }
  const day = 86_400_000;
  if (typeof data['dateOfBirth'] === 'string' && typeof data['onTime'] === 'boolean') {
    // A birth registered within (or after) the 60 days of the law, as the data says.
    data['dateOfBirth'] = isoDate(at - (data['onTime'] ? rng.int(2, 55) : rng.int(70, 400)) * day);
  }
  if (typeof data['dateOfDeath'] === 'string') data['dateOfDeath'] = isoDate(at - rng.int(1, data['onTime'] === false ? 60 : 14) * day);
  const relation = data['declarantRelation'];
  if (relation === 'father' && typeof data['fatherName'] === 'string') applicantName = data['fatherName'];
  else if (relation === 'mother' && typeof data['motherName'] === 'string') applicantName = data['motherName'];
  else {
    const field = APPLICANT_FIELDS.find((f) => typeof data[f] === 'string');
    if (field) data[field] = applicantName;
  }
  return { data, applicantName, applicantId };
}
