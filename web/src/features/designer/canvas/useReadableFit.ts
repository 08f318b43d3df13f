/** "Fit view" that keeps the text readable and the minimap's corner free (model/viewport.ts). */
import { useCallback } from 'react';
import { useReactFlow, useStoreApi } from '@xyflow/react';
import { readableViewport } from '../model/viewport';

export function useReadableFit(): (duration?: number) => void {
  const flow = useReactFlow();
  const store = useStoreApi();
  return useCallback((duration = 300) => {
    const nodes = flow.getNodes();
    if (nodes.length === 0) return;
    const { width, height } = store.getState();
    void flow.setViewport(readableViewport(flow.getNodesBounds(nodes), width, height), { duration });
  }, [flow, store]);
}
