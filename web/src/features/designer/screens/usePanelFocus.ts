import { useEffect, type RefObject } from 'react';
import type { Target } from '../model/pointer';

/**
 * Focuses the field `pending` names (an issue's culprit) once its panel has rendered, or
 * the panel's heading for an empty name; `pending` is consumed.
 */
export function usePanelFocus(panelRef: RefObject<HTMLDivElement | null>, pending: { current: string | null }, panel: Target, onProperties: boolean): void {
  useEffect(() => {
    if (pending.current === null || !onProperties) return;
    const field = pending.current;
    pending.current = null;
    const root = panelRef.current;
    if (!root) return;
    const el = (field ? root.querySelector<HTMLElement>(`[data-field="${CSS.escape(field)}"]`) : null) ?? root.querySelector<HTMLElement>('h2');
    if (!el) return;
    const focusable = el.matches('input,select,textarea,button') ? el : el.querySelector<HTMLElement>('input,select,textarea,button') ?? el;
    if (!focusable.matches('input,select,textarea,button')) focusable.setAttribute('tabindex', '-1');
    focusable.focus();
    focusable.scrollIntoView?.({ block: 'center' });
    // `panel` is what changes when a new target is shown; the refs are stable.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [panel, onProperties]);
}
