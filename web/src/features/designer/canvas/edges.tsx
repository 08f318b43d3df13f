/**
 * The canvas's edge: React Flow's bezier, with its label drawn as HTML at the place the
 * model chose (model/labels.ts), so labels of neighbouring edges do not pile up.
 */
import { memo } from 'react';
import { BaseEdge, EdgeLabelRenderer, getBezierPath, type EdgeProps } from '@xyflow/react';
import type { FlowEdge } from '../model/graph';

export const LabelledEdge = memo(function LabelledEdge(props: EdgeProps<FlowEdge>) {
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, label, markerEnd, style, data, selected, interactionWidth } = props;
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const o = data?.labelOffset ?? { dx: 0, dy: 0 };
  const kind = data?.severity ? ` mark-${data.severity}` : '';
  return (
    <>
      <BaseEdge id={id} path={path} {...(markerEnd ? { markerEnd } : {})} {...(style ? { style } : {})} {...(interactionWidth !== undefined ? { interactionWidth } : {})} />
      {typeof label === 'string' && label !== '' && (
        <EdgeLabelRenderer>
          <div className={`edge-label intent-${data?.intent ?? 'none'}${kind}${selected ? ' selected' : ''}`}
            style={{ transform: `translate(-50%, -50%) translate(${labelX + o.dx}px, ${labelY + o.dy}px)` }}>
            {label}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
});

export const edgeTypes = { labelled: LabelledEdge };
