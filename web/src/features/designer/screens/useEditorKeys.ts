/** Keyboard shortcuts of the editor, on the window, ignored while typing in a form control (which keeps its own undo). */
import { useEffect, useRef } from 'react';
import type { StepKind } from '@motcua/engine';

export interface EditorKeyHandlers {
  save: () => void;
  undo: () => void;
  redo: () => void;
  copy: () => void;
  paste: () => void;
  duplicate: () => void;
  remove: () => void;
  addStep: (kind: StepKind) => void;
}

/** Digits 1–9 add a step of the kind in this order, the same order as the toolbar. */
export const KIND_KEYS: StepKind[] = ['intake', 'task', 'approval', 'parallel', 'handoff', 'wait-citizen', 'payment', 'return-result', 'final'];

const typing = (target: EventTarget | null): boolean => {
  const el = target as HTMLElement | null;
  if (!el || !el.tagName) return false;
  return ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) || el.isContentEditable;
};

export function useEditorKeys(handlers: EditorKeyHandlers, enabled: boolean): void {
  const ref = useRef(handlers);
  ref.current = handlers;
  useEffect(() => {
    if (!enabled) return undefined;
    const onKey = (e: KeyboardEvent) => {
      const h = ref.current;
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (mod && key === 's') { e.preventDefault(); h.save(); return; }
      if (typing(e.target)) return;
      // A modal dialog owns the keyboard while it is open.
      if ((e.target as HTMLElement | null)?.closest?.('dialog')) return;
      if (mod && key === 'z' && !e.shiftKey) { e.preventDefault(); h.undo(); return; }
      if ((mod && key === 'z' && e.shiftKey) || (mod && key === 'y')) { e.preventDefault(); h.redo(); return; }
      if (mod && key === 'c') { h.copy(); return; }
      if (mod && key === 'v') { e.preventDefault(); h.paste(); return; }
      if (mod && key === 'd') { e.preventDefault(); h.duplicate(); return; }
      if (!mod && !e.altKey && (e.key === 'Delete' || e.key === 'Backspace')) { e.preventDefault(); h.remove(); return; }
      if (!mod && !e.altKey && /^[1-9]$/.test(e.key)) {
        const kind = KIND_KEYS[Number(e.key) - 1];
        if (kind) { e.preventDefault(); h.addStep(kind); }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
}
