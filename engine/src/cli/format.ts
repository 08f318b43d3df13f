import type { AnalysisReport, DefinitionDiff, ValueChange } from '../analysis/types';
import type { ProcedureDefinition } from '../definition/types';
import type { Scenario, ScenarioReport } from '../scenario/types';
import { toLocalIso } from '../calendar/local';

export type Lang = 'vi' | 'en';

const L = {
  vi: {
    findings: 'Phát hiện', none: 'Không có vấn đề', metrics: 'Chỉ số', steps: 'Số bước', actions: 'Số thao tác',
    officer: 'Thao tác của cán bộ (luồng chính)', handoffs: 'Số lần chuyển', days: 'Ngày làm việc (luồng chính)',
    legal: 'Thời hạn luật định (ngày)', trips: 'Số lần công dân đi lại', agencies: 'Số cơ quan', happy: 'Luồng chính',
    longest: 'SLA theo đường dài nhất', added: 'Thêm', removed: 'Bỏ', changed: 'Sửa', summary: 'Tóm tắt',
    catalog: 'Thông tin thủ tục', ok: 'Đạt', failed: 'Không đạt', step: 'Bước', due: 'hạn',
  },
  en: {
    findings: 'Findings', none: 'No problems', metrics: 'Metrics', steps: 'Steps', actions: 'Actions',
    officer: 'Officer actions (happy path)', handoffs: 'Hand-offs', days: 'Working days (happy path)',
    legal: 'Legal deadline (days)', trips: 'Citizen trips', agencies: 'Agencies', happy: 'Happy path',
    longest: 'SLA along the longest path', added: 'Added', removed: 'Removed', changed: 'Changed', summary: 'Summary',
    catalog: 'Catalog facts', ok: 'Passed', failed: 'Failed', step: 'Step', due: 'due',
  },
} as const;

const num = (n: number, lang: Lang): string => (lang === 'vi' ? String(Math.round(n * 100) / 100).replace('.', ',') : String(Math.round(n * 100) / 100));

/** Readable analysis: findings then a metrics table. */
export function formatAnalysis(def: ProcedureDefinition, r: AnalysisReport, lang: Lang): string {
  const t = L[lang];
  const m = r.metrics;
  const lines = [`${def.catalog.code} — ${def.catalog.name.vi} (v${def.version})`, '', `${t.findings}:`];
  if (r.findings.length === 0) lines.push(`  ${t.none}`);
  for (const f of r.findings) lines.push(`  ${f.severity.padEnd(7)} ${f.path || '/'}  ${f.code}\n          ${f.message[lang]}`);
  lines.push('', `${t.metrics}:`);
  const rows: [string, string][] = [
    [t.steps, String(m.steps)], [t.actions, String(m.actions)], [t.officer, String(m.officerActions)],
    [t.handoffs, String(m.handoffs)], [t.days, num(m.workingDays, lang)], [t.legal, num(m.legalDeadlineDays, lang)],
    [t.trips, String(m.citizen.trips)], [t.agencies, String(m.citizen.agencies)],
  ];
  if (r.slaLongestPath) rows.push([t.longest, num(r.slaLongestPath.workingDays, lang)]);
  for (const [k, v] of rows) lines.push(`  ${k.padEnd(40)} ${v}`);
  if (m.happyPath) lines.push('', `${t.happy}: ${m.happyPath.steps.join(' → ')}`);
  return lines.join('\n');
}

const show = (v: unknown): string => (v === undefined ? '—' : JSON.stringify(v));
const changeLine = (c: ValueChange): string => `      ${c.field}: ${show(c.before)} → ${show(c.after)}`;

/** Readable diff: summary of metric deltas, then what changed. */
export function formatDiff(d: DefinitionDiff, lang: Lang): string {
  const t = L[lang];
  const lines = [`${d.from.id} v${d.from.version} → ${d.to.id} v${d.to.version}`, '', `${t.summary}: ${d.summary[lang]}`];
  const section = (title: string, items: string[]): void => {
    if (items.length) lines.push('', `${title}:`, ...items);
  };
  section(`${t.steps} — ${t.added}`, d.steps.added.map((s) => `  + ${s.step}`));
  section(`${t.steps} — ${t.removed}`, d.steps.removed.map((s) => `  - ${s.step}`));
  section(`${t.steps} — ${t.changed}`, d.steps.changed.flatMap((s) => [`  ~ ${s.step}`, ...s.changes.map(changeLine)]));
  section(`${t.actions} — ${t.added}`, d.actions.added.map((a) => `  + ${a.step ?? '*'}.${a.action}`));
  section(`${t.actions} — ${t.removed}`, d.actions.removed.map((a) => `  - ${a.step ?? '*'}.${a.action}`));
  section(`${t.actions} — ${t.changed}`, d.actions.changed.flatMap((a) => [`  ~ ${a.step ?? '*'}.${a.action}`, ...a.changes.map(changeLine)]));
  section(t.catalog, d.catalog.map(changeLine));
  const b = d.metrics.before;
  const a = d.metrics.after;
  lines.push('', `${t.metrics}:`);
  const rows: [string, number, number][] = [
    [t.steps, b.steps, a.steps], [t.officer, b.officerActions, a.officerActions], [t.handoffs, b.handoffs, a.handoffs],
    [t.days, b.workingDays, a.workingDays], [t.legal, b.legalDeadlineDays, a.legalDeadlineDays], [t.trips, b.citizen.trips, a.citizen.trips],
  ];
  for (const [k, x, y] of rows) lines.push(`  ${k.padEnd(40)} ${num(x, lang).padStart(6)} → ${num(y, lang).padEnd(6)} (${y - x > 0 ? '+' : ''}${num(y - x, lang)})`);
  return lines.join('\n');
}

/** An instant in Vietnam's local time (UTC+7, no DST), e.g. "2026-03-02 17:00". */
const localTime = (iso: string): string => toLocalIso(iso).slice(0, 16).replace('T', ' ');

/** Readable scenario run: one line per action with where the dossier went and its due date. */
export function formatScenario(s: Scenario, r: ScenarioReport, lang: Lang): string {
  const t = L[lang];
  const lines = [`${s.name[lang] ?? s.name.vi}`, ''];
  for (const step of r.steps) {
    const mark = step.failures.length ? '✖' : step.ok ? '✔' : '·';
    const outcome = step.ok ? `→ ${step.active.join(', ') || step.status}` : `✗ ${step.error?.code ?? ''}`;
    lines.push(`${mark} ${step.at}  ${step.actor.padEnd(11)} ${step.step}.${step.action}  ${outcome}${step.dueAt ? `  (${t.due} ${localTime(step.dueAt)})` : ''}`);
    if (step.effects.length) lines.push(`      ${step.effects.join(', ')}`);
    for (const f of step.failures) lines.push(`      ! ${f}`);
  }
  const endFailures = r.failures.filter((f) => !f.startsWith('step '));
  for (const f of endFailures) lines.push(`! ${f}`);
  lines.push('', r.ok ? `✔ ${t.ok}` : `✖ ${t.failed} (${r.failures.length})`);
  return lines.join('\n');
}
