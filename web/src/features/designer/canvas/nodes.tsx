/** The node shapes on the canvas: a step (kind, name, role, SLA, markers) and the shared-actions node. */
import { memo } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { useTranslation } from 'react-i18next';
import type { GlobalNode, StepNode } from '../model/graph';

export const StepNodeView = memo(function StepNodeView({ data, selected }: NodeProps<StepNode>) {
  const { t } = useTranslation('designer');
  const classes = ['step-node', `kind-${data.kind}`, selected ? 'selected' : '', data.severity ? `mark-${data.severity}` : '', data.active ? 'active' : '']
    .filter(Boolean).join(' ');
  const kind = t(`kind.${data.kind}`);
  return (
    <div className={classes} data-testid={`step-${data.stepId}`} title={`${kind}: ${data.name} (${data.stepId})`}>
      <Handle type="target" position={Position.Top} data-testid={`handle-in-${data.stepId}`} title={t('canvas.handleIn', { name: data.name })} />
      <div className="step-head">
        <span className="step-kind">{kind}</span>
        {data.initial && <span className="badge info">{t('canvas.start')}</span>}
        {data.severity && data.severity !== 'info' && (
          <span className={`badge ${data.severity === 'error' ? 'bad' : 'warn'}`} title={t('canvas.issues', { count: data.issueCount })}>
            {data.severity === 'error' ? '⛔' : '⚠'} {data.issueCount}
          </span>
        )}
      </div>
      <div className="step-name">{data.name}</div>
      <div className="step-meta">
        {data.roleName && <span>{data.roleName}</span>}
        {data.sla && <span>{t('canvas.sla', { sla: data.sla })}</span>}
        {data.outcome && <span>{t(`outcome.${data.outcome}`)}</span>}
      </div>
      {data.branches.length > 0 && (
        <ul className="step-branches">
          {data.branches.map((b) => <li key={b.id}><strong>{b.name}:</strong> {b.steps.join(' → ')}</li>)}
        </ul>
      )}
      {data.active && <span className="sr-only">{t('canvas.current')}</span>}
      {data.kind !== 'final' && (
        <Handle type="source" position={Position.Bottom} data-testid={`handle-out-${data.stepId}`} title={t('canvas.handleOut', { name: data.name })} />
      )}
    </div>
  );
});

export const GlobalNodeView = memo(function GlobalNodeView({ data }: NodeProps<GlobalNode>) {
  const { t } = useTranslation('designer');
  return (
    <div className="global-node" data-testid="step-__global">
      <div className="step-name">{t('canvas.global')}</div>
      <div className="step-meta">{t('canvas.globalCount', { count: data.count })}</div>
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  );
});

export const nodeTypes = { step: StepNodeView, global: GlobalNodeView };
