/** The editor's side: tabs for the properties of what is selected, the issues, the metrics and the simulation. */
import type { RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProcedureDefinition } from '@motcua/engine';
import type { CheckResult, DesignerIssue } from '../model/check';
import type { Command } from '../model/commands';
import type { Target } from '../model/pointer';
import { targetOf } from '../model/selection';
import type { SimState } from '../model/simulation';
import { ActionPanel } from '../panels/ActionPanel';
import { IssuesPanel } from '../panels/IssuesPanel';
import { MetricsPanel } from '../panels/MetricsPanel';
import { ProcedurePanel } from '../panels/ProcedurePanel';
import { SimulationPanel } from '../panels/SimulationPanel';
import { StepPanel } from '../panels/StepPanel';

export type Tab = 'properties' | 'issues' | 'metrics' | 'simulate';
const TABS: Tab[] = ['properties', 'issues', 'metrics', 'simulate'];

export function EditorSide({ def, base, panel, tab, setTab, check, pending, sim, setSim, exec, readOnly, goTo, onIssue, panelRef, onMigrate }: {
  def: ProcedureDefinition; base: ProcedureDefinition | null; panel: Target; tab: Tab; setTab: (t: Tab) => void;
  check: CheckResult; pending: boolean; sim: SimState | null; setSim: (s: SimState | null) => void;
  exec: (c: Command, mergeKey?: string) => void; readOnly: boolean;
  goTo: (t: Target) => void; onIssue: (issue: DesignerIssue) => void;
  panelRef: RefObject<HTMLDivElement | null>;
  onMigrate?: () => void;
}) {
  const { t } = useTranslation('designer');
  const { step, action } = targetOf(def, panel);
  return (
    <aside className="side" aria-label={t('tabs.label')}>
      <div className="tabs" role="tablist" aria-label={t('tabs.label')}>
        {TABS.map((k) => (
          <button key={k} type="button" role="tab" id={`tab-${k}`} aria-selected={tab === k} aria-controls={`tabpanel-${k}`} onClick={() => setTab(k)}>
            {t(`tabs.${k}`)}{k === 'issues' && check.errors + check.warnings > 0 ? ` (${check.errors + check.warnings})` : ''}
          </button>
        ))}
      </div>
      <div className="side-scroll" role="tabpanel" id={`tabpanel-${tab}`} aria-labelledby={`tab-${tab}`} ref={panelRef}>
        {tab === 'properties' && (
          step ? <StepPanel key={step.id} def={def} step={step} exec={exec} readOnly={readOnly} issues={check.issues} onSelectAction={(a) => goTo({ kind: 'action', step: step.id, action: a, field: null })} />
            : action ? <ActionPanel key={`${panel.kind === 'action' ? panel.step : ''}/${action.id}`} def={def} step={panel.kind === 'action' ? panel.step : null} action={action} exec={exec} readOnly={readOnly}
              onSelectStep={(s) => goTo({ kind: 'step', step: s, field: null })} />
              : <ProcedurePanel def={def} exec={exec} readOnly={readOnly} issues={check.issues} />
        )}
        {tab === 'issues' && <IssuesPanel issues={check.issues} pending={pending} onGo={onIssue} />}
        {tab === 'metrics' && <MetricsPanel def={def} analysis={check.analysis} base={base} {...(onMigrate ? { onMigrate } : {})} />}
        {tab === 'simulate' && <SimulationPanel def={def} sim={sim} setSim={setSim} />}
      </div>
    </aside>
  );
}
